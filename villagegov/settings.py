"""Settings for villagegov.

Everything that differs between a laptop and a village's server comes from the
environment: DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG and the
VILLAGEGOV_* switches. The defaults are the embedded development set-up
(SQLite + in-memory channel layer); production refuses the development secret.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "django-insecure-villagegov-development-only"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development key: set SECRET_KEY in the environment."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",  # first, so that runserver is the ASGI server too
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "polymorphic",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "villagegov",
    "consultations",
    "supervision",
    "assets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "villagegov.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "villagegov.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "villagegov.urls"
ASGI_APPLICATION = "villagegov.asgi.application"

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
                "villagegov.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers do not block the writer, and a busy writer is waited for, not failed.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The pub/sub layer held 2,000 simultaneous clients on this machine kind where the
    # core layer's default pool refused 875 of them (see DESIGN.md).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Several sites (or test runs) on one Redis: pub/sub ignores the db number in
            # REDIS_URL, so each needs its own prefix (and its own CACHE_KEY_PREFIX).
            "CONFIG": {"hosts": [REDIS_URL], "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "asgi")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "villagegov"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "villagegov.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: login by phone number or username, sign-up only with an invitation
# (the adapter opens sign-up for a visitor who entered a valid code at /invite/).
ACCOUNT_ADAPTER = "villagegov.adapters.VillageAccountAdapter"
ACCOUNT_FORMS = {"login": "villagegov.forms.accounts.VillageLoginForm"}
ACCOUNT_LOGIN_METHODS = {"phone", "username"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "username*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_EMAIL_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Only an invitation opens sign-up, so a clear "this number already has an account" costs
# nothing, where allauth's enumeration-proof flow would leave a villager at a code that never comes.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Every limit spelled out (allauth's defaults otherwise), kept in the shared cache (Redis when
# REDIS_URL is set, so all daphne processes count together). "/ip" limits count per address: a
# hall full of villagers on one Wi-Fi, or a mobile carrier's shared address, is one address, and
# allauth charges it before checking the password, so past the limit everyone there is refused:
# those only stop a flood. The "/key" (one login name) and "/user" limits stop guessing.
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords, and wrong authenticator codes (allauth.mfa counts them here too).
    "login_failed": "100/m/ip,5/5m/key",
    # Every login attempt, right or wrong: a villagers' assembly logs in at the door, by QR code.
    "login": "300/m/ip",
    "signup": "60/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    # Password reset goes through the village committee (no e-mail); the limits guard allauth's form.
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    # Each code costs a text message: one per number per 30 s; an office signing people up is one address.
    "verify_phone": "1/30s/key,10/m/ip",
    "change_phone": "1/m/user",
    # No e-mail addresses are kept, so none is confirmed; allauth's default, should one ever be.
    "confirm_email": "1/3m/key",
    # Ours: wrong invitation codes per address, generous for a village office signing many people up.
    "invitation_code_failed": "10/10m/ip",
}
# Which address a request comes from, for every per-address limit (allauth's and ours). Behind
# a reverse proxy every request seems to come from the proxy: set the number of proxies you run
# (nginx in front: 1) so the client is read from X-Forwarded-For, or the header your proxy
# writes the client's address into. Left at 0, X-Forwarded-For is ignored: anyone can forge it.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", "").strip() or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "villagegov"
# Officials (who write to the roster, the books, the minutes) and staff set up TOTP before anything
# else: on in production, off for development and the demo (whose passwords are public anyway).
VILLAGEGOV_REQUIRE_MFA = env_bool("VILLAGEGOV_REQUIRE_MFA", not DEBUG)
# Where SMS go (see villagegov/sms.py): "console" logs them (development), "memory" keeps them
# (tests), "disabled" sends none, or a gateway's name. Production refuses the first two: they put
# verification codes, which log people in, into logs or memory instead of the villager's phone.
DEVELOPMENT_SMS_BACKENDS = {"console", "memory"}
VILLAGEGOV_SMS_BACKEND = os.environ.get("VILLAGEGOV_SMS_BACKEND", "").strip() or (
    "console" if DEBUG else "disabled"
)
if not DEBUG and VILLAGEGOV_SMS_BACKEND in DEVELOPMENT_SMS_BACKENDS:
    raise ImproperlyConfigured(
        f"DEBUG is off but VILLAGEGOV_SMS_BACKEND is {VILLAGEGOV_SMS_BACKEND!r}, which would keep "
        "verification codes in the logs: set it to an SMS gateway, or to 'disabled'."
    )
# How many supporters (附议) put a matter raised by residents onto its council's next agenda.
VILLAGEGOV_TOPIC_SUPPORT_NEEDED = env_int("VILLAGEGOV_TOPIC_SUPPORT_NEEDED", 10)
if VILLAGEGOV_TOPIC_SUPPORT_NEEDED < 1:
    raise ImproperlyConfigured("VILLAGEGOV_TOPIC_SUPPORT_NEEDED must be at least 1.")
# How many days before its deadline the person responsible for an open finding (整改) is reminded.
VILLAGEGOV_FINDING_REMINDER_DAYS = env_int("VILLAGEGOV_FINDING_REMINDER_DAYS", 3)
if VILLAGEGOV_FINDING_REMINDER_DAYS < 0:
    raise ImproperlyConfigured("VILLAGEGOV_FINDING_REMINDER_DAYS cannot be negative.")
# How many days after a disclosure's publication residents may raise an objection (异议) to it.
VILLAGEGOV_OBJECTION_DAYS = env_int("VILLAGEGOV_OBJECTION_DAYS", 15)
if VILLAGEGOV_OBJECTION_DAYS < 1:
    raise ImproperlyConfigured("VILLAGEGOV_OBJECTION_DAYS must be at least 1.")
# Finances are disclosed monthly (1, where transactions are many: Organic Law Art. 30) or quarterly (0).
VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY = env_bool("VILLAGEGOV_FINANCE_DISCLOSURE_MONTHLY", True)
# 1: a daphne process serving live sockets makes its full garbage collections when the sockets
# are quiet, not in the middle of a storm of votes (villagegov/quiet_gc.py, docs/performance.md).
VILLAGEGOV_LIVE_QUIET_GC = env_bool("VILLAGEGOV_LIVE_QUIET_GC", True)
# Without SMS no code can reach a villager: phone numbers are then kept unverified until an
# official confirms them on the roster, and logging in asks for no code.
ACCOUNT_PHONE_VERIFICATION_ENABLED = VILLAGEGOV_SMS_BACKEND != "disabled"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads are served only by views that check who may read them: inside a static directory,
# collectstatic or nginx's /static/ would hand them to anyone.
for static_directory in (STATIC_ROOT, *STATICFILES_DIRS):
    if MEDIA_ROOT.resolve().is_relative_to(static_directory.resolve()):
        raise ImproperlyConfigured(
            f"MEDIA_ROOT {MEDIA_ROOT} is inside {static_directory}, which is served to anyone: "
            "keep uploads outside the static files."
        )

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Not preloaded on purpose: a village site often lives under a township's domain, and leaving the
# browsers' preload list takes months. check --deploy's warning about it is therefore silenced.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Sent by villagegov.middleware.ContentSecurityPolicyMiddleware on every response (the admin's
# included: Django's admin has no inline script or style either). No 'unsafe-inline': templates
# carry no <script> without src, no on*="" handler and no style="" attribute. The QR codes are
# inline SVG (allowed markup) or data: images (allauth's TOTP page). The middleware adds the
# page's own ws:/wss: origin to connect-src for the live updates.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "villagegov": {"handlers": ["console"], "level": "INFO"},
    },
}

VILLAGEGOV_APP_TITLE = _("villagegov")
