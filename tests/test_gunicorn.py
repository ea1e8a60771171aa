"""The app as it runs in production: gunicorn with gunicorn.conf.py, DEBUG off, on the test database.

Found by an attacker against such a server: throttle counters per worker (no REDIS_URL), gunicorn's
HTML pages for a long URL or a large header, and a server that started on ZaloPay's public keys.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.db import connection

from bench.common import gunicorn
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "gunicorn-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    "ZALOPAY_APP_ID": "4471",
    "ZALOPAY_KEY1": "m3Rch4nt-kEy1-0f-7h3-r34l-4pp-9d8c",
    "ZALOPAY_KEY2": "m3Rch4nt-kEy2-0f-7h3-r34l-4pp-2b1a",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of_the_tests() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{quote(db['HOST'], safe='')}{port}/{db['NAME']}"


def server_environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZALOPAY_", "DJANGO_ALLOW_ASYNC"))}
    # Production's settings module, not the suite's (which says ZALOPAY_SANDBOX=1 on purpose).
    return {
        **env,
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "hustmusik.settings",
        "DATABASE_URL": database_url_of_the_tests(),
        **extra,
    }


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        env = server_environment()
    with gunicorn(env, port=free_port(), workers=2) as base:
        yield base


def assert_envelope(response, status: int, code: str):
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code and response.json()["error"]


@pytest.mark.django_db(transaction=True)
def test_throttle_counters_are_shared_by_every_app_server(server, api_client):
    """Ten wrong passwords through this process; the eleventh try, at another server, is refused."""
    user = UserFactory()
    for n in range(10):
        wrong = api_client.post(
            "/v1/auth/signin", {"email": user.email, "password": "Wrong-123!"}, REMOTE_ADDR=f"10.7.0.{n}"
        )
        assert wrong.status_code == 401
    elsewhere = requests.post(
        f"{server}/v1/auth/signin", json={"email": user.email, "password": "Wrong-123!"}, timeout=10
    )
    assert_envelope(elsewhere, 429, "throttled")


def test_a_long_url_or_a_large_header_is_answered_in_the_envelope(server):
    # Django answers what gunicorn lets through (with its request id)...
    long_url = requests.get(f"{server}/v1/song?pad={'a' * 5000}", timeout=10)
    assert_envelope(long_url, 414, "uri_too_long")
    assert "X-Request-ID" in long_url.headers
    large_header = requests.get(f"{server}/v1/song", headers={"X-Padding": "a" * 100_000}, timeout=10)
    assert_envelope(large_header, 431, "header_too_large")
    assert "X-Request-ID" in large_header.headers
    # ...and gunicorn itself, past its own limits, in the same envelope.
    assert_envelope(requests.get(f"{server}/v1/song?pad={'a' * 10_000}", timeout=10), 414, "uri_too_long")
    huge_header = requests.get(f"{server}/v1/song", headers={"X-Padding": "a" * 200_000}, timeout=10)
    assert_envelope(huge_header, 431, "header_too_large")


def test_bytes_that_are_not_utf8_in_the_request_line_are_refused(server):
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(b"GET /v1/search/%FF%FE?q=%ED%A0%80 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
    assert b'"invalid_encoding"' in body


def test_gunicorn_does_not_start_on_zalopays_public_sandbox_keys(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        env = {k: v for k, v in server_environment(WEB_CONCURRENCY="1").items() if not k.startswith("ZALOPAY_")}
    env["GUNICORN_BIND"] = f"127.0.0.1:{free_port()}"
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "hustmusik.wsgi:application"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Refusing to start with DEBUG off" in result.stderr and "ZALOPAY_SANDBOX=1" in result.stderr
