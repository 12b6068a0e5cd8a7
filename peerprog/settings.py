"""Settings for peerprog, read from the environment in one place.

Every value that differs between a laptop, CI and production comes from an
environment variable. Bad values stop the process at start-up with a message
rather than surfacing later as a confusing error.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from peerprog.settings_env import (
    SSO_PROVIDER_ID,  # noqa: F401 - a setting: the provider's id in its redirect URI
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_str,
    logging_settings,
    private_storage,
    sso_issuer_origin,
    sso_providers,
    visibility_timeout,
)

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", False)
# Under pytest the test settings apply without being asked for.
TESTING = env_bool("PEERPROG_TESTING", Path(sys.argv[0]).name in {"pytest", "py.test"})

# Only for DEBUG and tests; production refuses to start without SECRET_KEY.
_DEV_SECRET_KEY = "django-insecure-peerprog-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value, or set DEBUG=true "
            "to run locally with a development key."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # After django.contrib.auth, so that its ready() can replace auth's
    # last-login receiver.
    "peerprog.core",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "template_partials",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "axes",
    # Single sign-on for staff: only allauth's social sign-in is used (see
    # the SSO block below); its own sign-up and password pages are not routed.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # The second factor: authenticator apps (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "recruitment",
    "training",
    "readiness",
    "deployment",
    "supervision",
    "selfservice",
    "peerprog.dashboard",
    "peerprog.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL character in the address or a form is refused with 400 before
    # anything reads it (PostgreSQL cannot store one). After WhiteNoise, so
    # static files are not looked at; before sign-in, so it holds everywhere.
    "peerprog.core.middleware.refuse_nul_bytes",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every answer to a signed-in person: Cache-Control: no-store, private.
    "peerprog.core.middleware.private_pages_not_stored",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A signed-in session that has not passed the second factor reaches only
    # the second-factor pages and sign-out (peerprog/core/second_factor.py).
    "peerprog.core.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The reports kept until their tables change ask once per request.
    "peerprog.core.report_changes.version_once_per_request",
    # In the embedded demo (tasks run in the request), the dashboard's figures
    # are refreshed once at the end of a request that wrote to them.
    "peerprog.dashboard.refresh_queue.refresh_after_request",
    "simple_history.middleware.HistoryRequestMiddleware",
    # allauth keeps the state of a single sign-on between the two requests.
    "allauth.account.middleware.AccountMiddleware",
    # Axes must come last so that it sees every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peerprog.urls"
WSGI_APPLICATION = "peerprog.wsgi.application"
ASGI_APPLICATION = "peerprog.asgi.application"

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
                "csp.context_processors.nonce",
                "peerprog.core.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, or an embedded SQLite file so that
# the demo runs anywhere without set-up.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler recompiles the pages' correlated subqueries
        # on every request and costs more than it saves on queries this size.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is the Celery broker and the cache when REDIS_URL is set. Without it,
# tasks run eagerly in the web process and the cache lives in memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "peerprog",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses sign-in to an account paused after failures from any address
    # (peerprog/core/lockout.py); before the backend that checks passwords.
    "peerprog.core.lockout.AccountPauseBackend",
    # Django's and allauth's backends (the latter signs in the staff account
    # that single sign-on matched), each reading the user with their
    # programme in one query (peerprog/core/auth_backends.py).
    "peerprog.core.auth_backends.PasswordBackend",
    "peerprog.core.auth_backends.SingleSignOnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Tests create many users; a fast hash keeps them quick. Never in production.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 4

# Sessions end after 30 minutes without a request: the records are
# special-category data and shared ward computers are common.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
# The database store, but an unchanged session is written back at most once
# a minute (see peerprog/core/sessions.py).
SESSION_ENGINE = "peerprog.core.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Single sign-on for staff (OpenID Connect, e.g. Microsoft Entra ID). On when
# SSO_ISSUER_URL is set. A staff account is matched by the verified e-mail
# address the organisation gives, in one of SSO_ALLOWED_DOMAINS; nobody is
# ever created through it (see peerprog/core/sso.py). With SSO on, staff
# passwords are refused unless STAFF_LOCAL_PASSWORDS says otherwise;
# superusers keep theirs (the break-glass account).
SSO_ISSUER_URL = env_str("SSO_ISSUER_URL").rstrip("/")
SSO_ENABLED = bool(SSO_ISSUER_URL)
SSO_CLIENT_ID = env_str("SSO_CLIENT_ID")
SSO_CLIENT_SECRET = env_str("SSO_CLIENT_SECRET")
SSO_ALLOWED_DOMAINS = [domain.lower().lstrip("@") for domain in env_list("SSO_ALLOWED_DOMAINS")]
SSO_PROVIDER_NAME = env_str("SSO_PROVIDER_NAME", "your organisation")
# The provider asks for its own second factor (Entra ID's tokens need not say
# so in "amr"), so peerprog does not ask again after a single sign-on.
SSO_PROVIDER_ENFORCES_MFA = env_bool("SSO_PROVIDER_ENFORCES_MFA", False)
STAFF_LOCAL_PASSWORDS = env_bool("STAFF_LOCAL_PASSWORDS", not SSO_ENABLED)

SSO_ISSUER_ORIGIN = sso_issuer_origin(
    issuer=SSO_ISSUER_URL,
    complete=bool(SSO_CLIENT_ID and SSO_CLIENT_SECRET and SSO_ALLOWED_DOMAINS),
    plain_http_allowed=DEBUG or TESTING,
)

# django-allauth, for the social sign-in only. Accounts are never made
# through it, and e-mail and passwords stay peerprog's own.
ACCOUNT_ADAPTER = "peerprog.core.sso.NoSignUpAccountAdapter"
SOCIALACCOUNT_ADAPTER = "peerprog.core.sso.StaffAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if (DEBUG or TESTING) else "https"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = ""


SOCIALACCOUNT_PROVIDERS = sso_providers(
    issuer=SSO_ISSUER_URL, client_id=SSO_CLIENT_ID, secret=SSO_CLIENT_SECRET, name=SSO_PROVIDER_NAME
)

# Lock-out after repeated failed sign-ins for the same account from the same
# address, lifted automatically after a cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_CLIENT_IP_CALLABLE = "peerprog.core.access.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Attempts refused while a pause is on are not counted (they would only
# make the pause longer for the account's owner).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# And a limit per account across all addresses (peerprog/core/lockout.py):
# after ACCOUNT_FAILURE_LIMIT failures within the window, sign-in to the
# account pauses, for a wait that doubles with each further failure from
# ACCOUNT_PAUSE_FIRST up to ACCOUNT_PAUSE_MAX; the owner is told once.
ACCOUNT_FAILURE_LIMIT = env_int("ACCOUNT_FAILURE_LIMIT", 10)
ACCOUNT_FAILURE_WINDOW = timedelta(minutes=env_int("ACCOUNT_FAILURE_WINDOW_MINUTES", 60))
ACCOUNT_PAUSE_FIRST = timedelta(minutes=env_int("ACCOUNT_PAUSE_FIRST_MINUTES", 1))
ACCOUNT_PAUSE_MAX = timedelta(minutes=env_int("ACCOUNT_PAUSE_MAX_MINUTES", 60))
# The second factor: a code from an authenticator app (TOTP), with one-time
# recovery codes. Required for staff holding any of these roles (the roles
# that read special-category data: sensitive facts, wellbeing plans, the
# equality monitoring report) and for system administrators; offered to
# everyone else. "none" leaves it offered only, which is for the demo and
# never for a live system.
_SECOND_FACTOR_DEFAULT_ROLES = "Programme lead,HR,Supervisor,Admin,Data protection officer"
SECOND_FACTOR_REQUIRED_ROLES = [
    role.strip()
    for role in (env_str("SECOND_FACTOR_REQUIRED_ROLES") or _SECOND_FACTOR_DEFAULT_ROLES).split(",")
    if role.strip() and role.strip().lower() != "none"
]
SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS = env_bool(
    "SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS", True
)
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env_str("SECOND_FACTOR_ISSUER", "peerprog")
# The number of proxies in front of the app that append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["peerprog.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Private files (portfolios, background exports): one store with no public
# address, shared by every web and worker process. PRIVATE_STORAGE chooses
# it: "local" (a directory on this machine, outside MEDIA_ROOT: one machine
# only), "azure" (Azure Blob Storage) or "s3" (an S3-compatible store); see
# peerprog/settings_env.py for each one's variables.
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": private_storage(env_str("PRIVATE_STORAGE", "local")),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Upload limits: forms stay small; files (imports, portfolios) are capped
# again by the views that accept them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Imports: rows of data in one file, and a workbook's size once unzipped.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_EXPANDED_BYTES = env_int("IMPORT_MAX_EXPANDED_BYTES", 64 * 1024 * 1024)
# An import job that has shown no progress for this long is taken for dead
# (its worker stopped) and marked as stopped; the file of a stopped job is
# deleted this many minutes after it stopped (imports_sweep, every minute).
IMPORT_STUCK_MINUTES = env_int("IMPORT_STUCK_MINUTES", 10)
IMPORT_STOPPED_FILE_MINUTES = env_int("IMPORT_STOPPED_FILE_MINUTES", 60)
FILE_UPLOAD_PERMISSIONS = 0o600

WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A strict Content-Security-Policy: every script and style is served from
# our own origin; nothing inline, nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # A sign-in form posts to peerprog, which redirects to the SSO
        # provider: browsers check that redirect against form-action too.
        "form-action": [SELF, SSO_ISSUER_ORIGIN] if SSO_ENABLED else [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    # Production runs behind a TLS-terminating proxy that sets
    # X-Forwarded-Proto; only that proxy may reach the app.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = not TESTING
    CSRF_COOKIE_SECURE = not TESTING


_email = email_settings(
    env_str("EMAIL_URL", "console://" if (DEBUG or TESTING) else "smtp://localhost:25")
)
EMAIL_BACKEND = str(_email.pop("EMAIL_BACKEND"))
globals().update(_email)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "peerprog <no-reply@peerprog.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[peerprog] "

# Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# Acknowledge a task when it ends, so a task cut short is delivered again.
CELERY_TASK_ACKS_LATE = True
# Likewise when the worker process running it dies (killed, out of memory).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Take one task at a time, so none waits unstarted behind a slow one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On losing Redis, stop running tasks (delivered again) rather than finish them unacknowledged.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# The longest task (a backfill of retention snapshots) must finish inside the
# hard time limit, and Redis must wait longer than that (and than any retry's
# countdown) before it delivers an unacknowledged task again: otherwise a slow
# or postponed task would run twice.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - max(1, CELERY_TASK_TIME_LIMIT // 10))
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": visibility_timeout(CELERY_TASK_TIME_LIMIT)}
CELERY_TASK_DEFAULT_RETRY_DELAY = 60

# The outbox (every e-mail): a send holds its row for the lease, far longer
# than one message can take (EMAIL_TIMEOUT per step); failed sends are tried
# again, doubling the wait from OUTBOX_RETRY_SECONDS, up to
# OUTBOX_MAX_ATTEMPTS, then wait as failed for an admin. Accepted messages
# lose their body after OUTBOX_BODY_DAYS and the row after OUTBOX_KEEP_DAYS.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 5 * 60)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 200)
OUTBOX_BATCH_SECONDS = env_int("OUTBOX_BATCH_SECONDS", 60)
OUTBOX_BODY_DAYS = env_int("OUTBOX_BODY_DAYS", 14)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 90)
OUTBOX_MESSAGE_ID_DOMAIN = env_str(
    "OUTBOX_MESSAGE_ID_DOMAIN",
    urlsplit(env_str("SITE_URL", "http://peerprog.invalid")).hostname or "peerprog.invalid",
)
# Tests only: seconds a send pauses at a point ("connect": after the claim,
# before talking to the server; "accepted": after the server took the
# message, before the mark), so a test can kill the worker there. Empty
# outside the test settings.
OUTBOX_TEST_PAUSES: dict[str, float] = {}
if TESTING:
    if env_int("PEERPROG_TEST_SEND_DELAY", 0):
        OUTBOX_TEST_PAUSES["connect"] = env_int("PEERPROG_TEST_SEND_DELAY", 0)
    if env_str("PEERPROG_TEST_PAUSE_AT", ""):
        OUTBOX_TEST_PAUSES[env_str("PEERPROG_TEST_PAUSE_AT", "")] = float(
            env_str("PEERPROG_TEST_PAUSE_SECONDS", "30")
        )
    # Seconds an import job waits after each batch, so a test can kill
    # its worker in the middle of it.
    IMPORT_TEST_BATCH_PAUSE = float(env_str("PEERPROG_TEST_IMPORT_PAUSE", "0"))
    # Every message sent under test settings must come from the outbox.
    OUTBOX_ONLY_WRAPS = EMAIL_BACKEND
    EMAIL_BACKEND = "peerprog.core.outbox.testing.OutboxOnlyBackend"
# Portfolios waiting longer than this for an assessor's mark remind them weekly.
REMINDER_MARKING_DAYS = env_int("REMINDER_MARKING_DAYS", 14)
# Pre-employment checks still outstanding this many days before a start date.
REMINDER_CHECKS_DAYS = env_int("REMINDER_CHECKS_DAYS", 14)
# A converted post not advertised this many days after its conversion.
REMINDER_ADVERT_DAYS = env_int("REMINDER_ADVERT_DAYS", 28)
# Appointing someone who completed the course less than PAIRING_NEW_GRADUATE_MONTHS
# ago to a service of one of PAIRING_SERVICE_SETTINGS (service kinds, e.g.
# acute_inpatient) warns HR to pair them with a peer worker in post for
# PAIRING_EXPERIENCED_MONTHS or more.
PAIRING_NEW_GRADUATE_MONTHS = env_int("PAIRING_NEW_GRADUATE_MONTHS", 12)
PAIRING_EXPERIENCED_MONTHS = env_int("PAIRING_EXPERIENCED_MONTHS", 12)
PAIRING_SERVICE_SETTINGS = env_list("PAIRING_SERVICE_SETTINGS", "acute_inpatient")
# Exports of more rows than this are prepared in the background; their files
# are kept (privately, for the person who asked) for EXPORT_FILE_HOURS.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 20_000)
# XLSX is several times slower to write than CSV.
EXPORT_BACKGROUND_ROWS_XLSX = env_int("EXPORT_BACKGROUND_ROWS_XLSX", 5_000)
EXPORT_FILE_HOURS = env_int("EXPORT_FILE_HOURS", 24)
# Subject access requests: the days a prepared archive is kept before the
# nightly task deletes it, and the record kinds a person's own "download my
# data" leaves out (staff's private notes; README, "Subject access requests").
SUBJECT_ACCESS_KEEP_DAYS = env_int("SUBJECT_ACCESS_KEEP_DAYS", 30)
SUBJECT_ACCESS_EXEMPT_KINDS = ("mentor_meeting_notes", "supervision_notes", "panel_notes")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# Logs name records by id only: never names, notes or health facts.
LOGGING = logging_settings(env_str("LOG_LEVEL", "INFO"))

SILENCED_SYSTEM_CHECKS: list[str] = []
