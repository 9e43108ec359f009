"""Settings for CitySocial, read from the environment (12-factor).

Defaults run on a laptop with nothing but Python: SQLite under var/ and a
Celery broker on the filesystem. Set DATABASE_URL and REDIS_URL (or
CELERY_BROKER_URL) to use PostgreSQL and Redis. Set CITYSOCIAL_PRODUCTION=1 in
production: secrets then have no defaults and the HTTPS settings switch on.
"""

import json
import os
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CITYSOCIAL_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


def redis_database_for(url: str, test_process: str) -> str:
    """The Redis URL moved to a database of this test process's own ("gw0", "gw1", ...):
    database d becomes d + 4 * n (mod 16), distinct for up to four processes. Other URLs are
    returned unchanged."""
    if not url.startswith(("redis://", "rediss://")):
        return url
    number = int(test_process.removeprefix("gw") or 0)
    if number == 0:
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database + 4 * number) % 16}"))


def required_in_production(name: str, local_default: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when CITYSOCIAL_PRODUCTION is on.")
    return local_default


PRODUCTION = envbool("CITYSOCIAL_PRODUCTION")
DEBUG = envbool("DEBUG", default=not PRODUCTION)
SECRET_KEY = required_in_production(
    "SECRET_KEY", "insecure-local-only-key-do-not-use-in-production-3f9c2a71b8e4d605"
)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

CITY_NAME = os.environ.get("CITY_NAME", "City of Riverton")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "guardian",
    "simple_history",
    "social_django",
    # Sign-on: TOTP second factor (django-otp) and lockout after failed passwords (django-axes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "accounts",
    "posting",
    "review",
    "retention",
    "records",
    "training",
    "contact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sign-on: request.user.is_verified() (django-otp), after authentication.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Sign-on: whoever must use two-factor passes it before any other page (after htmx, messages).
    "accounts.two_factor.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.sso.SignOnErrorMiddleware",
    # Sign-on: django-axes turns a locked-out sign-in into the lockout page; it must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citysocial.urls"
WSGI_APPLICATION = "citysocial.wsgi.application"
ASGI_APPLICATION = "citysocial.asgi.application"

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
                "social_django.context_processors.backends",
                "accounts.context_processors.city",
                "posting.context_processors.emergency_stop",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'citysocial.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker process sees the test database too;
    # one per test run, so that two runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-citysocial-{os.getpid()}.sqlite3")}
    # Web, worker and beat write at once; wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
# 702.7: the owner of the tables, for `manage.py migrate` and `manage.py secure_database` only
# (retention.database_roles). Set it, and DATABASE_URL then names a role that owns nothing and
# may not change, delete or truncate archive records (PostgreSQL enforces it by privileges).
# Empty: DATABASE_URL's role owns the tables, and the archive's triggers and model code alone
# guard it.
DATABASE_OWNER = (
    dj_database_url.parse(os.environ["DATABASE_OWNER_URL"])
    if os.environ.get("DATABASE_OWNER_URL", "").strip()
    else None
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
GUARDIAN_RAISE_403 = True

# --- Sign-on (single sign-on, lockout, two-factor) -------------------------
# django-axes must come first: it refuses a locked-out username+IP before any other backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# City single sign-on (OpenID Connect: Entra ID, Okta, Google Workspace) switches
# on when its endpoint is configured.
SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = os.environ.get("OIDC_ENDPOINT", "")
SOCIAL_AUTH_OIDC_KEY = os.environ.get("OIDC_CLIENT_ID", "")
SOCIAL_AUTH_OIDC_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
if SOCIAL_AUTH_OIDC_OIDC_ENDPOINT:
    AUTHENTICATION_BACKENDS.insert(1, "social_core.backends.open_id_connect.OpenIdConnectAuth")
# Authorization code flow with PKCE (S256); social-core validates the ID token's signature
# against the provider's JWKS, and its iss, aud, exp, iat and nonce.
SOCIAL_AUTH_OIDC_USE_PKCE = True
SOCIAL_AUTH_OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
# Identity-provider groups that carry a role: {"idp-group": "Supervisor", ...}, role names as in
# accounts.roles.Role. A role named here follows the identity provider at every sign-on (added or
# removed); roles named nowhere here are managed in CitySocial; unmapped groups are ignored.
try:
    OIDC_GROUP_ROLES = json.loads(os.environ.get("OIDC_GROUP_ROLES", "") or "{}")
except ValueError as error:
    raise ImproperlyConfigured(f"OIDC_GROUP_ROLES is not valid JSON: {error}") from None
if not isinstance(OIDC_GROUP_ROLES, dict) or not all(
    isinstance(key, str) and isinstance(value, str) for key, value in OIDC_GROUP_ROLES.items()
):
    raise ImproperlyConfigured('OIDC_GROUP_ROLES must be a JSON object: {"idp-group": "Role"}.')
if OIDC_GROUP_ROLES:
    # The "groups" claim (Entra ID, Okta); a person in no group has none, which means no roles.
    SOCIAL_AUTH_OIDC_GROUPS_KEY = "groups"
    SOCIAL_AUTH_OIDC_GROUPS_MISSING_AS_EMPTY = True
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_JSONFIELD_ENABLED = True
SOCIAL_AUTH_LOGIN_REDIRECT_URL = "/dashboard/"
SOCIAL_AUTH_LOGIN_ERROR_URL = "/login/"
# The city's identity provider says who is an employee: someone it vouches for who has no
# account yet gets one on first sign-on, as a plain employee with no roles (roles come from
# OIDC_GROUP_ROLES or the Mayor's office; posting needs a 702.3 authorization besides). An
# existing account is matched by the provider's link or else by a *verified* e-mail address.
SOCIAL_AUTH_PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_names",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "accounts.sso.associate_by_verified_email",
    "social_core.pipeline.user.get_username",
    "social_core.pipeline.user.create_user",
    "social_core.pipeline.social_auth.associate_user",
    "social_core.pipeline.social_auth.load_extra_data",
    "social_core.pipeline.user.user_details",
    "accounts.sso.sync_roles",
)
# Local passwords (small cities): 5 failures from one IP address for one username lock that
# pair for 30 minutes; a success resets the count. The lockout page is the sign-in page's.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/login.html"
# Two-factor (TOTP) for the Mayor's office, designees and supervisors: see
# accounts.two_factor.requires_two_factor. Authenticator apps show this name.
OTP_TOTP_ISSUER = f"{CITY_NAME} CitySocial"
# --- End of sign-on ---------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Time and language ----------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("CITY_TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The U.S. Web Design System, installed by npm and collected from node_modules.
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Celery ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
BROKER_DIR = Path(os.environ.get("CITYSOCIAL_BROKER_DIR", VAR_DIR / "broker"))
# The test suite runs in several processes (pytest-xdist), each with its own test database.
# Each also gets its own Redis database and broker folder: a Celery worker started by one
# process must never take the tasks of another, whose rows it cannot see.
TEST_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "")
if TEST_PROCESS:
    REDIS_URL = redis_database_for(REDIS_URL, TEST_PROCESS)
    CELERY_BROKER_URL = redis_database_for(CELERY_BROKER_URL, TEST_PROCESS)
    BROKER_DIR = BROKER_DIR / TEST_PROCESS
