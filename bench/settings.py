"""Settings for benchmark runs: the portal's own settings, production-like (no debug),
plus the baseline page. The driver points DATABASE_URL at a throwaway bench database."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-insecure-key-0123456789abcdefghijklmnopqrstuv")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
# The baseline view: the base template through the same middleware, nothing else.
BENCH_BASELINE = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
STATIC_ROOT = None
# As in production: each worker keeps its database connection between requests.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
WHITENOISE_USE_FINDERS = True
# E-mail stays in the outbox (and memory); tasks go to an in-process broker, as they would
# go to Redis in production: the sweep is measured, delivery is a worker's job.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = False
MEDIA_ROOT = VAR_DIR / "bench" / "media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# The bench signs its coordinator in directly (no password, no code), which the second
# factor's check would refuse; that check (one small query per coordinator request) is
# therefore not in the page figures.
MFA_REQUIRED = False
