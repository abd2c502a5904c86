"""Settings for MedReview, read from the environment (see README: Configuration)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_backend(name: str) -> str:
    """A Django cache backend from its short name (locmem, database, redis) or its dotted path."""
    return {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "database": "django.core.cache.backends.db.DatabaseCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
    }.get(name, name)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

# Seal signatures and link the audit chain (HMAC-SHA256; review.keyring). Keep them outside the
# database. RECORD_KEYS lists keys newest first, comma-separated, to rotate: new records use the
# newest, older records verify with the key they name. Without it, RECORD_KEY is the only key.
RECORD_KEY = os.environ.get("RECORD_KEY") or SECRET_KEY
RECORD_KEYS = env_list("RECORD_KEYS", "")
# The Ed25519 key (PEM, PKCS#8) that signs what anyone can verify: review attestations, their status
# list and checkpoints of the audit chain (review.public_signing). With DEBUG a missing file is created.
ATTESTATION_KEY_FILE = Path(os.environ.get("ATTESTATION_KEY_FILE", BASE_DIR / "keys" / "attestation-key.pem"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_fsm",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "background",
    "content",
    "claims",
    "review",
    "editor",
    "public",
    "wpimport",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our own static files
    "api",
    "webhooks",
]

# django-axes refuses logins while an account or address is locked out; then Django's model backend,
# reading a signed-in user together with their reviewer profile.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "config.auth.Backend"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Writes answer 503 while the record keys do not match the records (README: Keys).
    "review.middleware.RecordKeyGuard",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who is acting, for the audit of passwords and reviewer profiles set outside the workflow (review.identity).
    "review.identity.ActingUserMiddleware",
    "config.middleware.RequestInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.SignedInNoStoreMiddleware",
    "config.middleware.LastHomeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A 404 at an address that moved (a renamed slug, an imported site's old address) answers 301.
    "public.redirects.MovedAddressMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lock-out into its page
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("PG_OPTIONS", "-c jit=off"):
    # PostgreSQL's JIT compiles any query it estimates as costly, which for this application's short
    # queries costs far more than it saves (100 ms on a queue page at 10,000 posts). Behind PgBouncer,
    # which refuses startup options, set PG_OPTIONS= and `jit = off` in postgresql.conf instead.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", os.environ.get("PG_OPTIONS", "-c jit=off"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes the write lock when it begins, so two writers queue up
    # instead of one failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# Django's cache framework, for what a page would otherwise read or render again on every request (the
# review policy, a rendered article by its ETag, an article's sources by its content hash). Local memory by
# default: each process keeps its own, which is enough for one app server. With several, choose a cache they
# share, so that a change one of them makes is seen by all at once: `database` (run
# `python manage.py createcachetable` once) or `redis` (`pip install redis`; CACHE_LOCATION=redis://host:6379/0).
CACHES = {
    "default": {
        "BACKEND": cache_backend(os.environ.get("CACHE_BACKEND") or "locmem"),
        # The table for `database`, the server's URL for `redis`, a name for `locmem`.
        "LOCATION": os.environ.get("CACHE_LOCATION") or "medreview_cache",
    }
}
if CACHES["default"]["BACKEND"].endswith(".RedisCache") and not os.environ.get("CACHE_LOCATION"):
    raise ImproperlyConfigured("CACHE_BACKEND=redis needs CACHE_LOCATION, e.g. redis://cache.internal:6379/0.")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Checks nothing: audits each password set on a reviewer's account, and who set it (review.identity).
    {"NAME": "review.identity.PasswordSetRecorder"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/editor/"  # not used by our login page: review.accounts.home_for picks each role's home
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Singapore")
# One language, and no string of ours is marked for translation: with the translation machinery off,
# Django's own words, dates and durations read exactly as under en-gb (its catalogue changes none of
# them), and every `{% url %}`, date and `timesince` skips a per-thread language lookup.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded pictures go through the default storage. Their URLs are written into each
# revision's signed HTML, so MEDIA_URL must stay stable once articles are signed (README: Images).
MEDIA_URL = os.environ.get("MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Signed checkpoints of the audit chain and the published attestation keys (review.checkpoints): outside
# the database, in a folder by default; in production, storage the database's users cannot rewrite
# (README: Keys).
CHECKPOINT_STORAGE = Path(os.environ.get("CHECKPOINT_STORAGE", BASE_DIR / "checkpoints"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "checkpoints": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": CHECKPOINT_STORAGE}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MedReview <medreview@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "MedReview Clinic")

# Sessions and transport security; the secure defaults apply whenever DEBUG is off.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# The idle timeout slides: a session is renewed when used, at most once per SESSION_RENEW_AFTER seconds
# (config.middleware), so reading a page does not write to the database.
SESSION_RENEW_AFTER = int(os.environ.get("SESSION_RENEW_AFTER", "300"))
# However active the user, a session ends this many seconds after signing in (config.middleware).
SESSION_ABSOLUTE_AGE = int(os.environ.get("SESSION_ABSOLUTE_AGE", str(24 * 3600)))
# Login lock-out (django-axes; review/lockouts.py): after AXES_FAILURE_LIMIT failed logins for one account
# (from any address) or from one address (to any account), logins are refused for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts refused while locked are not counted, so the time the page gives stays true and an
# attacker cannot keep the owner locked out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "review.lockouts.lockout_response"
if env_bool("BEHIND_PROXY", False):
    # Behind one reverse proxy every request comes from its address: count the client's, as the proxy saw it.
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "1"))
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy on every page: scripts and styles only from our own
# files (no inline script, no inline style attributes), nothing framed, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Review policy: the defaults, which the administrator may override in the admin.
REVIEW_POLICY = {
    # meaning -> how many distinct signers of that meaning a revision needs
    "REQUIRED_SIGNOFFS": {"medical": 1},
    "REREVIEW_DAYS": int(os.environ.get("REVIEW_REREVIEW_DAYS", "365")),
}
# Largest Markdown body accepted, in bytes of UTF-8.
MAX_BODY_BYTES = int(os.environ.get("MAX_BODY_BYTES", str(200 * 1024)))
# Live previews one writer may ask for in 10 seconds, so one account cannot take every worker.
PREVIEWS_PER_10_SECONDS = int(os.environ.get("PREVIEWS_PER_10_SECONDS", "10"))
# Uploaded pictures (content/images.py): largest file, largest picture, and the widths of
# the resized copies the public site serves with srcset.
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(40_000_000)))
IMAGE_RENDITION_WIDTHS = [int(w) for w in env_list("IMAGE_RENDITION_WIDTHS", "480,960,1600")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background work (README: Background work): Django's tasks framework (the django-tasks backport; an import
# change on Django 6) with its database backend, django-tasks-db: tasks are rows in the application's own
# database, enqueued in the transaction that asks for them, and `python manage.py run_worker` runs them. Another
# backend (e.g. django_tasks_rq.RQBackend) is a matter of TASKS_BACKEND.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# What the workers' clocks enqueue once per period, across every worker on every machine (background.jobs).
TASKS_PERIODIC = ["review.tasks.workflow_tick", "webhooks.tasks.send_overdue"]
TASKS_PERIOD_SECONDS = int(os.environ.get("TASKS_PERIOD_SECONDS", "60"))
# A task running longer than this is taken for one whose worker died, and is put back in the queue for another.
TASKS_LEASE_SECONDS = int(os.environ.get("TASKS_LEASE_SECONDS", "300"))
TASKS_KEEP_KEYS_DAYS = 3
# Seconds before each new attempt at an email that failed: 5 attempts over about 2.5 hours, then the failure is
# recorded in the audit trail (review.notifications).
EMAIL_RETRY_DELAYS = [int(s) for s in env_list("EMAIL_RETRY_DELAYS", "60,300,1800,7200")]
# Reviewers get one email a day listing what waits for them, at the first tick after this hour (TIME_ZONE).
REVIEW_DIGEST_HOUR = int(os.environ.get("REVIEW_DIGEST_HOUR", "7"))

# Claims linter (claims/linter.py): rule ids to switch off, and a TOML file of extra or
# replacement rules in the format of claims/rules.toml. Admin overrides win over both.
CLAIMS_RULES_DISABLED = env_list("CLAIMS_RULES_DISABLED", "")
CLAIMS_EXTRA_RULES_FILE = os.environ.get("CLAIMS_EXTRA_RULES_FILE", "")
# The sentence classifier beside the rules (claims/classifier.py); off leaves the rules alone.
CLAIMS_CLASSIFIER = env_bool("CLAIMS_CLASSIFIER", True)

# The JSON API (api/, README: Showing reviewed articles on your website): JSON only, a bearer token on every
# request (made and revoked in the admin), API_RATE_LIMIT requests per token, counted in the default cache
# (per process with locmem: with several app servers, choose a shared cache, see CACHES).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.access.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.ReadsPublished"],
    "DEFAULT_THROTTLE_CLASSES": ["api.access.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Callers without a token (the schema and its docs) are counted by address: the one the proxy saw, if any,
    # never an X-Forwarded-For a client wrote itself.
    "NUM_PROXIES": int(os.environ.get("AXES_PROXY_COUNT", "1")) if env_bool("BEHIND_PROXY", False) else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MedReview API",
    "DESCRIPTION": "Published, medically reviewed articles and their reviewers, read-only. "
                   "Send `Authorization: Bearer <token>`; an administrator makes tokens in the admin.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Webhooks (webhooks/): seconds to wait before each retry of a failed delivery; after the last, it is given up
# (and can be sent again from the admin). Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h.
WEBHOOK_RETRY_DELAYS = [int(s) for s in env_list("WEBHOOK_RETRY_DELAYS", "5,300,1800,7200,18000,36000")]
WEBHOOK_TIMEOUT = int(os.environ.get("WEBHOOK_TIMEOUT", "10"))
