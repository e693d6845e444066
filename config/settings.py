"""Settings for the station platform: one module, every deployment value from the environment.

With no environment at all it runs for development: SQLite in ``var/``, an embedded Celery
broker (kombu's filesystem transport), console email. Production is ``DJANGO_DEBUG=0`` and
refuses to start without a real secret key and allowed hosts. ``.env.example`` lists every
variable.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if not DEBUG else ["*"])

if not DEBUG:
    if SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 (production) needs DJANGO_SECRET_KEY: a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 (production) needs DJANGO_ALLOWED_HOSTS, e.g. "
            "DJANGO_ALLOWED_HOSTS=station.example.org"
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "stations",
    "projects",
    "funds",
    "donations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: Postgres in production and CI, SQLite for a bare development machine.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # The web process and the worker share the file; wait for each other's writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # A file (not memory) so that a real worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and locale: Simplified Chinese first, English selectable.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEBUG:
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there at start-up
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: console by default; EMAIL_URL such as smtp+tls://user:pass@smtp.example.org:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="社工站平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "admin:login"

# Security. Production values are the defaults whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=True) else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "社工+慈善工作站平台 API",
    "DESCRIPTION": "Community social work and charity stations: stations, projects, funds, "
    "donations, volunteers and reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files: CDNs are often unreachable in mainland China.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery. With no broker configured it uses kombu's filesystem transport under var/,
# so development needs no broker server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_FILESYSTEM_QUEUE_DIR = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_FILESYSTEM_QUEUE_DIR / "control"),
    }
    _default_result_backend = f"file://{CELERY_FILESYSTEM_QUEUE_DIR / 'results'}"
else:
    _default_result_backend = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_result_backend) or None
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE: dict = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- donations ---
# Limits of one online gift in yuan (DOMAIN.md: configurable); staff-recorded gifts have none.
DONATIONS_ONLINE_MIN_AMOUNT = env.str("DONATIONS_ONLINE_MIN_AMOUNT", default="1")
DONATIONS_ONLINE_MAX_AMOUNT = env.str("DONATIONS_ONLINE_MAX_AMOUNT", default="50000")
DONATIONS_PRESET_AMOUNTS = [10, 50, 100, 200]
# Public POSTs (giving, look-up, the sandbox gateway) per client IP, django-ratelimit syntax.
# The counters live in Django's cache: Redis (REDIS_URL) whenever more than one process serves.
DONATIONS_PUBLIC_POST_RATE = env.str("DONATIONS_PUBLIC_POST_RATE", default="30/m")
DONATIONS_LOOKUP_RATE = env.str("DONATIONS_LOOKUP_RATE", default="5/m")
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# Payment providers offered on the public form, in this order (donations/payments/).
DONATIONS_PAYMENT_PROVIDERS = env.list(
    "DONATIONS_PAYMENT_PROVIDERS", default=["sandbox", "offline"]
)
# Shared secret of the sandbox gateway's signed notifications (HMAC-SHA256 over the raw body).
SANDBOX_PAYMENT_SECRET = env.str(
    "SANDBOX_PAYMENT_SECRET",
    default="sandbox-development-secret-change-me",  # noqa: S105 (development default)
)
if not DEBUG and SANDBOX_PAYMENT_SECRET.startswith("sandbox-development"):
    DONATIONS_PAYMENT_PROVIDERS = [p for p in DONATIONS_PAYMENT_PROVIDERS if p != "sandbox"]
# Pending online donations expire after this many hours (a Celery beat job).
DONATIONS_PENDING_EXPIRY_HOURS = env.int("DONATIONS_PENDING_EXPIRY_HOURS", default=24)
# Donor look-up: one-time codes by SMS (logged to the console here) and how long they live.
DONATIONS_LOOKUP_CODE_MINUTES = 10
DONATIONS_LOOKUP_SESSION_MINUTES = 30
# The site's public address, printed in QR codes of posters and receipts (made without a request).
DONATIONS_PUBLIC_BASE_URL = env.str("DONATIONS_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Shown with the reference code to donors who pay by bank transfer.
DONATIONS_BANK_TRANSFER_NOTE = env.str("DONATIONS_BANK_TRANSFER_NOTE", default="")
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "DonationStatusEnum": "donations.models.Donation.Status",
        "ReceiptStatusEnum": "donations.models.Receipt.Status",
    }
)
CELERY_BEAT_SCHEDULE["donations-expire-pending"] = {
    "task": "donations.tasks.expire_pending_donations_task",
    "schedule": 15 * 60,
}
