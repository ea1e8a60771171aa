"""`make bench` (API part): list and detail endpoints on the million-song catalogue, through HTTP
next to their raw SQL and next to the same requests answered from the catalogue cache; and the
throughput of `GET /v1/song?limit=50` next to a bare Django view running the same SQL and
returning the same JSON (the median of three rounds). Run after search_bench.py (same catalogue).

The catalogue cache is on (CATALOGUE_CACHE=1): Redis when REDIS_URL is set, else each
worker's local memory, which is all a read-only benchmark needs. The uncached figures send
`Cache-Control: no-cache`; the throughput target is checked on them.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench.common import bench_environment, gunicorn, print_table, summary, timed_get  # noqa: E402

REQUESTS_PER_ENDPOINT = 200


UNCACHED = {"GET /v1/collection", "GET /v1/collection/{id}"}  # not catalogue reads: answers depend on who asks


def endpoints(ids: dict) -> list[tuple[str, list[str]]]:
    songs, artists, collections = ids["songs"], ids["artists"], ids["collections"]
    return [
        ("GET /v1/song?limit=50", [f"/v1/song?limit=50&page={n % 20 + 1}" for n in range(REQUESTS_PER_ENDPOINT)]),
        ("GET /v1/song?ordering=-views", ["/v1/song?limit=50&ordering=-views"] * REQUESTS_PER_ENDPOINT),
        ("GET /v1/song/{id}", [f"/v1/song/{songs[n % len(songs)]}" for n in range(REQUESTS_PER_ENDPOINT)]),
        ("GET /v1/artist", [f"/v1/artist?limit=50&page={n % 20 + 1}" for n in range(REQUESTS_PER_ENDPOINT)]),
        ("GET /v1/artist/{id}", [f"/v1/artist/{artists[n % len(artists)]}" for n in range(REQUESTS_PER_ENDPOINT)]),
        (
            "GET /v1/artist/{id}/songs",
            [f"/v1/artist/{artists[n % len(artists)]}/songs" for n in range(REQUESTS_PER_ENDPOINT)],
        ),
        ("GET /v1/collection", [f"/v1/collection?limit=50&page={n % 20 + 1}" for n in range(REQUESTS_PER_ENDPOINT)]),
        (
            "GET /v1/collection/{id}",
            [f"/v1/collection/{collections[n % len(collections)]}" for n in range(REQUESTS_PER_ENDPOINT)],
        ),
    ]


FRESH = {"Cache-Control": "no-cache"}


def http_times(base: str, paths: list[str], headers: dict) -> list[float]:
    samples = []
    for path in paths:
        seconds, status, body = timed_get(base, path, headers)
        samples.append(seconds)
        if status != 200:
            raise RuntimeError(f"{path}: {status} {body[:200]!r}")
    return samples


def sql_times(paths: list[str]) -> list[float]:
    """Capture the SQL each request runs (in-process), then time exactly that SQL on the database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, samples = Client(HTTP_HOST="127.0.0.1"), []
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            client.get(path, HTTP_CACHE_CONTROL="no-cache")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                cursor.execute(query["sql"])
                cursor.fetchall() if cursor.description else None
        samples.append(time.perf_counter() - started)
    return samples


def throughput(base: str, path: str, *, seconds: float, headers: dict, clients: int = 8) -> float:
    done, stop = [0] * clients, time.monotonic() + seconds

    def worker(slot: int):
        session = requests.Session()
        while time.monotonic() < stop:
            if session.get(base + path, headers=headers, timeout=30).status_code == 200:
                done[slot] += 1

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--songs", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    env = bench_environment(
        args.songs,
        DJANGO_SETTINGS_MODULE="bench.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        CATALOGUE_CACHE="1",
    )
    os.environ.update(env)
    import django

    django.setup()
    from catalog.models import Artist, Song
    from collections_app.models import Collection

    ids = {
        "songs": [str(pk) for pk in Song.objects.order_by("?").values_list("pk", flat=True)[:100]],
        "artists": [str(pk) for pk in Artist.objects.order_by("?").values_list("pk", flat=True)[:100]],
        "collections": [
            str(pk)
            for pk in Collection.objects.filter(visibility="Public").order_by("?").values_list("pk", flat=True)[:100]
        ],
    }
    rows = []
    with gunicorn(env) as base:
        for name, paths in endpoints(ids):
            http_times(base, paths[:20], FRESH)
            api = http_times(base, paths, FRESH)
            sql = sql_times(paths)
            (api50, api95), (sql50, sql95) = summary(api), summary(sql)
            if name in UNCACHED:
                hits = ["-", "-"]
            else:
                http_times(base, paths, {})  # fills the cache
                hits = [f"{ms:.1f}" for ms in summary(http_times(base, paths, {}))]
            rows.append(
                [
                    name,
                    f"{api50:.1f}",
                    f"{api95:.1f}",
                    f"{sql50:.1f}",
                    f"{sql95:.1f}",
                    *hits,
                    "yes" if api95 <= 30 else "NO",
                ]
            )
        # Three rounds, each the API then the bare view back to back: the median round's ratio
        # says more than one run on a machine whose load moves.
        rounds = []
        for _ in range(args.rounds):
            api = throughput(base, "/v1/song?limit=50", seconds=args.seconds, headers=FRESH)
            bare = throughput(base, "/bench/bare-songs?limit=50", seconds=args.seconds, headers={})
            rounds.append((api / bare if bare else 0, api, bare))
        ratio, api_rps, bare_rps = sorted(rounds)[len(rounds) // 2]
        cached_rps = throughput(base, "/v1/song?limit=50", seconds=args.seconds, headers={})
    print(f"\nList and detail endpoints over {args.songs:,} songs, {REQUESTS_PER_ENDPOINT} requests each (ms):")
    print_table(["endpoint", "API p50", "API p95", "SQL p50", "SQL p95", "cached p50", "cached p95", "p95 <= 30"], rows)
    print(
        f"\nThroughput of GET /v1/song?limit=50 (median of {args.rounds} rounds: "
        + ", ".join(f"{r:.0%}" for r, _, _ in rounds)
        + f"): API {api_rps:.0f} req/s uncached, bare Django view {bare_rps:.0f} req/s "
        f"({ratio:.0%} of the bare view; target >= 60%: {'met' if ratio >= 0.6 else 'NOT met'}); "
        f"API from the catalogue cache {cached_rps:.0f} req/s; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
