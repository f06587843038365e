"""Settings read from the environment.

Development needs no variable at all: SQLite in `var/`, DEBUG on, a throw-away secret.
Production is `DEBUG=0`: then the variables of REQUIRED_WHEN_NOT_DEBUG must be given (the
process stops with one line naming the missing ones) and `manage.py check --deploy` is clean.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MANPOWER_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)

# What production must be given (development derives or defaults each). Missing ones stop the
# process at once with one line naming them, before anything else runs: manage.py, granian
# and the task worker all import these settings first.
REQUIRED_WHEN_NOT_DEBUG = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DOCUMENTS_SIGNING_KEY",
    "AUDIT_CHECKPOINT_KEY",
    "PAYMENTS_SANDBOX_SECRET",
)
if not DEBUG and (
    missing := [name for name in REQUIRED_WHEN_NOT_DEBUG if not os.environ.get(name, "").strip()]
):
    raise SystemExit(
        f"Manpower cannot start with DEBUG=0: set {', '.join(missing)} in the environment "
        "(see docs/deployment.md)."
    )

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 32)

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # Swagger UI from our static files, not a CDN (offline; the CSP allows the site)
    "manpower.core",
    "manpower.accounts",
    "manpower.registry",
    "manpower.notifications",
    "manpower.integration",
    "manpower.payments",
    "manpower.documents",
    "manpower.licensing",
    "manpower.labourcards",
    "manpower.contracts",
    "manpower.wages",
    "manpower.labourcare",
    "manpower.jobs",
    "manpower.colleges",
    "manpower.portal",
    "manpower.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "manpower.core.middleware.RequestIdMiddleware",
    "manpower.core.problems.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "manpower.integration.middleware.PartnerExchangeMiddleware",
    "manpower.core.middleware.UnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "manpower.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "manpower.core.middleware.NotFoundIs404Middleware",
    "manpower.portal.middleware.NotFoundPageInDebugMiddleware",
]
# The partner API (bearer keys, JSON) skips what only a browser needs: see core/handlers.py.
PARTNER_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "manpower.core.middleware.RequestIdMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "manpower.core.problems.DatabaseUnavailableMiddleware",
    "manpower.integration.middleware.PartnerExchangeMiddleware",
    "manpower.core.middleware.UnstorableInputMiddleware",
]

ROOT_URLCONF = "manpower.urls"
WSGI_APPLICATION = "manpower.wsgi.application"
ASGI_APPLICATION = "manpower.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "manpower.notifications.context_processors.unread_notifications",
                "manpower.portal.context_processors.staff_menu",
            ],
        },
    },
]
# Every form draws the portal's components: label above, hint, error by the field, summary.
FORM_RENDERER = "manpower.portal.forms.PortalFormRenderer"

# --- Database ---------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'manpower.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers queue
        # instead of one failing with "database is locked" half-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # Parameters bound by the server, and a statement run 5 times on a connection is prepared:
    # planning cost more than executing the busiest statements (0.43 ms against 0.14 ms for
    # the visa reservation). Turn off behind a pooler that cannot keep prepared statements
    # (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Hash chains of the audit log: writers append to different chains so as not to queue on one
# head row (core.audit, docs/deployment.md).
AUDIT_CHAINS = int(os.environ.get("AUDIT_CHAINS", "32"))
# Signed checkpoints of the chains' heads (core.checkpoints), kept outside the database.
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))

# The site's public address, in QR codes of documents and in notification links (`run_demo` sets
# both from the address it serves).
DOCUMENTS_VERIFY_BASE_URL = os.environ.get("DOCUMENTS_VERIFY_BASE_URL", "http://127.0.0.1:8000")
NOTIFICATIONS_SITE_URL = os.environ.get("NOTIFICATIONS_SITE_URL", DOCUMENTS_VERIFY_BASE_URL)
# Covering indexes (INCLUDE) serve PostgreSQL; SQLite ignores them, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Accounts and sign-in ------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Throttled sign-in: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "manpower.accounts.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Manpower")

# National-PKI certificate sign-in: trusted roots and CRLs as files (os.pathsep-separated).
# With no trusted root configured, certificate sign-in is off.
PKI_TRUST_ROOTS = [p for p in os.environ.get("PKI_TRUST_ROOTS", "").split(os.pathsep) if p]
PKI_CRL_PATHS = [p for p in os.environ.get("PKI_CRL_PATHS", "").split(os.pathsep) if p]
PKI_CHALLENGE_SECONDS = int(os.environ.get("PKI_CHALLENGE_SECONDS", "120"))

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Muscat"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "manpower_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# In development WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Background tasks ------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- E-mail ------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@manpower.example")

# --- Security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts, styles and everything else from the site only: no inline script or style, no
# other origin (django-csp). The portal's templates have none; keep it so.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the CSS of the API docs draws icons with data: URLs
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The browser features that no page of the portal uses are off, for the page and its frames.
PERMISSIONS_POLICY = dict.fromkeys(
    [
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
    ],
    [],
)  # fmt: skip
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own loggers (a 4xx answer is a WARNING of django.request) follow LOG_LEVEL too,
    # and go to the root's handler instead of Django's defaults.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

# --- Domain settings (ministerial decisions change these) ------------------------------
PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "50"))
API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "365"))
NATIONAL_MINIMUM_WAGE_BAISA = int(os.environ.get("NATIONAL_MINIMUM_WAGE_BAISA", "325000"))
