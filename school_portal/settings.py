"""School Portal settings: one module, read from the environment, safe by default.

Every value that differs between a laptop and a school server comes from an
environment variable (or, for secrets, from the file named by NAME_FILE). See
README.md, "Configuration", for the list.
"""

import base64
import secrets
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from school_portal import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def _secret(name: str, *, debug: bool) -> str:
    """NAME from the environment; in debug, generated once per checkout under var/."""
    value = env.raw(name)
    if value:
        return value
    if not debug:
        raise env.ConfigError(name, "is required when DJANGO_DEBUG is off")
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _development_fernet_key() -> str:
    path = VAR_DIR / "portal_encryption_key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(
            base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(), encoding="utf-8"
        )
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


try:
    DEBUG = env.boolean("DJANGO_DEBUG", default=False)
    SECRET_KEY = _secret("DJANGO_SECRET_KEY", debug=DEBUG)
    ALLOWED_HOSTS = env.words(
        "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
    )
    DATABASES = {
        "default": env.database(
            "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
        )
    }
    # Keys for later features, read here so a bad value stops start-up early.
    # Fernet keys for personal data and attachments: the first encrypts, all
    # decrypt (key rotation). Separate from SECRET_KEY.
    PORTAL_ENCRYPTION_KEYS = env.words(
        "PORTAL_ENCRYPTION_KEYS",
        default=[] if not DEBUG else [_development_fernet_key()],
    )
    if not PORTAL_ENCRYPTION_KEYS:
        raise env.ConfigError(
            "PORTAL_ENCRYPTION_KEYS", "is required when DJANGO_DEBUG is off"
        )
    for _key in PORTAL_ENCRYPTION_KEYS:
        if not env.is_fernet_key(_key):
            raise env.ConfigError(
                "PORTAL_ENCRYPTION_KEYS",
                "must be Fernet keys (32 url-safe base64-encoded bytes each)",
            )
    # The key of the audit trail's hash chain (HMAC-SHA256).
    PORTAL_AUDIT_KEY = _secret("PORTAL_AUDIT_KEY", debug=DEBUG)
    # Where "for official use" files may be opened: the school's own networks.
    PORTAL_SCHOOL_NETWORKS = env.networks(
        "PORTAL_SCHOOL_NETWORKS",
        default=[
            "127.0.0.0/8",
            "::1/128",
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
        ],
    )
    PORTAL_SCHOOL_NAME = env.text(
        "PORTAL_SCHOOL_NAME", default="Асан Жансейитов атындагы орто мектеби"
    )
    SECURE_SSL_REDIRECT = env.boolean("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
    BEHIND_TLS_PROXY = env.boolean("DJANGO_BEHIND_TLS_PROXY", default=False)
    EMAIL_BACKEND = env.text(
        "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
    DEFAULT_FROM_EMAIL = env.text(
        "DJANGO_DEFAULT_FROM_EMAIL", default="portal@localhost"
    )
    # Regulation 2.5: the security briefing is repeated after this many days.
    PORTAL_REBRIEFING_DAYS = env.integer("PORTAL_REBRIEFING_DAYS", default=365)
except env.ConfigError as error:
    env.fail(error)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "guardian",
    "accounts",
    "audit",
    "documents",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "school_portal.middleware.KyrgyzFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "school_portal.urls"
WSGI_APPLICATION = "school_portal.wsgi.application"

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
                "school_portal.context_processors.portal",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and passwords (NIST SP 800-63B: length, no composition rules).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian: no anonymous user; per-object permissions only where granted.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kyrgyz first, then Russian, then English.
LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bishkek"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
if DEBUG:
    # WhiteNoise serves from the finders in debug, but expects the folder.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Cookies and transport. Outside debug the portal is served over HTTPS only.
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = int(timedelta(days=365).total_seconds())
if not DEBUG:
    # __Host- cookies are sent only over HTTPS, only to this host, for path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(timedelta(days=365).total_seconds())
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Content-Security-Policy: our own host only, and no inline script at all.
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
