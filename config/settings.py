"""Settings for the station platform: one module, every deployment value from the environment.

With no environment at all it runs for development: SQLite in ``var/``, an embedded Celery
broker (kombu's filesystem transport), console email. Production is ``DJANGO_DEBUG=0`` and
refuses to start without a real secret key and allowed hosts. ``.env.example`` lists every
variable.
"""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
# Previous keys, still accepted for sessions, signed links and password-reset tokens after a
# rotation (docs/operations.md); new signatures always use SECRET_KEY.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if not DEBUG else ["*"])
# The site's public address, for what is made without a request: links in e-mails, the QR codes
# of posters and receipts (core.site.absolute_url). Required in production.
SITE_URL = env.str("SITE_URL", default="" if not DEBUG else "http://127.0.0.1:8000").rstrip("/")

# Personal identifiers (resident ID numbers) are encrypted at rest and deduplicated by a keyed
# hash; both keys are derived from this one secret (core/personal_data.py). Losing or
# changing it makes the stored ID numbers unreadable, so production refuses to start without it.
_DEV_FIELD_ENCRYPTION_KEY = "development-only-field-encryption-key"  # noqa: S105
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default=_DEV_FIELD_ENCRYPTION_KEY)

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
    if FIELD_ENCRYPTION_KEY == _DEV_FIELD_ENCRYPTION_KEY:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 (production) needs FIELD_ENCRYPTION_KEY: a long random value kept "
            "safe and never changed, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", SITE_URL):
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 (production) needs SITE_URL, the address residents open, e.g. "
            "SITE_URL=https://station.example.org"
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
    "operations",
    "axes",
    "stations",
    "projects",
    "funds",
    "volunteers",
    "donations",
    "reports",
    "auditlog",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First: a database outage in any view below answers 503, not 500 (operations/).
    "operations.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.NulPathNotFoundMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who changed what: the audit history (audit/, django-auditlog) records the acting user.
    "audit.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a refused sign-in of a locked-out account into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in (also a correct one) while the account is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# A persistent connection that died (Postgres restarted) is replaced on the next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down fails fast instead of holding the page.
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=1.0),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
            },
        }
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
# Health checks from the load balancer or container runtime may use plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# (templates keep their JavaScript in static/ files). Inline style attributes are allowed
# (progress bars are drawn with a computed width); they cannot run code. Images may be data:
# URLs (the QR codes and Swagger UI's icons). The sandbox payment gateway is one of our pages,
# so forms post only to ourselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Login throttling (django-axes) for every password form: the admin, the committee sign-in and
# the volunteer sign-in. After AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that account is refused from that address (HTTP 429, a Chinese page) until the
# cool-off has passed or an operator runs `manage.py axes_reset_username <username>`.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
# The same client address as the public rate limits (RATELIMIT_IP_META_KEY, below).
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "mobile"]

