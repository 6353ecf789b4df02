"""Kesbang settings: the one place that reads the environment (django-environ).

Every variable is documented in `.env.example` and in the README. Defaults are the embedded demo
set-up (SQLite and Celery's filesystem transport under ``var/``); production sets DATABASE_URL,
CELERY_BROKER_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import ipaddress
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from kesbang import queues

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env (written by `make run`) fills in what the environment leaves out; tests turn it off
# with DJANGO_READ_DOT_ENV=0 so a developer's .env never changes what they check.
if env.bool("DJANGO_READ_DOT_ENV", default=True) and (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _required(name: str, hint: str) -> str:
    """A value production cannot guess: refuse to start, naming the variable."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} wajib diisi saat DJANGO_DEBUG tidak aktif ({hint}). "
            f"{name} must be set when DJANGO_DEBUG is off."
        )
    return value


if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-kesbang-hanya-untuk-pengembangan")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = _required("DJANGO_SECRET_KEY", "kunci rahasia acak, minimal 50 karakter")
    ALLOWED_HOSTS = [h for h in _required("DJANGO_ALLOWED_HOSTS", "nama host dipisah koma").split(",") if h]

# Reverse proxies (addresses or CIDR networks, comma separated) whose X-Forwarded-For is believed;
# empty: the client is REMOTE_ADDR. Behind deploy/nginx-kesbang.conf on the same machine: 127.0.0.1,::1.
# kesbang.accounts.client_address.client_ip is the one reader (login lockout and audit log).
KESBANG_TRUSTED_PROXIES = env.list("KESBANG_TRUSTED_PROXIES", default=[])
for _proxy in KESBANG_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"KESBANG_TRUSTED_PROXIES: {_proxy!r} bukan alamat IP atau jaringan CIDR. "
            f"{_proxy!r} is not an IP address or CIDR network."
        ) from None

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

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
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI as our own static files (the docs page needs no CDN)
    # Ours, bottom layer first (see DESIGN.md, "one-way rule").
    "kesbang.ops",
    "teams",
    "kesbang.accounts",  # label "kesbang": login security, audit, the role matrix
    "incidents",
    "meetings",
    "kesbang.office",
    "kesbang.integrations",  # top layer: webhooks and the national package (reads every app)
    "kesbang.api",  # the REST API: reads every app, nothing reads it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kesbang.accounts.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kesbang.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kesbang.accounts.security.IdleSessionMiddleware",
    "kesbang.accounts.twofactor.TwoFactorMiddleware",
    "kesbang.accounts.audit.DeniedAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kesbang.urls"
WSGI_APPLICATION = "kesbang.wsgi.application"

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
                "django.template.context_processors.i18n",
                "kesbang.office.context_processors.navigation",
            ],
            "libraries": {"kesbang": "kesbang.core.templatetags"},
        },
    }
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kesbang.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the single-user demo default: wait on locks instead of failing while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://kesbang")}

# --- Accounts -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that loads the login's person, roles and permissions with the user in one query
    "kesbang.core.auth.KesbangBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# django-axes (kesbang/accounts/lockout.py): a username+address pair is locked after AXES_FAILURE_LIMIT failures,
# a username from every address after KESBANG_LOCKOUT_USERNAME_LIMIT (higher: one person cannot lock
# another out at will). The address is kesbang.accounts.client_address.client_ip (KESBANG_TRUSTED_PROXIES).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
KESBANG_LOCKOUT_USERNAME_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=30)
if KESBANG_LOCKOUT_USERNAME_LIMIT <= AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "AXES_USERNAME_FAILURE_LIMIT harus lebih besar dari AXES_FAILURE_LIMIT. "
        "AXES_USERNAME_FAILURE_LIMIT must be greater than AXES_FAILURE_LIMIT."
    )
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "kesbang.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "kesbang.accounts.client_address.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["kesbang.formats"]

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Uploaded evidence and attachments are private: never under STATIC or a public URL; they are served
# only by permission-checked views.
MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "media"))
# No URL serves MEDIA_ROOT in production (nothing routes this prefix); downloads go through views.
MEDIA_URL = "/_private-media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedStaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps are fetched only by a developer's browser tools: not worth gzip and Brotli (Brotli at its
# highest level on the 1-4 MB maps of Swagger UI, ReDoc, Chart.js and Bootstrap was most of the 75 s
# of CPU that collectstatic, run by every `make run`, took).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv", "woff",
    "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Stored files (uploads, generated reports: everything saved through the private storage) are readable
