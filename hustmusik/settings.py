"""Hust Musik settings: one module, every value from the environment.

Nothing set gives a working local setup (embedded PostgreSQL, local-memory cache,
media on disk); production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS
and the S3 variables. See README.md for the full list.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# Public values that must never sign or verify anything in production (hustmusik.checks refuses them).
INSECURE_DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-never-used-in-production"

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = INSECURE_DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- applications -------------------------------------------------------------

INSTALLED_APPS = [
    "dashboard.apps.StaffAdminConfig",  # django.contrib.admin, its index with the staff dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "procrastinate.contrib.django",
    "jobs",
    "users",
    "catalog",
    "collections_app",
    "payments",
    "search",
    "dashboard",
    "hustmusik",  # the shared plumbing: system checks, the throttle-counter table
]

MIDDLEWARE = [
    "hustmusik.request_id.RequestIdMiddleware",
    # Oversized, badly encoded or NUL-carrying requests end here, in the error envelope.
    "hustmusik.request_guard.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of each answer from Accept-Language (English unless Vietnamese is asked for);
    # it adds `Vary: Accept-Language`, so no cache serves one language's answer to the other.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET answer, and 304 when the client already has it (If-None-Match).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hustmusik.errors.ApiExceptionMiddleware",
]

ROOT_URLCONF = "hustmusik.urls"
WSGI_APPLICATION = "hustmusik.wsgi.application"
ASGI_APPLICATION = "hustmusik.asgi.application"

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

# --- database -----------------------------------------------------------------


def database_config(url: str) -> dict:
    """Parse a database URL, including Unix-socket hosts given percent-encoded or as ?host=."""
    config = environ.Env.db_url_config(url)
    options = config.setdefault("OPTIONS", {})
    if "host" in options:
        config["HOST"] = options.pop("host")
    if "port" in options:
        config["PORT"] = options.pop("port")
    config["HOST"] = unquote(str(config.get("HOST") or ""))
    # Fail fast instead of hanging when the server is unreachable.
    options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    # No JIT: it compiled some search queries for longer (up to about 15 ms here) than they
    # ran; JIT pays only for long analytic queries, which this API does not make.
    options.setdefault("options", "-c jit=off")
    config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # Django's backend, with a health check of reused connections that costs no round trip
    # while the connection is quiet (hustmusik/postgresql).
    config["ENGINE"] = "hustmusik.postgresql"
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL:
    from hustmusik.embedded import embedded_database_url

    DATABASE_URL = embedded_database_url(BASE_DIR, env.str("EMBEDDED_DATABASE", default="hustmusik"))
    USING_EMBEDDED_DATABASE = True
else:
    USING_EMBEDDED_DATABASE = False

DATABASES = {"default": database_config(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache --------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="hustmusik"),
            # Short socket timeouts: a Redis outage must not hang requests.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Throttle counters in the same Redis: every app server counts against one budget.
    CACHES["throttle"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hustmusik"},
        # Never per process: counters every app server (and gunicorn worker) shares, in a
        # PostgreSQL table that a migration creates (hustmusik/migrations).
        "throttle": {"BACKEND": "hustmusik.throttle_store.CounterDatabaseCache", "LOCATION": "hustmusik_throttle"},
    }

RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS", default=60)
# Catalogue reads (songs, artists) cached until the next catalogue write. On by default with
# Redis only: a local-memory cache is per process, and one process cannot retire another's
# answers.
CATALOGUE_CACHE = env.bool("CATALOGUE_CACHE", default=bool(REDIS_URL))

# --- users and passwords ------------------------------------------------------

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "username")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "users.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "users.validators.ComplexityValidator"},
]
# Argon2id first, as Django recommends: memory-hard, and about two thirds of PBKDF2's CPU
# per sign-in here. PBKDF2 hashes still verify and are rehashed at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Where the client apps live: links in emails point there, and only these URLs may
# receive the browser at the end of a Google sign-in.
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
OAUTH_REDIRECT_ALLOWLIST = env.list("OAUTH_REDIRECT_ALLOWLIST", default=[f"{FRONTEND_URL}/auth/callback"])
OAUTH_CODE_SECONDS = env.int("OAUTH_CODE_SECONDS", default=60)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_SECONDS", default=3600)

# django-allauth: email addresses and their confirmation, and Google sign-in.
ACCOUNT_ADAPTER = "users.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "users.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env.int("EMAIL_CONFIRMATION_DAYS", default=3)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hust Musik] "
SOCIALACCOUNT_LOGIN_ON_GET = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
GOOGLE_CLIENT_ID = env.str("GOOGLE_CLIENT_ID", default="")
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "APPS": [
            {
                "client_id": GOOGLE_CLIENT_ID,
                "secret": env.str("GOOGLE_CLIENT_SECRET", default=""),
                "key": "",
            }
        ],
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
    }
}

# --- payments (ZaloPay v2) ----------------------------------------------------------
# Defaults are ZaloPay's public sandbox app; production sets its own app id and keys.

# Anyone can MAC a callback with the public key2: with DEBUG off, hustmusik.checks refuses to
# run on these keys unless ZALOPAY_SANDBOX=1 says the deployment is a sandbox on purpose.
ZALOPAY_SANDBOX_APP = {
    "APP_ID": 2553,
    "KEY1": "PcY4iZIKFCIdgZvA6ueMcMHHUbRLYjPL",
    "KEY2": "kLtgPl8HHhfvMuDHPwKfgfsY4Ydm9eIz",
}
ZALOPAY_SANDBOX = env.bool("ZALOPAY_SANDBOX", default=False)
ZALOPAY_ENDPOINT = env.str("ZALOPAY_ENDPOINT", default="https://sb-openapi.zalopay.vn").rstrip("/")
ZALOPAY_APP_ID = env.int("ZALOPAY_APP_ID", default=ZALOPAY_SANDBOX_APP["APP_ID"])
ZALOPAY_KEY1 = env.str("ZALOPAY_KEY1", default=ZALOPAY_SANDBOX_APP["KEY1"])
ZALOPAY_KEY2 = env.str("ZALOPAY_KEY2", default=ZALOPAY_SANDBOX_APP["KEY2"])
ZALOPAY_CALLBACK_URL = env.str("ZALOPAY_CALLBACK_URL", default="http://127.0.0.1:8000/v1/order/checkout/callback")
ZALOPAY_REDIRECT_URL = env.str("ZALOPAY_REDIRECT_URL", default=f"{FRONTEND_URL}/payment/result")
ZALOPAY_TIMEOUT_SECONDS = env.float("ZALOPAY_TIMEOUT_SECONDS", default=10.0)
# Reconciliation (a job every minute): orders still pending this long after creation are
# asked about through /v2/query, up to ORDER_RECONCILE_BATCH a run; those ZaloPay still
# reports unpaid ORDER_EXPIRE_SECONDS after creation (its orders live 15 minutes) are cancelled.
ORDER_RECONCILE_AFTER_SECONDS = env.int("ORDER_RECONCILE_AFTER_SECONDS", default=600)
ORDER_RECONCILE_BATCH = env.int("ORDER_RECONCILE_BATCH", default=200)
ORDER_EXPIRE_SECONDS = env.int("ORDER_EXPIRE_SECONDS", default=3600)

# --- jobs (Procrastinate on the same PostgreSQL) ---------------------------------
# Workers: `manage.py worker`, as many as needed, on any machine reaching DATABASE_URL.

JOB_WORKER_NAME = env.str("JOB_WORKER_NAME", default="")
JOB_WORKER_CONCURRENCY = env.int("JOB_WORKER_CONCURRENCY", default=1)
# On SIGTERM or Ctrl-C a worker waits this long for its running jobs, then aborts them.
JOB_WORKER_SHUTDOWN_SECONDS = env.float("JOB_WORKER_SHUTDOWN_SECONDS", default=30.0)
JOB_WORKER_HEARTBEAT_SECONDS = env.float("JOB_WORKER_HEARTBEAT_SECONDS", default=10.0)
# A worker silent this long is dead: the jobs it was running are queued again.
JOB_STALLED_SECONDS = env.float("JOB_STALLED_SECONDS", default=60.0)
# Mail jobs: retries after a first failed attempt before a mail is left as a failed job, and the
# base of the exponential backoff between them (2 -> 2 s, 4 s, 8 s, ... about 34 minutes over 10).
MAIL_MAX_RETRIES = env.int("MAIL_MAX_RETRIES", default=10)
MAIL_RETRY_BACKOFF_SECONDS = env.int("MAIL_RETRY_BACKOFF_SECONDS", default=2)

# --- email --------------------------------------------------------------------

if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, ...
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A mail server that stops answering must not hold a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hust Musik <no-reply@hustmusik.vn>")

# --- internationalisation -----------------------------------------------------

# English unless a client asks for Vietnamese (`Accept-Language: vi`, `vi-VN`): error and
# validation sentences, account mail and the admin. Error `code` values never change.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static files and media ---------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from here once `collectstatic` has run
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=LOCAL_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "signature_version": "s3v4",
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# WhiteNoise serves static files from the app servers; without `collectstatic` it finds them in the apps.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

AUDIO_MAX_BYTES = env.int("AUDIO_MAX_BYTES", default=50 * 1024 * 1024)
AUDIO_MAX_SECONDS = env.int("AUDIO_MAX_SECONDS", default=20 * 60)
# Request bodies (hustmusik.request_guard): a multipart body may carry a 10 MB image and its
# fields; any other body (JSON, forms) at most DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB).
# Larger ones are answered 413 before they are read. The signed audio upload streams its own.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=11 * 1024 * 1024)
# URLs and header fields past these are answered 414 and 431 (gunicorn.conf.py lets them through to say so).
REQUEST_MAX_URL_BYTES = 4096
REQUEST_MAX_HEADER_BYTES = 8192
# Uploads never finished are deleted (a job, every hour) once this old.
UPLOAD_PURGE_AFTER_SECONDS = env.int("UPLOAD_PURGE_AFTER_SECONDS", default=86400)
if AWS_STORAGE_BUCKET_NAME:
    _media_storage["OPTIONS"]["addressing_style"] = env.str("AWS_S3_ADDRESSING_STYLE", default=None)

# --- security -----------------------------------------------------------------

BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# How many proxies in front of the app servers append to X-Forwarded-For. 0: the socket's address is
# the client, and X-Forwarded-For and X-Request-ID from outside are ignored. The one source of the
# client address for throttles, access logs and request ids (hustmusik.proxies).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health check answers load balancers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "hustmusik.errors.csrf_failure"

# Browser clients: production origins from the environment; in development the web
# client's own dev server (`next dev` on port 3000) works with nothing configured.
CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS", default=["http://localhost:3000", "http://127.0.0.1:3000"] if DEBUG else []
)
CORS_URLS_REGEX = r"^/v1/.*$"
# The headers clients send (the contract asks for Cache-Control; the reference documents send apikey)...
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "apikey",
    "authorization",
    "cache-control",
    "content-type",
    "if-none-match",
    "pragma",
    "x-request-id",
    "x-requested-with",
]
# ...and the ones they read.
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-Request-ID"]

# --- REST API -----------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["users.authentication.SessionJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["hustmusik.renderers.FastJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "hustmusik.parsers.JSONParser",
        "hustmusik.parsers.MultiPartParser",
        "hustmusik.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "hustmusik.pagination.PageLimitPagination",
    "DEFAULT_FILTER_BACKENDS": ["hustmusik.filters.QueryFilterBackend", "hustmusik.filters.FoldedSearchFilter"],
    "DEFAULT_SCHEMA_CLASS": "hustmusik.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "hustmusik.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth_ip": env.str("THROTTLE_AUTH_IP", default="30/min"),
        "auth_account": env.str("THROTTLE_AUTH_ACCOUNT", default="10/min"),
        "per_object": env.str("THROTTLE_PER_OBJECT", default="30/15m"),
        "order": env.str("THROTTLE_ORDER", default="20/min"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env.int("JWT_ACCESS_TOKEN_SECONDS", default=3600)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_TOKEN_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    "LEEWAY": 0,
    "AUDIENCE": "authenticated",
    "ISSUER": env.str("JWT_ISSUER", default="hust-musik"),
}

# The document's introduction (Swagger UI and ReDoc show it first); docs/api.md has the long form.
API_DESCRIPTION = """The v1 REST API of Hust Musik, a music-streaming service. Each operation says who may
call it and what can go wrong; the conventions below hold everywhere (the repository's `docs/api.md`
has them in full).