# Audit history (django-auditlog, audit/registry.py lists the models): before and after, the
# client address from RATELIMIT_IP_META_KEY (audit.middleware), personal fields masked.
AUDITLOG_MASK_CALLABLE = "audit.masking.mask_value"
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # fixtures (loaddata) are not changes by anyone

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
    # Bodies are JSON (refusing a NUL character anywhere, a 400); another media type is a 415.
    # A form-encoded body cannot carry nulls, lists or nested objects, and one the parser could
    # not read came out as an empty (valid) update. The one upload, a disbursement's invoice,
    # takes multipart (funds/api.py).
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
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
    # Every operation documents the API's error answers (config/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.add_error_responses",
    ],
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
# A broker that is down must not hold a page: connect briefly, retry a published message only a
# little (jobs that matter go through the outbox, operations/outbox.py, and wait there).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 2, "interval_max": 0.5}}
if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **vars().get("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
        # How long publishing waits for a broker that refuses connections (kombu's failover
        # options); the worker's own reconnection follows CELERY_BROKER_CONNECTION_* instead.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }

# PDFs embed a Chinese TrueType font (core/pdf_fonts.py); empty means the one installed from
# PyPI with the project. Another font must have TrueType outlines (.ttf / .ttc).
PDF_CJK_FONT_PATH = env.str("PDF_CJK_FONT_PATH", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- projects ---
# Disclosure cadence (DOMAIN.md): a project running longer than PROJECT_LONG_RUNNING_DAYS with
# no public progress update for PROJECT_UPDATE_FLAG_DAYS is flagged; after
# PROJECT_FUNDRAISING_BLOCK_DAYS without one it may not (re-)enter fundraising.
PROJECT_LONG_RUNNING_DAYS = env.int("PROJECT_LONG_RUNNING_DAYS", default=183)
PROJECT_UPDATE_FLAG_DAYS = env.int("PROJECT_UPDATE_FLAG_DAYS", default=90)
PROJECT_FUNDRAISING_BLOCK_DAYS = env.int("PROJECT_FUNDRAISING_BLOCK_DAYS", default=180)
# Children under this age need a guardian's consent to the processing of their data (PIPL).
PROJECT_GUARDIAN_CONSENT_AGE = env.int("PROJECT_GUARDIAN_CONSENT_AGE", default=14)

# Several models have a "category" / "kind" choice set: name each enum in the API schema.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ProjectCategoryEnum": "projects.models.NeedCategory",
        "ProjectKindEnum": "projects.models.Project.Kind",
        "BudgetLineCategoryEnum": "projects.models.BudgetLine.Category",
        "BeneficiaryCategoryEnum": "projects.models.BeneficiaryCategory.Category",
        "AssistanceKindEnum": "projects.models.AssistanceRecord.Kind",
    }
)
CELERY_BEAT_SCHEDULE["projects-flag-overdue"] = {
    "task": "projects.flag_overdue_disclosures",
    # Every morning at 07:30 Asia/Shanghai (CELERY_TIMEZONE), before staff start work.
    "schedule": crontab(hour=7, minute=30),
}

# --- volunteers ---
# Ages below which a guardian must consent to volunteering, and also to processing the child's
# personal data (PIPL: under 14).
VOLUNTEERS_GUARDIAN_CONSENT_AGE = env.int("VOLUNTEERS_GUARDIAN_CONSENT_AGE", default=18)
VOLUNTEERS_GUARDIAN_DATA_CONSENT_AGE = env.int("VOLUNTEERS_GUARDIAN_DATA_CONSENT_AGE", default=14)
# Verified hours needed for one to five stars.
VOLUNTEERS_STAR_THRESHOLDS = env.list(
    "VOLUNTEERS_STAR_THRESHOLDS", cast=int, default=[100, 300, 600, 1000, 1500]
)
# Public POSTs (join, sign-in) per client address.
VOLUNTEERS_PUBLIC_POST_RATE = env.str("VOLUNTEERS_PUBLIC_POST_RATE", default="20/m")
# Shift reminders go out the evening before (CELERY_TIMEZONE is Asia/Shanghai).
CELERY_BEAT_SCHEDULE["volunteers-shift-reminders"] = {
    "task": "volunteers.send_shift_reminders",
    "schedule": crontab(hour=18, minute=0),
}