# by the service account and its group only, whatever the process umask; folders likewise.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Backups (kesbang/ops/backup.py, make backup): with a key the dump and the uploads are encrypted
# (AES-256-GCM in chunks). A random key (manage.py backup --generate-key) or a passphrase of 16+
# characters. Keep a copy of it away from the server and the backups: without it they cannot be read.
BACKUP_ENCRYPTION_KEY = env.str("BACKUP_ENCRYPTION_KEY", default="")

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A session ends after this many minutes without a request (kesbang.accounts.security.IdleSessionMiddleware).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# However active, a session ends this many hours after login (kesbang.accounts.security.IdleSessionMiddleware).
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
SECURE_HTTPS = env.bool("DJANGO_SECURE_HTTPS", default=False)
if SECURE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
# Content Security Policy (django-csp): everything from our own origin, no inline script or style,
# no plugins, no framing. Pages pass data with json_script (not executed); SVG/PNG may be data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Two-factor authentication (django-otp, kesbang.accounts.twofactor): every login may enrol a TOTP app; the
# logins that may read rahasia incidents or manage logins must (the permissions in
# kesbang.accounts.twofactor.TWO_FACTOR_PERMISSIONS), and superusers and staff. The issuer is the name
# the authenticator app shows.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Kesbang")
KESBANG_OTP_REQUIRED = True
# Hours an administrator-issued enrolment code (first authenticator) stays valid; it works once.
KESBANG_OTP_ENROLMENT_HOURS = env.int("KESBANG_OTP_ENROLMENT_HOURS", default=24)
# Minutes a re-authentication (password + code) stays fresh for removing or replacing a factor and
# renewing recovery codes.
KESBANG_REAUTH_MINUTES = env.int("KESBANG_REAUTH_MINUTES", default=5)
# The admin never shows a TOTP key, its QR code or a recovery code, to anyone: with them an admin
# could take any account with its second factor (kesbang/accounts/admin_accounts.py keeps devices read-only).
# TOTPDevice.key is stored in plain text in the database, so database backups hold them: keep backups
# encrypted (BACKUP_ENCRYPTION_KEY).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Email --------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://127.0.0.1:25")
vars().update(_email)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kesbang <kesbang@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "data_folder_processed": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    _default_results = f"file://{VAR_DIR / 'celery' / 'results'}"
    (VAR_DIR / "celery" / "results").mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
    _default_results = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_results)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
# Three queues (urgent, routine, heavy), each with its own worker; routes and per-queue time limits
# come from kesbang/queues.py. A worker started without -Q consumes all three.
CELERY_TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in queues.QUEUES)
CELERY_TASK_DEFAULT_QUEUE = queues.DEFAULT_QUEUE
CELERY_TASK_ROUTES = queues.task_routes()
CELERY_TASK_ANNOTATIONS = (queues.QueueLimits(),)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The one beat schedule of the project (DESIGN.md house style 5).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "kesbang-heartbeat": {"task": "kesbang.tasks.heartbeat", "schedule": crontab(minute="*/15")},
    # 07:00 Asia/Jakarta (CELERY_TIMEZONE): reminders 14 and 3 days before action-plan deadlines.
    "teams-action-plan-reminders": {
        "task": "teams.tasks.action_plan_reminders_send",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 60 * 60 * 12},
    },
    # 06:00 Asia/Jakarta: periodic reports whose first working day after the period has come.
    "kesbang-reports-scheduled": {
        "task": "kesbang.tasks.reports_schedule_due",
        "schedule": crontab(hour=6, minute=0),
        "options": {"expires": 60 * 60 * 12},
    },
    # Monday 07:00 Asia/Jakarta: the weekly summary of the week that just ended.
    "kesbang-weekly-summary": {
        "task": "kesbang.tasks.weekly_summary_plan",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
        "options": {"expires": 60 * 60 * 12},
    },
    # Every 10 minutes: summary and report emails still pending or held by a dead worker are re-sent.
    "kesbang-deliveries-sweep": {
        "task": "kesbang.tasks.deliveries_sweep",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 60 * 9},
    },
    # Every 5 minutes: reports whose worker died mid-way (or whose message was lost) are redone.
    "kesbang-reports-sweep": {
        "task": "kesbang.tasks.reports_resume_stuck",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 60 * 4},
    },
    # Every 10 minutes: early-warning alerts whose task message was lost (Redis restart) or left pending.
    "incidents-alerts-sweep": {
        "task": "incidents.tasks.incident_alerts_sweep",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 60 * 9},
    },
    # 07:30 WIB: reports awaiting verification, one digest per verifier and day.
    "incidents-verification-digest": {
        "task": "incidents.tasks.verification_digest_send",
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 60 * 60 * 12},
    },
    # 07:05 WIB: Status Keadaan Konflik reminders 14 and 3 days before the end.
    "incidents-conflict-status-reminders": {
        "task": "incidents.tasks.conflict_status_reminders_send",
        "schedule": crontab(hour=7, minute=5),
        "options": {"expires": 60 * 60 * 12},
    },
    # 02:30 WIB: the reporter's contact (and photos still held) of public reports closed for longer than
    # PUBLIC_REPORT_RETENTION_DAYS are erased, once each, with an audit event.
    "incidents-public-report-retention": {
        "task": "incidents.tasks.public_report_retention",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 60 * 60 * 12},
    },
    # Every 10 minutes: webhook events and deliveries whose task message was lost or whose worker died.
    "integrations-webhooks-sweep": {
        "task": "kesbang.integrations.tasks.webhooks_sweep",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 60 * 9},
    },
    # Every 5 minutes: national packages whose worker died mid-way (or whose message was lost).
    "integrations-packages-sweep": {
        "task": "kesbang.integrations.tasks.packages_resume_stuck",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 60 * 4},
    },
    # 07:00 Asia/Jakarta: meeting reminders (unanswered invitations, attendees, action items due and overdue).
    "meetings-reminders": {
        "task": "meetings.tasks.meeting_reminders_send",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 60 * 60 * 12},
    },
}

