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
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "AWS_STORAGE_BUCKET_NAME",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "CORS_ALLOWED_ORIGINS",
)
PRODUCTION = {
    "SECRET_KEY": "k9#Xq2!vT7rLw3@pZ8mN5$bH1cJ6^fD4gS0yU&eA*oI(iR)uE-wQ=tY+nM_vB",
    "DATABASE_URL": "postgres://hustmusik:secret@db.internal:5432/hustmusik",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "api.hustmusik.vn",
}


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
    values = settings_values("CACHES", "STORAGES", AWS_STORAGE_BUCKET_NAME="hust-media",
                             AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000", **PRODUCTION)
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
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (host, port, name, user)
    assert "host" not in config["OPTIONS"] and config["OPTIONS"]["connect_timeout"] > 0


@pytest.mark.django_db
def test_database_sessions_run_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
