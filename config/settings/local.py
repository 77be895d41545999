"""Development: `make run`. Debug on, a development key, the embedded defaults."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
# Static files as production serves them (its compressed manifest storage, hashed names
# even with DEBUG on): `make run` collects them first (hashed names, gzip and Brotli
# copies), WhiteNoise serves them compressed with a year-long cache for hashed names, and
# runserver leaves /static/ to it. Without a collectstatic (a bare `manage.py runserver`)
# a page names the missing file.
STORAGES["staticfiles"] = {"BACKEND": "config.settings.storage.HashedStaticFilesStorage"}  # noqa: F405
STATIC_ROOT = BASE_DIR / env("STATIC_ROOT", default="var/static")  # noqa: F405
INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]  # noqa: F405
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
# A second factor is optional while developing; set MFA_REQUIRED=true to try the real flow.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False)
# The development mailbox (/dev/mailbox/): on while no real e-mail is configured, and only
# ever answered to requests from this machine (core/urls_dev.py).
DEV_MAILBOX = env.bool("DEV_MAILBOX", default=not env("EMAIL_URL", default=""))
