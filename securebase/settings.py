"""Django settings for Secure Base. Every value comes from the environment (see .env.example)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from securebase.core.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_site_url,
    generate_fernet_key,
    generate_raw_key,
    generate_secret_key,
    validate_fernet_keys,
    validate_raw_keys,
)

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SECUREBASE_VAR_DIR", PACKAGE_DIR.parent / "var")).resolve()

# DEBUG=1 means local use (`make demo`, `make run`): secrets generated under var/, plain http on
# 127.0.0.1, static files straight from the source. It does not turn on Django's debug mode:
# error pages, 503s and the Content-Security-Policy stay those of production, and no page ever
# shows a traceback with a client's words in it. DJANGO_DEBUG=1 turns Django's debug mode on, for
# working on Secure Base itself.
LOCAL = env_bool("DEBUG", False)
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_secret(
    "SECRET_KEY", debug=LOCAL, local_file=VAR_DIR / "secret_key", generate=generate_secret_key
)
# Newest key first; older keys still decrypt until `securebase rotate-keys` has re-encrypted.
FIELD_ENCRYPTION_KEYS = [
    key.strip()
    for key in env_secret(
        "FIELD_ENCRYPTION_KEYS",
        debug=LOCAL,
        local_file=VAR_DIR / "field_encryption_keys",
        generate=generate_fernet_key,
    ).split(",")
    if key.strip()
]

validate_fernet_keys("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS)

# The audit log's keys (securebase/audit/keys.py), never stored in the database: HMAC keys that
# chain the events (newest first), the Ed25519 key that signs checkpoints, and the public keys of
# earlier signing keys.
AUDIT_KEYS = [
    key.strip()
    for key in env_secret(
        "AUDIT_KEYS", debug=LOCAL, local_file=VAR_DIR / "audit_keys", generate=generate_raw_key
    ).split(",")
    if key.strip()
]
AUDIT_SIGNING_KEY = env_secret(
    "AUDIT_SIGNING_KEY",
    debug=LOCAL,
    local_file=VAR_DIR / "audit_signing_key",
    generate=generate_raw_key,
)
AUDIT_VERIFY_KEYS = env_list("AUDIT_VERIFY_KEYS", [])
validate_raw_keys("AUDIT_KEYS", AUDIT_KEYS)
validate_raw_keys("AUDIT_SIGNING_KEY", [AUDIT_SIGNING_KEY])
validate_raw_keys("AUDIT_VERIFY_KEYS", AUDIT_VERIFY_KEYS, at_least_one=False)
# Every checkpoint is also appended to a file here, outside the database (a directory of its own,
# ideally on other storage); `securebase audit verify` checks the database against it.
AUDIT_WITNESS_DIR = Path(os.environ.get("AUDIT_WITNESS_DIR", VAR_DIR / "audit-witness")).resolve()
# Optionally a copy of every checkpoint to syslog: a socket path (/dev/log) or host:port (UDP).
AUDIT_WITNESS_SYSLOG = os.environ.get("AUDIT_WITNESS_SYSLOG", "").strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if LOCAL else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_prometheus",  # request counts and latencies by view name, at /metrics
    "django_countries",  # country names in every language, for the client's country
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "securebase.core",
    "securebase.accounts",
    "securebase.audit",
    "securebase.care",
    "securebase.measures",
    "securebase.understand",
    "securebase.practise",
    "securebase.learn",
    "securebase.plan",
    "securebase.safety",
    "securebase.maintain",
    "securebase.api",
    "django_tasks",
    "django_tasks_db",
]

# Background work (reminders) through the Django Tasks API; the database backend by default.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "securebase.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "securebase.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "securebase.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "securebase.accounts.middleware.SessionLimitsMiddleware",
    "securebase.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Signing out wipes this browser's cached pages and stored drafts (a shared phone stays clean).
    "securebase.safety.middleware.ClearSiteDataOnSignOut",
    "securebase.accounts.middleware.RequireMfaMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "securebase.urls"
WSGI_APPLICATION = "securebase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "securebase.core.context_processors.navigation",
                "securebase.safety.context_processors.crisis_reminder",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'securebase.sqlite3'}")
_database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; FULL fsyncs every commit (nothing lost);
    # IMMEDIATE takes the write lock at BEGIN so two writers queue instead of failing mid-way.
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=FULL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    if str(_database.get("NAME", "")).startswith(str(VAR_DIR)):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database.setdefault("OPTIONS", {})
    _database["CONN_HEALTH_CHECKS"] = True
_database["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, rate limits ----------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Sessions end after inactivity (per role) and after an absolute limit, whatever the activity.
SESSION_IDLE_TIMEOUT_CLINICIAN = timedelta(
    minutes=env_int("SESSION_IDLE_MINUTES_CLINICIAN", 30, minimum=1)
)
SESSION_IDLE_TIMEOUT_CLIENT = timedelta(
    minutes=env_int("SESSION_IDLE_MINUTES_CLIENT", 60, minimum=1)
)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "securebase_session"

# --- Authentication ---------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# allauth's backend checks passwords of unknown emails too, so timing reveals no account.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    # Django's Argon2 hasher uses the Argon2id variant.
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # password-reset links are valid for one hour
INVITATION_VALID_DAYS = 7
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "securebase.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_FORMS = {"login": "securebase.accounts.forms.LoginForm"}
# Failed sign-ins slow down the (account, address) they come from (accounts/throttle.py): the
# first few cost nothing, then each one doubles the wait before that address's next password for
# that account is even checked. A full sign-in clears the count; other addresses never wait.
SIGNIN_FREE_FAILURES = 3
SIGNIN_FIRST_WAIT = timedelta(minutes=1)
SIGNIN_LONGEST_WAIT = timedelta(minutes=15)
SIGNIN_FORGET_FAILURES_AFTER = timedelta(days=1)
# Against password spraying: failed sign-ins (passwords and codes, any account) allowed per
# address (".../ip"); allauth counts them in the cache. A per-account (".../key") part, as older
# settings had, is dropped: five wrong passwords from anywhere would lock the real person out.
LOGIN_RATE_LIMIT = ",".join(
    part.strip()
    for part in os.environ.get("LOGIN_RATE_LIMIT", "20/10m/ip").split(",")
    if part.strip() and not part.strip().endswith("/key")
)
ACCOUNT_RATE_LIMITS = {
    "login_failed": LOGIN_RATE_LIMIT,
    "reset_password": "20/m/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Secure Base"
# Accept the code of the neighbouring 30-second period too (RFC 6238 §5.2: clock drift and slow
# typing); a used code is refused for the whole window, so this opens no replay.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_FORMS = {"authenticate": "securebase.accounts.forms.MfaCodeForm"}

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = LOCAL
# Locally, static files are found in the source on each request (no collectstatic, no warning
# about a missing STATIC_ROOT), as Django's debug mode would.
WHITENOISE_AUTOREFRESH = LOCAL

# --- Email ------------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds to wait for the mail server: a hung server must not hold up a client's crisis page
# (risk-flag emails are sent as the flag is stored; unsent ones are retried by the worker).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Secure Base <no-reply@localhost>")

# --- Security headers -------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "securebase.core.views.csrf_failure"
HTTPS = env_bool("HTTPS", not LOCAL)
# The address in every link sent out (invitations, password resets, alerts, reminders), always
# through securebase.core.links.absolute_url. Unset: locally (DEBUG=1) http://$HOST:$PORT, where
# `make demo` serves (127.0.0.1:8000 by default); in production the first exact host in
# ALLOWED_HOSTS, over https unless HTTPS=0.
SITE_URL = env_site_url("SITE_URL", debug=LOCAL, allowed_hosts=ALLOWED_HOSTS, https=HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For (securebase/core/addresses.py):
# the client's address, for the audit trail and the sign-in limits, is the entry they appended.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Logs go to standard error, one JSON object a line in production (LOG_FORMAT=json: time, level,
# logger, message, request_id), plain text locally. Nothing logs a client's words, names or
# search terms: messages name records by id.
LOG_FORMAT = env_choice("LOG_FORMAT", ("json", "plain"), "plain" if LOCAL else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

NINJA_PAGINATION_PER_PAGE = 50
# The descriptive quadrant rule on the attachment plane (INSTRUMENTS.md §3.7, option 3): a mean
# above the 1–7 midpoint counts as high; set INCLUSIVE=1 to count the midpoint itself as high.
ATTACHMENT_QUADRANT_THRESHOLD = float(os.environ.get("ATTACHMENT_QUADRANT_THRESHOLD", "4"))
ATTACHMENT_QUADRANT_INCLUSIVE = env_bool("ATTACHMENT_QUADRANT_INCLUSIVE", False)
# Canonical base of our FHIR Questionnaire URLs: stable when the server moves.
FHIR_CANONICAL_BASE = os.environ.get("FHIR_CANONICAL_BASE", "https://securebase.example/fhir")
# While there is activity, every chain's head is pinned (signed, and written to the witness) at
# least this often: deleting events is detected once they are this old.
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 5, minimum=1)
# A process that wrote audit events writes a last checkpoint when it exits.
AUDIT_CHECKPOINT_ON_EXIT = env_bool("AUDIT_CHECKPOINT_ON_EXIT", True)
API_TOKEN_DEFAULT_DAYS = 90
# /metrics (Prometheus) answers only a scrape from one of these addresses, or one sending
# "Authorization: Bearer $METRICS_TOKEN"; everyone else gets 404. Labels are view names only.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", [])
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# /readyz answers 503 when a queued task has waited this long: no task worker is running.
WORKER_LATE_MINUTES = env_int("WORKER_LATE_MINUTES", 10, minimum=1)
# How long a process keeps a client's unwrapped data key in memory. After an erasure, another
# running process may still decrypt that client's words for at most this long (the erased record
# is closed to every page at once; this bounds the memory copy).
DATA_KEY_CACHE_SECONDS = env_int("DATA_KEY_CACHE_SECONDS", 300, minimum=1)
# Records are kept this many years after the end of care before they may be erased (the practice
# sets its own, following its regulator: often 7-8 years for adults, longer for children).
RECORD_RETENTION_YEARS = env_int("RECORD_RETENTION_YEARS", 8, minimum=0)
# The caseload flags a client with an active check-in schedule and no check-in for this many days.
CASELOAD_MISSED_CHECKIN_DAYS = env_int("CASELOAD_MISSED_CHECKIN_DAYS", 3, minimum=1)
# Crisis lines shown with the safety plan: the shipped file, or the practice's own copy (YAML).
CRISIS_RESOURCES_FILE = os.environ.get("CRISIS_RESOURCES_FILE", "").strip() or None
# The country whose crisis lines a client sees until they choose another (ISO 3166-1 alpha-2).
CRISIS_DEFAULT_COUNTRY = os.environ.get("CRISIS_DEFAULT_COUNTRY", "GB").strip().upper()
# The safety plan stays readable offline on the client's phone for this many days after it was
# last opened online; after that (or on sign-out) the copy is forgotten.
SAFETY_PLAN_OFFLINE_DAYS = env_int("SAFETY_PLAN_OFFLINE_DAYS", 7, minimum=1)
# Stepping down or discharge waits ("not now") while a risk flag is open or was raised this many
# weeks ago or less.
SAFETY_HOLD_WEEKS = env_int("SAFETY_HOLD_WEEKS", 4, minimum=1)
