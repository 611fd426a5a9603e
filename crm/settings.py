"""One settings module for every environment; production differs only by environment variables.

See .env.example for the variables and README.md for what production needs.
"""

import hashlib
import ipaddress
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: refused above whenever DEBUG is off.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "simple_history",
    "crm",
    "influencers",
    "campaigns",
    "partnerships",
    "audit",
    "reports",
]

MIDDLEWARE = [
    # First: forwarded headers count only from TRUSTED_PROXIES (crm/security.py).
    "crm.security.TrustedProxies",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a parameter: a NUL byte anywhere is a 400 (crm/security.py).
    "crm.security.RefuseNulBytes",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout and the absolute cap on a session (crm/security.py).
    "crm.security.SessionTimeouts",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the logged-in user on history rows (audit trail).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout raised during login into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.urls"

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
                "crm.context_processors.display",
            ],
        },
    },
]

WSGI_APPLICATION = "crm.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache. CACHE_URL names a shared one, e.g. redis://127.0.0.1:6379/1 (Django's own Redis
# backend), which every worker and app server then shares, and sessions are read from it (written
# through to the database). Without it: each process's memory while DEBUG is on (one runserver
# process, the tests), else a folder on this host (CACHE_DIR) that all its worker processes share.
# The reads that change only on admin edits are cached (crm/cache.py) and dropped when an edit
# commits, so a cache per process would leave the other workers on the old tier thresholds:
# several hosts need CACHE_URL. Sessions stay in the database without CACHE_URL.
if env("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    _cache_dir = Path(tempfile.gettempdir()) / (
        "crm-cache-" + hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", default=str(_cache_dir)),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
CACHES["default"].setdefault("KEY_PREFIX", env("CACHE_KEY_PREFIX", default="crm"))

# django-axes first: it refuses a locked-out username+IP before any password is checked. The
# standalone form of AxesBackend, so permissions are answered once, by Django's ModelBackend with
# each user's permission set cached (crm/backends.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "crm.backends.CachedPermissionsBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Display currency (ISO 4217 code); amounts are stored as plain decimals in this currency.
CURRENCY = env("CURRENCY", default="EUR")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise before the login
# check: without it every page logged a 404 (or a redirect to the login page).
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: safe by default, loosened for local HTTP development only through DEBUG.
SESSION_COOKIE_HTTPONLY = True
# A session lasts one working day at most after the log-in (SESSION_COOKIE_AGE) and ends after
# SESSION_IDLE_MINUTES without a request (crm.security.SessionTimeouts, which records activity at
# most once a minute); the cookie is a browser-session cookie: closing the browser logs out.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The reverse proxies in front of the app (addresses or networks, comma-separated). Only requests
# from them have X-Forwarded-For / X-Forwarded-Proto read (crm.security.TrustedProxies).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if env.bool("BEHIND_PROXY", default=False) and not TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        "BEHIND_PROXY was replaced by TRUSTED_PROXIES: list the proxies' addresses, "
        "e.g. TRUSTED_PROXIES=10.0.0.5 or TRUSTED_PROXIES=10.0.0.0/24."
    )
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network "
            f"(e.g. 10.0.0.5 or 10.0.0.0/24)."
        ) from None
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Brute-force lockout (django-axes): 5 failures for one username from one IP address lock that
# pair out for 15 minutes (HTTP 429 with our page); a successful login clears the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "crm.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "crm.security.client_ip"

# Content Security Policy (django-csp 4): scripts and styles only from our own origin, so no inline
# <script>, no on*= attributes, no eval (htmx runs with allowEval=false) and no style="" attributes.
# Styles need no 'unsafe-inline': Django's admin (5.2) has no inline styles or scripts, and the
# scripts that show/hide things (admin, Bootstrap) set element.style through the CSSOM, which a
# style-src policy does not block. data: images are Bootstrap's inline SVG icons in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Audit trail (django-simple-history): the user comes from HistoryRequestMiddleware.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Uploads (roster import): the view refuses larger files with a message before reading them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
