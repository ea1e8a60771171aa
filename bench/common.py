"""Shared pieces of the benchmarks: the environment, a gunicorn on loopback, timing and tables."""

from __future__ import annotations

import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def bench_environment(songs: int, **extra: str) -> dict:
    """Production-like settings on loopback, on a database of its own per catalogue size (never the dev one)."""
    env = dict(os.environ)
    env.setdefault("EMBEDDED_DATABASE", f"hustmusik_bench_{songs}")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hustmusik.settings",
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
            # No access line per request (gunicorn's own access log is off in gunicorn.conf.py): a load of
            # thousands of requests would bury the results, and writing them costs the servers time.
            "ACCESS_LOG_LEVEL": "WARNING",
            "JOB_LOG_LEVEL": "WARNING",  # nor the job queue's start-up lines in every gunicorn worker
            "ZALOPAY_SANDBOX": "1",  # benchmarks never take a payment
            **extra,
        }
    )
    return env


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextmanager
def gunicorn(env: dict, *, port: int = 8765, workers: int = 2):
    """A gunicorn serving the project on 127.0.0.1:port until the block ends, with the
    production configuration (gunicorn.conf.py)."""
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "hustmusik.wsgi:application"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if serving(base):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def timed_get(base: str, path: str, headers: dict | None = None) -> tuple[float, int, bytes]:
    """(seconds, status, body) of one GET, on a connection of its own (gunicorn's sync workers close
    each one). The standard library's client: `requests` spent 2 ms of its own per request, which
    latency figures would have counted as the server's."""
    host, port = base.removeprefix("http://").split(":")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return time.perf_counter() - started, response.status, body


def serving(base: str) -> bool:
    try:
        return requests.get(f"{base}/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def ensure_database(url: str) -> None:
    """Create the database a postgres:// URL names, when the server does not have it yet."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def playable_songs(count: int) -> list[str]:
    """Ids of the `count` most played songs, each given a stand-in audio key if it has none: the
    benchmarks ask for stream URLs (signed, never fetched), which only songs with audio have."""
    from catalog.models import Song

    songs = list(Song.objects.order_by("-views", "id").values_list("pk", flat=True)[:count])
    Song.objects.filter(pk__in=songs, audio_key="").update(
        audio_key="songs/load/audio.mp3", audio_content_type="audio/mpeg"
    )
    return [str(pk) for pk in songs]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    return statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000


def print_table(headers: list[str], rows: list[list]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    print(line.format(*headers))
    print(line.format(*("-" * width for width in widths)))
    for row in rows:
        print(line.format(*row))