# A task is killed after this many seconds (the soft limit lets it record its attempt first).
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Redis: a message not acknowledged within the visibility timeout is handed to another worker,
# so it is far above the task's time limit (and above any countdown: posting.tasks.SHORT_WAIT).
# A broker that is down is given up on within seconds, so that approving never hangs on it.
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
}
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = dict(REDIS_BROKER_TRANSPORT_OPTIONS)
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Task modules outside an app's tasks.py (autodiscover finds only those).
CELERY_IMPORTS = ["posting.incident_tasks"]
CELERY_BEAT_SCHEDULE = {
    "release-scheduled-posts": {
        "task": "posting.tasks.release_due_posts",
        "schedule": 30.0,
    },
    "retry-due-publications": {
        "task": "posting.tasks.retry_due_publications",
        "schedule": 15.0,
    },
    "lapse-overdue-approvals": {
        "task": "review.tasks.lapse_overdue_approvals",
        "schedule": 60.0,
    },
    "sweep-stalled-publications": {
        "task": "posting.tasks.sweep_stalled_publications",
        "schedule": 60.0,
    },
    "retry-due-removals": {
        "task": "posting.tasks.retry_due_removals",
        "schedule": 30.0,
    },
    # 702.4.1: remind an incident's compilers when its next update is overdue.
    "remind-overdue-incident-updates": {
        "task": "posting.incident_tasks.remind_overdue_incident_updates",
        "schedule": 60.0,
    },
    # 702.7: a closed incident's after-action, archived again once every delivery settled.
    "archive-settled-incident-after-actions": {
        "task": "posting.incident_tasks.archive_settled_after_actions",
        "schedule": 60.0,
    },
    # 702.8: e-mail reminders before training expires (each completion and threshold once).
    "training-expiry-reminders": {
        "task": "training.tasks.send_expiry_reminders",
        "schedule": 3600.0,
    },
    # 702.8 / 702.3: training lapses with time; have accounts re-check those authorizations.
    "training-lapse-refresh": {
        "task": "training.tasks.refresh_authorizations_after_lapse",
        "schedule": 3600.0,
    },
    # 702.7: remind the City Clerk before a public records request's response is due.
    "records-request-reminders": {
        "task": "records.tasks.send_request_reminders",
        "schedule": 3600.0,
    },
    # 702.7: fetch published posts back from the platforms; an edit there is a new version.
    "fetch-platform-versions": {
        "task": "retention.tasks.fetch_platform_versions",
        "schedule": 300.0,
    },
    # 702.5: read each channel's recent posts back; a post that did not come through
    # CitySocial (or whose text was changed there) opens a report for its supervisor.
    "detect-unauthorized-posts": {
        "task": "review.tasks.detect_unauthorized_posts",
        "schedule": 300.0,
    },
    # 702.5.1: ask each platform who may post or reply on the City's account.
    "check-public-posting": {
        "task": "review.tasks.check_public_posting",
        "schedule": 21600.0,
    },
    # 702.7: propose records due for destruction (never held ones) for the Clerk's approval.
    "propose-dispositions": {
        "task": "retention.tasks.propose_dispositions",
        "schedule": 86400.0,
    },
    # 702.6: the platforms' counts of published posts, tapering as posts age (review.engagement).
    "fetch-engagement": {
        "task": "review.tasks.fetch_due_engagement",
        "schedule": 900.0,
    },
    # 702.6: remind the appointed reviewer and the Mayor's office when a review is due, overdue.
    "annual-review-reminders": {
        "task": "review.tasks.send_annual_review_reminders",
        "schedule": 3600.0,
    },
}

