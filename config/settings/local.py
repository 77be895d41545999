"""Development: `make run`. Debug on, a development key, the embedded defaults."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files straight from the app folders (no collectstatic needed).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A second factor is optional while developing; set MFA_REQUIRED=true to try the real flow.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False)
# The development mailbox (/dev/mailbox/): on while no real e-mail is configured, and only
# ever answered to requests from this machine (core/urls_dev.py).
DEV_MAILBOX = env.bool("DEV_MAILBOX", default=not env("EMAIL_URL", default=""))
