"""The test suite: PostgreSQL and Redis when DATABASE_URL and REDIS_URL say so (bin/test does)."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env.str("SECRET_KEY", default="test-only-not-secret-3d9a55")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
