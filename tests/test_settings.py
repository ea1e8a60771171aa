"""Settings come from the environment, with safe production defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hustmusik.settings import database_config

ROOT = Path(__file__).resolve().parent.parent
CONFIG_VARS = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "AWS_STORAGE_BUCKET_NAME",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CORS_ALLOWED_ORIGINS",
    "JWT_SIGNING_KEY",
    "NUM_PROXIES",
    "BEHIND_TLS_PROXY",
    "ZALOPAY_SANDBOX",
    "ZALOPAY_APP_ID",
    "ZALOPAY_KEY1",
    "ZALOPAY_KEY2",
)
ZALOPAY_MERCHANT = {
    "ZALOPAY_APP_ID": "4471",
    "ZALOPAY_KEY1": "m3Rch4nt-kEy1-0f-7h3-r34l-4pp-9d8c",
    "ZALOPAY_KEY2": "m3Rch4nt-kEy2-0f-7h3-r34l-4pp-2b1a",
}
WITHOUT_ZALOPAY = {
    "SECRET_KEY": "k9#Xq2!vT7rLw3@pZ8mN5$bH1cJ6^fD4gS0yU&eA*oI(iR)uE-wQ=tY+nM_vB",
    "DATABASE_URL": "postgres://hustmusik:secret@db.internal:5432/hustmusik",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "api.hustmusik.vn",
}
PRODUCTION = {**WITHOUT_ZALOPAY, **ZALOPAY_MERCHANT}


def run_python(args: list[str], **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(DJANGO_SETTINGS_MODULE="hustmusik.settings", **env_vars)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def settings_values(*names: str, **env_vars: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(["-c", code], **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_has_no_warnings_with_production_variables():
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_zalopays_public_sandbox_keys():
    result = run_python(["manage.py", "check", "--deploy"], **WITHOUT_ZALOPAY)
    assert result.returncode != 0
    assert "hustmusik.E001" in result.stderr and "ZALOPAY_KEY1 and ZALOPAY_KEY2" in result.stderr


def test_check_deploy_accepts_the_sandbox_when_it_is_said_on_purpose():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "ERROR"], ZALOPAY_SANDBOX="1", **WITHOUT_ZALOPAY
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", ["hustmusik.wsgi", "hustmusik.asgi"])
def test_a_server_without_zalopay_keys_does_not_start_so_no_callback_can_be_forged(module):
    """Found by an attacker: a callback MAC'd with the public sandbox key2 paid an order (Premium
    +365 days) on a server started without ZALOPAY_*. Such a server no longer starts."""
    result = run_python(["-c", f"import {module}"], **WITHOUT_ZALOPAY)
    assert result.returncode != 0
    assert "Refusing to start with DEBUG off" in result.stderr and "ZALOPAY_SANDBOX=1" in result.stderr
    assert run_python(["-c", f"import {module}"], **PRODUCTION).returncode == 0


def test_the_public_development_secret_key_is_refused_with_debug_off():
    env = {**PRODUCTION, "JWT_SIGNING_KEY": "insecure-local-development-key-never-used-in-production"}
    result = run_python(["manage.py", "check"], **env)
    assert result.returncode != 0 and "JWT_SIGNING_KEY is the public development key" in result.stderr


def test_debug_runs_on_the_sandbox_keys():
    result = run_python(["manage.py", "check"], DEBUG="1", DATABASE_URL=PRODUCTION["DATABASE_URL"])
    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_behind_a_tls_proxy_without_a_proxy_count():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], BEHIND_TLS_PROXY="1", **PRODUCTION
    )
    assert result.returncode != 0 and "hustmusik.W001" in result.stderr
    fixed = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        BEHIND_TLS_PROXY="1",
        NUM_PROXIES="1",
        **PRODUCTION,
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_throttle_counters_are_shared_by_every_app_server():
    """Found by an attacker: without REDIS_URL, each gunicorn worker counted in its own memory."""
    without_redis = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    throttle = settings_values("CACHES", **without_redis)["CACHES"]["throttle"]
    assert throttle["BACKEND"] == "hustmusik.throttle_store.CounterDatabaseCache"
    with_redis = settings_values("CACHES", **PRODUCTION)["CACHES"]["throttle"]
    assert with_redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert with_redis["LOCATION"] == PRODUCTION["REDIS_URL"]


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_python(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_safe_defaults():
    values = settings_values("DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT", **PRODUCTION)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["SECURE_SSL_REDIRECT"] is True
    without_hosts = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    assert settings_values("ALLOWED_HOSTS", **without_hosts)["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]


def test_debug_runs_without_a_secret_key():
    values = settings_values("DEBUG", DEBUG="1", DATABASE_URL=PRODUCTION["DATABASE_URL"])
    assert values["DEBUG"] is True


def test_real_services_are_chosen_by_environment():
    values = settings_values(
        "CACHES",
        "STORAGES",
        AWS_STORAGE_BUCKET_NAME="hust-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        **PRODUCTION,
    )
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert values["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert values["STORAGES"]["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"


def test_embedded_defaults_when_nothing_is_set():
    values = settings_values("CACHES", "STORAGES", "MEDIA_ROOT", DATABASE_URL=PRODUCTION["DATABASE_URL"], DEBUG="1")
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["MEDIA_ROOT"].endswith(".local/media")


@pytest.mark.parametrize(
    ("url", "host", "port", "name", "user"),
    [
        ("postgres://postgres@127.0.0.1:5432/hustmusik_ci", "127.0.0.1", 5432, "hustmusik_ci", "postgres"),
        ("postgresql://app:pw@db.internal/hm", "db.internal", "", "hm", "app"),
        ("postgres://postgres@%2Fvar%2Frun%2Fpostgresql/hm", "/var/run/postgresql", "", "hm", "postgres"),
        ("postgresql://postgres:@/hm?host=/tmp/pg/sock", "/tmp/pg/sock", "", "hm", "postgres"),
        ("postgres:///hm?host=/run/postgresql&port=5433", "/run/postgresql", 5433, "hm", ""),
    ],
)
def test_database_url_forms(url, host, port, name, user):
    config = database_config(url)
    assert config["ENGINE"] == "hustmusik.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (host, port, name, user)
    assert "host" not in config["OPTIONS"] and config["OPTIONS"]["connect_timeout"] > 0


@pytest.mark.django_db
def test_database_sessions_run_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
