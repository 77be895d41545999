"""The test suite: fast hashing, tasks run eagerly unless a test asks for a real worker."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not env("EMAIL_URL", default=""):
    # Tests read mail from django.core.mail.outbox; a test that starts a real SMTP server
    # hands its address to a worker process through EMAIL_URL.
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEV_MAILBOX = True
# A test's real worker process (tests/services) turns this off, so that its retries wait
# their backoff instead of running at once inside the failing task.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each test gets its own MEDIA_ROOT (tests/conftest.py); this is only the fallback.
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Serve static files straight from the app folders (no collectstatic needed).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests that need the second factor turn it on with override_settings.
MFA_REQUIRED = False