# --- Forms ---------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
    },
}
# --- Office layer: letterhead (kop surat) of reports and emails, report generation -----------------
# The province this office serves, by its Kemendagri code (19: Kepulauan Bangka Belitung); other
# provinces may be loaded (manage.py load_regions), the office's own reports are this one's.
KESBANG_PROVINCE_CODE = env.str("OFFICE_PROVINCE_CODE", default="19")
KESBANG_OFFICE_GOVERNMENT = env.str("OFFICE_GOVERNMENT", default="PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG")
# The office's full name (emails, spreadsheets) and the letterhead's large line.
KESBANG_OFFICE_NAME = env.str(
    "OFFICE_NAME", default="Badan Kesatuan Bangsa dan Politik Provinsi Kepulauan Bangka Belitung"
)
KESBANG_LETTERHEAD_OFFICE = env.str("LETTERHEAD_OFFICE", default="BADAN KESATUAN BANGSA DAN POLITIK")
KESBANG_OFFICE_ADDRESS = env.str(
    "OFFICE_ADDRESS", default="Kompleks Perkantoran Gubernur, Jl. Pulau Bangka, Air Itam, Pangkalpinang 33149"
)
KESBANG_OFFICE_CONTACT = env.str(
    "OFFICE_CONTACT", default="Telepon (0717) 438001 · kesbangpol.babelprov.go.id · kesbangpol@babelprov.go.id"
)
KESBANG_OFFICE_CITY = env.str("OFFICE_CITY", default="Pangkalpinang")
KESBANG_OFFICE_LOGO = env.str("OFFICE_LOGO", default=str(BASE_DIR / "static" / "img" / "logo.svg"))
# A report still "diproses" without progress for this long is taken as abandoned (worker died) and
# redone by the sweeper; every section reports progress, so a live worker never looks stale.
REPORT_STALE_SECONDS = env.int("REPORT_STALE_SECONDS", default=5 * 60)

# --- Webhooks (kesbang.integrations) -----------------------------------------------------------------
# Private, loopback and link-local targets are refused unless allowed (a local receiver in development).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=DEBUG)
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)  # seconds per request
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)  # tries per delivery, backoff in between
WEBHOOK_BACKOFF = 30  # seconds before the first retry, doubling each time
WEBHOOK_BACKOFF_MAX = env.int("WEBHOOK_BACKOFF_MAX", default=60 * 60)
# Key that encrypts the shared secrets at rest (empty: derived from DJANGO_SECRET_KEY).
WEBHOOK_SECRET_KEY = env.str("WEBHOOK_SECRET_KEY", default="")

ACTION_PLAN_DEADLINE_DAYS = env.int("ACTION_PLAN_DEADLINE_DAYS", default=10)
ACTION_PLAN_REMINDER_DAYS = (14, 3)

# --- Incidents ----------------------------------------------------------------------------------
# Optional background tiles for the incident map (e.g. a local tile server); empty = boundaries only.
INCIDENT_MAP_TILES_URL = env.str("INCIDENT_MAP_TILES_URL", default="")
INCIDENT_MAP_TILES_ATTRIBUTION = env.str("INCIDENT_MAP_TILES_ATTRIBUTION", default="")
# Days before a Status Keadaan Konflik ends when the team leaders are reminded.
CONFLICT_STATUS_REMINDER_DAYS = (14, 3)
# Meetings: reminder days before the meeting for attendees (comma separated), for invitees who have
# not answered, and before an action item's due date; days the personal answer link stays valid.
MEETINGS_ATTENDEE_REMINDER_DAYS = tuple(env.list("MEETINGS_ATTENDEE_REMINDER_DAYS", cast=int, default=[1, 3]))
MEETINGS_RSVP_REMINDER_DAYS = env.int("MEETINGS_RSVP_REMINDER_DAYS", default=3)
MEETINGS_ACTION_DUE_REMINDER_DAYS = env.int("MEETINGS_ACTION_DUE_REMINDER_DAYS", default=3)
MEETINGS_RSVP_MAX_AGE_DAYS = env.int("MEETINGS_RSVP_MAX_AGE_DAYS", default=60)

