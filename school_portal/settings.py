"""School Portal settings: one module, read from the environment, safe by default.

Every value that differs between a laptop and a school server comes from an
environment variable (or, for secrets, from the file named by NAME_FILE). See
README.md, "Configuration", for the list.
"""

import base64
import os
import secrets
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF

from school_portal import env, stores

BASE_DIR = Path(__file__).resolve().parent.parent
# What the installation writes for itself: the SQLite database, files, and in
# debug the generated secrets. PORTAL_VAR_DIR moves all of it (e.g. /var/lib/portal).
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR") or BASE_DIR / "var")


def _secret(name: str, *, debug: bool) -> str:
    """NAME from the environment; in debug, generated once per checkout under var/."""
    value = env.raw(name)
    if value:
        return value
    if not debug:
        raise env.ConfigError(name, "is required when DJANGO_DEBUG is off")
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _development_fernet_key() -> str:
    path = VAR_DIR / "portal_encryption_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
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
    PORTAL_ENCRYPTION_KEYS = env.words("PORTAL_ENCRYPTION_KEYS", default=[])
    if DEBUG and not PORTAL_ENCRYPTION_KEYS:
        # Only when none is given: a node given its keys writes nothing here.
        PORTAL_ENCRYPTION_KEYS = [_development_fernet_key()]
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
    # The audit trail: retention, school hours (for after-hours reads), the
    # request log switch, and model fields whose values never enter any log.
    PORTAL_AUDIT_RETENTION_DAYS = env.integer(
        "PORTAL_AUDIT_RETENTION_DAYS", default=5 * 365
    )
    PORTAL_SCHOOL_HOURS = tuple(
        env.words("PORTAL_SCHOOL_HOURS", default=["08:00", "18:00"])
    )
    PORTAL_REQUEST_LOG = env.boolean("PORTAL_REQUEST_LOG", default=True)
    PORTAL_AUDIT_MASKED_FIELDS = env.words("PORTAL_AUDIT_MASKED_FIELDS", default=[])
    # Account security (issue 5). The client address comes from X-Forwarded-For
    # only when the request arrives from one of these proxy addresses.
    PORTAL_TRUSTED_PROXIES = env.words("PORTAL_TRUSTED_PROXIES", default=[])
    if BEHIND_TLS_PROXY and not PORTAL_TRUSTED_PROXIES:
        # Behind a proxy every request comes from the proxy's address: without
        # its name, lockouts, the audit trail and the school-network rule for
        # official-use files would all see one client.
        raise env.ConfigError(
            "PORTAL_TRUSTED_PROXIES",
            "must name the proxy's address when DJANGO_BEHIND_TLS_PROXY is on",
        )
    PORTAL_SESSION_IDLE_MINUTES = {
        "staff": env.integer("PORTAL_STAFF_SESSION_IDLE_MINUTES", default=30),
        "others": env.integer("PORTAL_SESSION_IDLE_MINUTES", default=240),
    }
    PORTAL_SESSION_ABSOLUTE_HOURS = {
        "staff": env.integer("PORTAL_STAFF_SESSION_ABSOLUTE_HOURS", default=12),
        "others": env.integer("PORTAL_SESSION_ABSOLUTE_HOURS", default=24),
    }
    PORTAL_RESET_LINK_HOURS = env.integer("PORTAL_RESET_LINK_HOURS", default=24)
    # A breach report is due by this hour of the next working day (5.2.3).
    PORTAL_WORKDAY_END_HOUR = env.integer("PORTAL_WORKDAY_END_HOUR", default=18)
    # Survey results are broken down only by groups of at least this many people.
    PORTAL_SURVEY_MIN_GROUP = env.integer("PORTAL_SURVEY_MIN_GROUP", default=5)
    # Document registry (issue 6): attachments live outside the web root,
    # encrypted; "for official use" documents are due back by the end of the
    # school day (HH:MM, Asia/Bishkek).
    # Every file the portal keeps (attachments, backups, audit archives, the
    # resume file of rotate_keys) is in one of the named STORAGES below, all
    # under PORTAL_STORAGE_URL: file:///folder (PORTAL_VAR_DIR by default, each
    # folder movable by its PORTAL_*_DIR) or s3://BUCKET/PREFIX?endpoint_url=…
    # (school_portal/stores.py).
    PORTAL_STORAGE_URL = env.text("PORTAL_STORAGE_URL")
    _stores = stores.configure(PORTAL_STORAGE_URL, var_dir=VAR_DIR)
    PORTAL_ATTACHMENT_DIR = _stores["folders"].get("PORTAL_ATTACHMENT_DIR")
    PORTAL_ATTACHMENT_MAX_BYTES = env.integer(
        "PORTAL_ATTACHMENT_MAX_BYTES", default=25 * 1024 * 1024
    )
    PORTAL_SCHOOL_DAY_END = env.text("PORTAL_SCHOOL_DAY_END", default="18:00")
    # Backups (regulation 5.1): where `backup` writes its archives, and the one
    # folder of audit_archive's signed exports (restore puts them back there).
    PORTAL_BACKUP_DIR = _stores["folders"].get("PORTAL_BACKUP_DIR")
    PORTAL_AUDIT_ARCHIVE_DIR = _stores["folders"].get("PORTAL_AUDIT_ARCHIVE_DIR")
    PORTAL_STATE_DIR = _stores["folders"].get("PORTAL_STATE_DIR")
    # Personal data (issue 8). The blind index of the PIN is HMAC-SHA256 under
    # its own key; the administrator sees personal data only if the school says so;
    # "who viewed my data" names the staff only if the school says so.
    PORTAL_BLIND_INDEX_KEY = _secret("PORTAL_BLIND_INDEX_KEY", debug=DEBUG)
    PORTAL_ADMIN_SEES_PERSONAL_DATA = env.boolean(
        "PORTAL_ADMIN_SEES_PERSONAL_DATA", default=False
    )
    PORTAL_SHOW_VIEWER_NAMES = env.boolean("PORTAL_SHOW_VIEWER_NAMES", default=False)
