"""The embedded demo and local development: DEBUG on (bin/demo turns it off for its web server, so that
the demo shows the site's own error pages), a throw-away key."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-8c1e0f7a4b")
# Static files straight from the source folders, with or without DEBUG (no collectstatic for the demo).
WHITENOISE_USE_FINDERS = True