# --- REST API (kesbang/api) --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kesbang.api.authentication.TokenAuthentication",
        "kesbang.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kesbang.api.permissions.PagePermission", "kesbang.api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["kesbang.api.throttling.ApiRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],  # no browsable API: the docs page
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kesbang.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
# Requests per token, per session login and per address without a login (DRF rate syntax: N/second,
# minute, hour, day), counted in the cache (CACHE_URL: Redis in production, shared by the workers).
KESBANG_API_THROTTLE_RATES = {
    "token": env.str("API_THROTTLE_TOKEN", default="300/min"),
    "user": env.str("API_THROTTLE_SESSION", default="300/min"),
    "anon": env.str("API_THROTTLE_ANON", default="30/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kesbang API",
    "DESCRIPTION": (
        "REST API Kesbang (Tim Terpadu Penanganan Konflik Sosial). Hak akses sama dengan halaman: peran, "
        "wilayah dan kebijakan klasifikasi insiden. Masuk dengan token akses pribadi "
        "(`Authorization: Bearer kbg_…`, dibuat di /akun/token/) atau sesi peramban. Daftar memakai "
        "halaman berkursor (`next`); detail membawa ETag (If-None-Match → 304)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "IncidentKindEnum": "incidents.models.Incident.Kind",
        "IncidentStatusEnum": "incidents.models.Incident.Status",
        "IncidentSourceEnum": "incidents.models.Incident.Source",
        "ActorTypeEnum": "incidents.models.Incident.ActorType",
        "FollowUpKindEnum": "incidents.models.FollowUp.Kind",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "InvitationSourceEnum": "meetings.models.Invitation.Source",
        "ActionItemStatusEnum": "meetings.models.ActionItem.Status",
        "ResolutionKindEnum": "meetings.models.Resolution.Kind",
        "ReportKindEnum": "kesbang.office.models.Report.Kind",
        "ReportStatusEnum": "kesbang.office.models.Report.Status",
        "TeamLevelEnum": "teams.models.Team.Level",
        "TeamStatusEnum": "teams.models.Team.Status",
        "RegionLevelEnum": "teams.models.Region.Level",
        "InstitutionKindEnum": "teams.models.Institution.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kesbang.api.schema.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# --- Public intake (issue 16): the public report form /lapor/ and its triage ----------------------------
# Days after a public report is closed (rejected, or its incident finished or rejected) when the
# reporter's name and contact, and photos still held, are erased by the beat task
# (incidents.tasks.public_report_retention); the consent text on the form states this number.
PUBLIC_REPORT_RETENTION_DAYS = env.int("PUBLIC_REPORT_RETENTION_DAYS", default=180)
# Abuse limits without any outside service (django-ratelimit counters in the default cache: with more
# than one web process the cache must be shared, CACHE_URL=redis://...). "N/h" = N per hour.
PUBLIC_REPORT_RATE_DEVICE = env.str("PUBLIC_REPORT_RATE_DEVICE", default="5/h")  # reports per device
PUBLIC_REPORT_RATE_ADDRESS = env.str("PUBLIC_REPORT_RATE_ADDRESS", default="20/h")  # reports per client address
PUBLIC_REPORT_RATE_ATTEMPTS = env.str("PUBLIC_REPORT_RATE_ATTEMPTS", default="60/h")  # any POST per address
PUBLIC_TRACKING_RATE = env.str("PUBLIC_TRACKING_RATE", default="30/h")  # tracking-code look-ups per address
# A form sent sooner than this after it was opened is a program's, not a person's.
PUBLIC_REPORT_MIN_FILL_SECONDS = env.int("PUBLIC_REPORT_MIN_FILL_SECONDS", default=5)
# A form page older than this (kept offline on a phone) is refused once and shown again to send.
PUBLIC_REPORT_FORM_MAX_AGE_DAYS = env.int("PUBLIC_REPORT_FORM_MAX_AGE_DAYS", default=30)
PUBLIC_REPORT_MAX_PHOTOS = 3
PUBLIC_REPORT_PHOTO_MAX_MB = env.int("PUBLIC_REPORT_PHOTO_MAX_MB", default=5)
# django-ratelimit: our own key functions (kesbang.accounts.client_address); a cache that is down lets
# reports through (logged) rather than shutting the public out.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