# --- Cache ----------------------------------------------------------------
# Redis where configured, so that every web process shares one count (the contact page's
# rate limits); otherwise this process's memory, enough on a laptop. Short timeouts: a slow
# Redis must not hold up a page.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "citysocial",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Behind a reverse proxy ---------------------------------------------------
# The header in which the city's reverse proxy passes the client's address, e.g.
# X-Forwarded-For or X-Real-IP. Read only when named here: without a proxy in front anyone
# could send it. X-Forwarded-For lists one address per proxy; the one taken is
# TRUSTED_PROXY_COUNT from the right (1: the address the nearest proxy itself saw).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1)

# --- Public contact (702.5.1) -------------------------------------------------
# How residents reach the city by telephone, shown on the contact page and when the page
# turns a flood away.
CITY_PHONE = os.environ.get("CITY_PHONE", "(360) 555-0142")
CITY_PHONE_HOURS = os.environ.get("CITY_PHONE_HOURS", "Monday to Friday, 8 AM to 5 PM")
# Messages accepted from one client address: at most this many per window (seconds). Each
# pair is a fixed window counted in the cache (Redis); the address is kept only as a keyed
# hash that expires with its window.
CONTACT_RATE_LIMITS = [
    (envint("CONTACT_LIMIT_SHORT", 5), envint("CONTACT_LIMIT_SHORT_SECONDS", 15 * 60)),
    (envint("CONTACT_LIMIT_DAY", 20), envint("CONTACT_LIMIT_DAY_SECONDS", 24 * 60 * 60)),
]
# A message sent sooner than this after the form was opened is held as possible spam.
CONTACT_MIN_FILL_SECONDS = envint("CONTACT_MIN_FILL_SECONDS", 3)
CONTACT_MAX_MESSAGE_CHARS = envint("CONTACT_MAX_MESSAGE_CHARS", 5000)
# More links than this in one message: held as possible spam.
CONTACT_MAX_LINKS = envint("CONTACT_MAX_LINKS", 3)