# --- funds ---
# Spending rules for hosts with public fundraising qualification (DOMAIN.md, "Spending and
# administrative-cost ratios"); regulations differ by province and change, so they live here.
FUNDS_MIN_CHARITABLE_SPENDING_RATIO = Decimal("0.70")  # of the previous year's income
FUNDS_ADMIN_COST_LIMITS = {  # share of the year's total spending, by HostCharity.kind
    "foundation": Decimal("0.10"),
    "social_organization": Decimal("0.13"),
}
FUNDS_ADMIN_COST_EXEMPT_BELOW = Decimal("200000")  # yuan a year
FUNDS_ANONYMOUS_PUBLIC_NAME = "爱心人士"
# Sections other apps add to the committee dashboard (funds.views.dashboard_panels).
FUNDS_DASHBOARD_PANELS: list[str] = []
# Monthly roll-ups (funds/rollups.py, also used by reports/rollups.py): rows folded per
# transaction, and how long a run lets writers in flight finish before it moves its cursor.
ROLLUPS_BATCH_SIZE = env.int("ROLLUPS_BATCH_SIZE", default=200_000)
ROLLUPS_SETTLE_SECONDS = env.float("ROLLUPS_SETTLE_SECONDS", default=0.2)
ROLLUPS_WAIT_SECONDS = env.float("ROLLUPS_WAIT_SECONDS", default=5.0)
# --- reports ---
# Checks run before new fundraising starts (projects.services.run_fundraising_guards): a fund or
# campaign with an overdue disclosure cannot raise more money.
FUNDRAISING_GUARDS = ["reports.calendar.ensure_no_overdue_disclosure"]
# The committee dashboard lists the fund's reports with their files.
FUNDS_DASHBOARD_PANELS = [*FUNDS_DASHBOARD_PANELS, "reports.views.committee_reports_panel"]
# Report files live outside MEDIA_ROOT: they are served only through scoped views.


REPORTS_FILES_DIR = env.path("REPORTS_FILES_DIR", default=VAR_DIR / "reports")
REPORTS_KIND_MODULES = [
    "reports.kinds.funds",
    "reports.kinds.stations",
    "reports.kinds.projects",
    "reports.kinds.volunteers",
]
# The longest a report may run; the broker's visibility timeout must be longer (below).
REPORTS_TASK_TIME_LIMIT = env.int("REPORTS_TASK_TIME_LIMIT", default=1800)
REPORTS_MAX_RETRIES = env.int("REPORTS_MAX_RETRIES", default=3)
REPORTS_RETRY_BACKOFF = env.int("REPORTS_RETRY_BACKOFF", default=30)  # seconds, doubled each time
REPORTS_RETRY_BACKOFF_MAX = env.int("REPORTS_RETRY_BACKOFF_MAX", default=600)
# DOMAIN.md "Disclosure" (configurable cadences).
REPORTS_DISCLOSURE_RULES = {
    "long_running_months": 6,  # campaigns longer than this publish progress while running
    "progress_every_months": 3,
    "final_report_within_months": 3,
    "annual_due": (5, 31),  # (month, day) of the next year
    "due_soon_days": 30,  # shown as "due" this many days before the deadline
    "lookback_years": 3,  # annual statements older than this are not tracked
}
# The host ratios in the annual statement use funds' FUNDS_* limits (funds.dashboard).

CELERY_TASK_ROUTES = {
    **vars().get("CELERY_TASK_ROUTES", {}),
    # By name, the former names too (core.tasks): jobs queued before a rename run there as well.
    **{
        name: {"queue": "reports"}
        for name in (
            "reports.generate_report",
            "reports.schedule_reports",
            "reports.update_rollups",
            "reports.tasks.generate_report_task",
            "reports.tasks.schedule_reports_task",
            "reports.tasks.update_rollups_task",
        )
    },
}
if not CELERY_BROKER_URL.startswith("filesystem://"):
    # An unacknowledged message goes to another worker after this long: longer than the
    # longest report, so a live run is never duplicated; a dead worker's job comes back.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **vars().get("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "visibility_timeout": env.int(
            "CELERY_VISIBILITY_TIMEOUT", default=REPORTS_TASK_TIME_LIMIT * 2
        ),
    }


def _crontab(spec: str) -> crontab:
    """A crontab from "minute hour day-of-month month day-of-week" (times in TIME_ZONE)."""
    minute, hour, day_of_month, month_of_year, day_of_week = spec.split()
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
    )