## Signing in on this page

1. **Sign in**: `POST /v1/auth/signin` with an email and a password (or create an account with
   `POST /v1/auth/signup`) through "Try it out", and copy `session.access_token` from the answer.
2. **Authorize**: click the Authorize button, paste the access token (without `Bearer `) and confirm.
   Every call from this page then sends `Authorization: Bearer <access_token>`, until you log out
   of the dialog (a reload keeps it).
3. **Renew**: the access token lasts `expires_in` seconds (an hour by default). Before `expires_at`,
   `POST /v1/auth/session/renew` with `session.refresh_token` answers a new pair; Authorize again
   with the new access token. A refresh token works once: presenting a used one ends every session
   of the account.
4. **Sign out**: `GET /v1/auth/signout` ends every session of the account, on every device.

Google sign-in: `GET /v1/auth/oauth` answers the URL to send a browser to; Google sends it back to
the client with a one-time `code`, which `GET /v1/auth/oauth/callback?code=` trades for the same
session object. Apps with a Google ID token post it to `POST /v1/auth/oauth/google`.

## Conventions

- Paths are under `/v1` (the health check is `GET /`) and answer with or without their trailing slash.
- Writes take JSON or `multipart/form-data` (pictures as the field `file`); updates are `POST` (or
  `PATCH`) on the item's URL and change only the fields sent.