# --- Platforms ------------------------------------------------------------
# Platform credentials are encrypted at rest with this key (Fernet, urlsafe base64 of 32 bytes;
# several keys separated by commas rotate: the first encrypts, all decrypt). In production it is
# required; locally a key is derived from SECRET_KEY.
CREDENTIALS_KEYS = envlist("CREDENTIALS_KEYS", [])
if not CREDENTIALS_KEYS and PRODUCTION:
    raise ImproperlyConfigured("CREDENTIALS_KEYS must be set when CITYSOCIAL_PRODUCTION is on.")
PLATFORM_HTTP_TIMEOUT = envint("PLATFORM_HTTP_TIMEOUT", 20)

# --- Public records (702.7) -------------------------------------------------
# Exports are signed with the city's Ed25519 key: PEM, or base64 of the raw 32-byte private key.
# In production it is required; locally a key is made once under VAR_DIR.
RECORDS_SIGNING_KEY = os.environ.get("RECORDS_SIGNING_KEY", "")
if not RECORDS_SIGNING_KEY and PRODUCTION:
    raise ImproperlyConfigured("RECORDS_SIGNING_KEY must be set when CITYSOCIAL_PRODUCTION is on.")
RECORDS_EXPORT_DIR = Path(os.environ.get("RECORDS_EXPORT_DIR", VAR_DIR / "exports"))
# A public records request is answered within this many business days (RCW 42.56.520: five),
# skipping weekends and the city's holidays (ISO dates separated by commas); the City Clerk is
# reminded this many business days before the due date.
RECORDS_REQUEST_BUSINESS_DAYS = envint("RECORDS_REQUEST_BUSINESS_DAYS", 5)
RECORDS_REQUEST_REMINDER_BUSINESS_DAYS = envint("RECORDS_REQUEST_REMINDER_BUSINESS_DAYS", 1)
try:
    RECORDS_HOLIDAYS = [date.fromisoformat(day) for day in envlist("RECORDS_HOLIDAYS", [])]
except ValueError as error:
    raise ImproperlyConfigured(
        f"RECORDS_HOLIDAYS must be dates such as 2025-12-25, separated by commas: {error}"
    ) from None

# --- E-mail ---------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "citysocial@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
# Seconds to wait for the mail server: a stalled server must not hold a page open.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)

# --- Security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
    # Preloading binds the city's whole domain to HTTPS in every browser: the city's
    # IT decides that (SECURE_HSTS_PRELOAD=1), not this application.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fpdf2 subsets fonts for the annual review's PDF (702.6); fontTools narrates each
        # glyph table at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