# Asia/Shanghai times (CELERY_TIMEZONE); each can be overridden from the environment.
CELERY_BEAT_SCHEDULE.update(
    {
        "reports-station-monthly": {
            "task": "reports.schedule_reports",
            "schedule": _crontab(env.str("REPORTS_CRON_MONTHLY", default="0 2 1 * *")),
            "args": ("month",),
        },
        "reports-fund-quarterly": {
            "task": "reports.schedule_reports",
            "schedule": _crontab(env.str("REPORTS_CRON_QUARTERLY", default="30 2 1 1,4,7,10 *")),
            "args": ("quarter",),
        },
        "reports-fund-annual": {
            "task": "reports.schedule_reports",
            "schedule": _crontab(env.str("REPORTS_CRON_ANNUAL", default="0 3 15 1 *")),
            "args": ("year",),
        },
        # Keeps the monthly roll-ups (reports/rollups.py) close to the raw rows; readers add
        # what is not rolled up yet, so this only keeps their work small.
        "reports-update-rollups": {
            "task": "reports.update_rollups",
            "schedule": env.float("REPORTS_ROLLUP_EVERY_SECONDS", default=60.0),
        },
        "reports-disclosure-reminders": {
            "task": "reports.send_disclosure_reminders",
            "schedule": _crontab(env.str("REPORTS_CRON_REMINDERS", default="0 8 * * *")),
        },
    }
)
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
# Previous secrets, still accepted on incoming notifications while the gateway switches to the
# new one (docs/operations.md, "Rotating the payment secret"); empty once it has.
SANDBOX_PAYMENT_SECRET_FALLBACKS = env.list("SANDBOX_PAYMENT_SECRET_FALLBACKS", default=[])
if not DEBUG and SANDBOX_PAYMENT_SECRET.startswith("sandbox-development"):
    DONATIONS_PAYMENT_PROVIDERS = [p for p in DONATIONS_PAYMENT_PROVIDERS if p != "sandbox"]
# Pending online donations expire after this many hours (a Celery beat job).
DONATIONS_PENDING_EXPIRY_HOURS = env.int("DONATIONS_PENDING_EXPIRY_HOURS", default=24)
# Donor look-up: one-time codes by SMS (logged to the console here) and how long they live.
DONATIONS_LOOKUP_CODE_MINUTES = 10
DONATIONS_LOOKUP_SESSION_MINUTES = 30
# Shown with the reference code to donors who pay by bank transfer.
DONATIONS_BANK_TRANSFER_NOTE = env.str("DONATIONS_BANK_TRANSFER_NOTE", default="")
# Seconds a donation point's page (/d/<code>/, what QR posters open) is served from the cache;
# edits show at once, bulk changes within this time (donations/page_cache.py). 0 = no cache,
# the development default.
DONATIONS_POINT_PAGE_CACHE_SECONDS = env.int(
    "DONATIONS_POINT_PAGE_CACHE_SECONDS", default=0 if DEBUG else 60
)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "DonationStatusEnum": "donations.models.Donation.Status",
        "ReceiptStatusEnum": "donations.models.Receipt.Status",
    }
)
CELERY_BEAT_SCHEDULE["donations-expire-pending"] = {
    "task": "donations.expire_pending_donations",
    "schedule": 15 * 60,
}
# --- donations: in-kind goods ---
# Lots with stock left that expire within this many days are listed for staff.
DONATIONS_GOODS_EXPIRY_WARNING_DAYS = env.int("DONATIONS_GOODS_EXPIRY_WARNING_DAYS", default=30)
# --- operations ---
# The task outbox (operations/outbox.py): beat publishes what a broker outage left pending this
# often (seconds); after a failed publication a web process leaves publishing to beat for
# OUTBOX_INLINE_PAUSE seconds; sent rows are kept OUTBOX_KEEP_DAYS days.
OUTBOX_DISPATCH_INTERVAL = env.float("OUTBOX_DISPATCH_INTERVAL", default=10.0)
OUTBOX_INLINE_PAUSE = env.float("OUTBOX_INLINE_PAUSE", default=30.0)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=7)
CELERY_BEAT_SCHEDULE["operations-dispatch-outbox"] = {
    "task": "operations.dispatch_outbox",
    "schedule": OUTBOX_DISPATCH_INTERVAL,
}
# Where `manage.py backup` writes its dumps when not told (docs/operations.md).
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