- An item answers `{"data": {...}}`; a list `{"count", "data": [...], "page", "limit", "next",
  "previous", "total"}`, paged with `?page=` (from 1) and `?limit=` (default 10, at most 50).
- An error answers `{"error": "<one sentence>", "code": "<snake_case>"}`, with `fields` (messages per
  field) on validation errors; rate-limited calls answer 429 with `Retry-After` and `retryAfter`.
- `Accept-Language: vi` asks for Vietnamese sentences; `code` values never change.
- GET answers carry an `ETag` (send it back as `If-None-Match` for a 304);
  `Cache-Control: no-cache` skips the server's cached catalogue and search answers.
"""

SPECTACULAR_SETTINGS = {
    "TITLE": "Hust Musik API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "deepLinking": True},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "TAGS": [
        {
            "name": "auth",
            "description": "Accounts and sessions: sign-up, sign-in (email or Google), renewal, sign-out, passwords.",
        },
        {
            "name": "user",
            "description": "Public profiles; your own profile, history, followed artists and collections.",
        },
        {"name": "song", "description": "The catalogue's songs and their audio: play and upload URLs."},
        {"name": "artist", "description": "Artists, their songs and their releases."},
        {"name": "collection", "description": "Albums, EPs, singles, playlists and mixes."},
        {"name": "search", "description": "Accent-insensitive search over the catalogue and users."},
        {"name": "order", "description": "Premium through ZaloPay: checkout, status and ZaloPay's callback."},
        {
            "name": "password APIs of the reference documents",
            "description": "Password endpoints with the paths and shapes of two earlier API documents, "
            "over the same rules and tokens as `auth`.",
        },
        {"name": "health", "description": "Liveness and the API index."},
    ],
}

# --- logging ------------------------------------------------------------------

LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hustmusik.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        # One line per job (started, succeeded, retried, failed), not per poll.
        "procrastinate": {"level": env.str("JOB_LOG_LEVEL", default="INFO")},
        # The access line of every request comes from hustmusik.access; Django's would repeat it.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "hustmusik.access": {"level": env.str("ACCESS_LOG_LEVEL", default="INFO")},
    },
}
