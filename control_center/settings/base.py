"""Every setting is declared here; dev, test and prod differ only by environment.

With nothing set the system runs on the embedded default: a SQLite file and a
Celery broker kept in files (no server needed). DATABASE_URL and REDIS_URL move
it onto PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Proxies (addresses or networks) whose X-Forwarded-For / X-Forwarded-Proto are believed; from anyone
# else those headers are dropped (stations/proxies.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Production settings say True: seed_demo refuses to run, the API schema and docs want a login.
PRODUCTION = False
API_DOCS_LOGIN_REQUIRED = env.bool("API_DOCS_LOGIN_REQUIRED", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "stations",
    "tasks",
    "standard",
    "disputes",
    "enterprises",
    "patrol",
    "field",
    "control_center",
    "demo",  # last: seed_demo, rundemo, generate_incidents; nothing imports it
]

MIDDLEWARE = [
    "stations.proxies.TrustedProxyMiddleware",  # first: the real client address for everything after it
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "control_center.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stations.middleware.SessionTimeoutMiddleware",
    "stations.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "control_center.urls"
WSGI_APPLICATION = "control_center.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stations.context_processors.officer",
                "tasks.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL with DATABASE_URL=postgres://...
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for locks, write-ahead log.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["stations.auth.LockoutModelBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW = timedelta(minutes=env.int("LOGIN_FAILURE_WINDOW_MINUTES", default=15))
LOGIN_LOCKOUT = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=60))
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Language and time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# Static files, served by WhiteNoise; nothing is loaded from the internet.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise wants it to exist before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Feedback photos (tasks/photos.py): JPEG or PNG up to this size, re-encoded to JPEG of at most this side.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
PHOTO_MAX_SIDE = env.int("PHOTO_MAX_SIDE", default=2048)

# Security headers that hold in every mode; prod adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# REST framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",  # depth and NUL checks
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.exception_handler",
    # REMOTE_ADDR is already the real client (stations.proxies): throttles must not read X-Forwarded-For.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "基础管控中心 API",
    "DESCRIPTION": "District grassroots control center, public contract v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.declare_error_responses",  # every operation's 4xx answers
    ],
    "ENUM_NAME_OVERRIDES": {
        "InstructionKindEnum": "tasks.kinds.choices",
        "InstructionStatusEnum": "tasks.models.Instruction.Status",
        "NotificationKindEnum": "tasks.kinds.notice_choices",
        "StationKindEnum": "stations.models.Station.Kind",
        "RoleEnum": "stations.roles.Role",
        "UnitStatusEnum": "patrol.models.UnitStatus",
    },
}

# The dispatch engine's clocks, in minutes. Feedback windows come from each category (3/6/9/24 hours).
# /readyz answers 503 and the center is told when the deadline sweep's last success is older than this.
SWEEP_LATE_AFTER_SECONDS = env.int("SWEEP_LATE_AFTER_SECONDS", default=180)
INSTRUCTION_SIGN_OFF_MINUTES = env.int("INSTRUCTION_SIGN_OFF_MINUTES", default=30)
INSTRUCTION_SIGN_OFF_REMINDER_MINUTES = env.int("INSTRUCTION_SIGN_OFF_REMINDER_MINUTES", default=10)
INSTRUCTION_FEEDBACK_REMINDER_MINUTES = env.int("INSTRUCTION_FEEDBACK_REMINDER_MINUTES", default=60)
# After a return: 0 means the category's feedback window again.
INSTRUCTION_RETURN_FEEDBACK_MINUTES = env.int("INSTRUCTION_RETURN_FEEDBACK_MINUTES", default=0)
# For instructions with no category (e.g. an intelligence alert).
INSTRUCTION_DEFAULT_FEEDBACK_MINUTES = env.int("INSTRUCTION_DEFAULT_FEEDBACK_MINUTES", default=24 * 60)
# A sweep that owes one person more than this many notices sends one digest instead.
NOTIFICATION_DIGEST_THRESHOLD = env.int("NOTIFICATION_DIGEST_THRESHOLD", default=3)

# Reveals of a caller's full data one user may make in an hour; over it, refused and the center told.
REVEAL_LIMIT_PER_HOUR = env.int("REVEAL_LIMIT_PER_HOUR", default=30)

DEFAULT_AREA_CODE = env.str("DEFAULT_AREA_CODE", default="027")  # Wuhan: bare local numbers take it

# Incident imports (disputes/imports.py): the file as sent, every part of an xlsx once unpacked (the
# worksheets are streamed; the other parts, shared strings among them, are read whole), and rows
# counting blank ones. The web request checks these cheaply, without parsing the file.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_SHEET_BYTES = env.int("IMPORT_MAX_SHEET_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_PART_BYTES = env.int("IMPORT_MAX_PART_BYTES", default=16 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)

# The daily selection: made at SELECTION_RUN_AT over the previous day's disputes, dispatched as it
# stands at SELECTION_DISPATCH_BY if nobody has (local times, HH:MM).
SELECTION_RUN_AT = env.str("SELECTION_RUN_AT", default="08:00")
SELECTION_DISPATCH_BY = env.str("SELECTION_DISPATCH_BY", default="09:00")

# Celery: Redis when REDIS_URL is set, otherwise a broker kept in files.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache (login throttles among others) is shared by every process: Redis when REDIS_URL is set.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "cc"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # An unreachable Redis must not hold a web request for a TCP timeout: fail fast, the sweeps re-derive.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One beat schedule, here. Each entry names a job in an app's jobs.py.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "heartbeat": {"task": "control_center.jobs.heartbeat", "schedule": 60.0},
    "sweep-deadlines": {
        "task": "tasks.jobs.sweep_deadlines",
        "schedule": env.float("SWEEP_EVERY_SECONDS", default=60.0),
        "options": {"expires": 55},
    },
    "daily-selection": {
        "task": "control_center.jobs.daily_selection",
        "schedule": crontab(hour=int(SELECTION_RUN_AT.split(":")[0]), minute=int(SELECTION_RUN_AT.split(":")[1])),
    },
    # Every minute: a missed 08:00 run is caught up, and proposals past SELECTION_DISPATCH_BY go out.
    "selection-clock": {"task": "control_center.jobs.selection_clock", "schedule": 60.0, "options": {"expires": 55}},
    "issue-follow-ups": {"task": "disputes.jobs.issue_follow_ups", "schedule": 300.0, "options": {"expires": 290}},
    "resume-imports": {"task": "disputes.jobs.resume_imports", "schedule": 60.0, "options": {"expires": 55}},
    # Recurring standard tasks: each issue's next period is claimed on its next_run_at, exactly once.
    "standard-tasks": {"task": "standard.jobs.run_standard_tasks", "schedule": 60.0, "options": {"expires": 55}},
    # Monday 06:00: last week's ranking is stored (RANKINGS_DAY_OF_WEEK / _HOUR / _MINUTE move it).
    "weekly-rankings": {
        "task": "control_center.jobs.weekly_rankings",
        "schedule": crontab(
            day_of_week=env.str("RANKINGS_DAY_OF_WEEK", default="mon"),
            hour=env.int("RANKINGS_HOUR", default=6),
            minute=env.int("RANKINGS_MINUTE", default=0),
        ),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No personal data in logs: every handler masks phone numbers and resident IDs (stations/masking.py).
    "filters": {"personal_data": {"()": "stations.masking.PersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