except env.ConfigError as error:
    env.fail(error)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    # Connections are kept between requests (60 s, as for PostgreSQL): opening
    # one and running init_command cost ~2 ms a request. Safe: outside a
    # transaction a kept connection holds no lock and no snapshot, and every
    # write transaction still begins IMMEDIATE, taking the one write lock that
    # serializes audit appends (tests/audit/test_append_workers.py).

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's form templates, found through TEMPLATES so the portal can
    # override one (templates/django/forms/widgets/select.html).
    "django.forms",
    "csp",
    "guardian",
    "auditlog",
    "axes",
    "django_otp",
    "accounts",
    "audit",
    "documents",
    "execution",
    "surveys",
    "office",
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
    "accounts.security.middleware.AccountSecurityMiddleware",
    # django-axes: last, so it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
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
            "libraries": {
                "account_security": "accounts.security.templatetags",
                "personal": "accounts.personal.templatetags",
            },
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and passwords (NIST SP 800-63B: length, no composition rules).
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address.
    "accounts.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# django-guardian: no anonymous user; per-object permissions only where granted.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
# django-auditlog: a masked field keeps nothing of its value (audit.auditlog).
AUDITLOG_MASK_CALLABLE = "audit.auditlog.mask"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = PORTAL_RESET_LINK_HOURS * 3600
# django-axes: 5 failures lock that username from that address (not the whole
# school behind one NAT address) for 15 minutes; failures during the lockout
# do not extend it; usernames are compared normalized.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.security.network.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.security.network.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.security.views.lockout"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]
# axes keeps every counted failure (not the ones refused during a pause): the
# guard against guessing one account from many addresses counts them by
# username alone (accounts/security/backends.py; README "Signing in, the second
# factor and pauses").
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# After this many wrong passwords for one username from all addresses within the
# window, a right password alone waits: each further failure doubles the wait,
# up to the longest. A password with a second-factor code never waits.
PORTAL_GUESSING_LIMIT = 10
PORTAL_GUESSING_WINDOW = timedelta(hours=24)
PORTAL_GUESSING_FIRST_WAIT = timedelta(minutes=1)
PORTAL_GUESSING_LONGEST_WAIT = timedelta(minutes=15)
# A second factor is replaced or turned off only with the password and a code;
# the new secret must be confirmed within this time.
PORTAL_ENROLMENT_MINUTES = 10
OTP_TOTP_ISSUER = "School Portal"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's checks, with our messages (accounts/security/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.security.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.security.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.security.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.security.passwords.NumericPasswordValidator"},
]

# Languages: Kyrgyz first, then Russian, then English.
LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The school's own date formats over Django's (school_portal/formats/__init__.py).
FORMAT_MODULE_PATH = ["school_portal.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Bishkek"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    **_stores["storages"],
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Uploads: files above 2.5 MB go to a private temporary file, never memory;
# at most a few files per request (attachments are limited in size by
# PORTAL_ATTACHMENT_MAX_BYTES).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o600
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
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^health/ready/$"]

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
