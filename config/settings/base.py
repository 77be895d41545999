"""Settings shared by every environment. Values come from the environment (django-environ).

With no environment at all the portal runs on the embedded default: SQLite, Celery on the
kombu ``filesystem://`` broker and e-mail kept in the outbox table.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Every link in an e-mail is built from SITE_URL, never from the request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
NETWORK_NAME = env("NETWORK_NAME", default="Mid-Valley STEM Partnership")
BACKBONE_ORGANIZATION = env("BACKBONE_ORGANIZATION", default="Mid-Valley STEM Hub")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "partnership",
    "mou",
    "needs_matrix",
    "meetings",
    "dashboard",
]

MIDDLEWARE = [
    # /healthz answers before host validation and the HTTPS redirect (see the class).
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: coordinators and staff get nothing without a second factor.
    "core.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, a busy timeout and transactions that take the write lock when they begin let
    # the web server and the Celery worker share the file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
# The network's time zone: deadlines are shown in it.
TIME_ZONE = env("NETWORK_TIME_ZONE", default="America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes (the image builds it in); relative to the project folder.
STATIC_ROOT = BASE_DIR / env("STATIC_ROOT", default="staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the web root and are served only through views that check
# permissions; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://portal")}

# Request size limits: uploads go through the views' own checks as well.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# Any request body larger than this is refused (413) before it is read, uploads included.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=64 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -------------------------------------------------------------------------
# Every message is first written to the outbox table (core.OutboxMessage), then handed to
# this backend by a Celery task. With no EMAIL_URL nothing leaves the machine: the
# development mailbox page (/dev/mailbox/) shows what would have been sent.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="STEM Partnership Portal <portal@localhost>")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Only the local (and test) settings may turn the mailbox on; see config/settings/local.py.
DEV_MAILBOX = False
# Seconds an SMTP connect or reply may take: a mail server that stops answering fails the
# delivery (retried later) instead of holding a worker until its hard time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
# Redis: a task taken by a worker that died before acknowledging it (acks late) is handed
# out again after this many seconds. Keep it above the longest retry delay (an hour) and
# every task's hard time limit.
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "celery-broker")))
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "out"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "out"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
    for _folder in ("out", "processed", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
# Seconds before the first retry of a failed delivery; it doubles up to an hour.
OUTBOX_RETRY_BACKOFF = env.int("OUTBOX_RETRY_BACKOFF", default=30)
# Several portals (or a test run) can share one Redis by giving each its own queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
# Every task has a soft limit (SoftTimeLimitExceeded is raised inside it, so it can record
# the failure) and a hard one (the pool process is killed). Tasks that need longer (PDF
# rendering, the reminder sweep) set their own. Enforced by the prefork pool, the default.
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Hand the outbox any message that is still pending (broker down at commit time).
    "outbox-flush": {"task": "core.tasks.outbox_flush", "schedule": 60.0},
    # Works out which deadline reminders are due (a window, not a date) and sends them once.
    "reminders-sweep": {"task": "core.tasks.reminders_sweep", "schedule": 15 * 60.0},
    # Renders the executed MOU of a fully signed version whose render task was missed.
    "mou-executed-pdfs": {"task": "mou.tasks.executed_pdfs_pending", "schedule": 10 * 60.0},
}

# --- The executed MOU's seal (pyHanko, PAdES). Unset: the PDF is not sealed. ---------------
# Either a PEM certificate and key, or a PKCS#12 file; the passphrase unlocks the key or file.
PDF_SIGNING_CERT = env("PDF_SIGNING_CERT", default="")
PDF_SIGNING_KEY = env("PDF_SIGNING_KEY", default="")
PDF_SIGNING_PKCS12 = env("PDF_SIGNING_PKCS12", default="")
PDF_SIGNING_PASSPHRASE = env("PDF_SIGNING_PASSPHRASE", default="")

# --- Sign-in links -----------------------------------------------------------------------
SIGNIN_LINK_MAX_AGE = env.int("SIGNIN_LINK_MAX_AGE", default=7 * 24 * 3600)
RATELIMIT_SIGNIN_PER_HOUR = env.int("RATELIMIT_SIGNIN_PER_HOUR", default=5)
RATELIMIT_SIGNIN_PER_IP_PER_HOUR = env.int("RATELIMIT_SIGNIN_PER_IP_PER_HOUR", default=30)
RATELIMIT_PASSWORD_PER_HOUR = env.int("RATELIMIT_PASSWORD_PER_HOUR", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO; keep its warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Accounts and the second factor (django-allauth) ------------------------------------
# allauth runs the login flow (its MFA stage, its rate limits, the record of how this
# session authenticated); the portal keeps its own sign-in page, its e-mailed links and
# its people management, so allauth's sign-up and e-mail management stay off.
ACCOUNT_ADAPTER = "core.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_NOTIFICATIONS = False
ACCOUNT_LOGOUT_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="STEM Partnership Portal")
# Recovery codes are shown once, right after they are made; regenerating shows new ones once.
MFA_RECOVERY_CODES_SHOW_ONCE = True
# Coordinators, staff and superusers must have a TOTP authenticator and pass it at every
# sign-in. On unless turned off (local and test settings turn it off).
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
