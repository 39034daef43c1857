"""The embedded demo and local development: DEBUG on, a throw-away key."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-8c1e0f7a4b")
