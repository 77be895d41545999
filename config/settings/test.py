"""The test suite: fast hashing, tasks run eagerly unless a test asks for a real worker."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEV_MAILBOX = True
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/portal-test-media")  # overridden per test
ALLOWED_HOSTS = ["*"]
# Serve static files straight from the app folders (no collectstatic needed).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
