"""`make bench` (search part): a million-song catalogue, then search latency through HTTP vs raw SQL.

Loads `seed_demo --songs N` (default 1,000,000) into its own database, starts gunicorn
with production settings on loopback, and runs a fixed mix of queries against every
search endpoint with `Cache-Control: no-cache` (the cache would only measure Redis).
Next to each endpoint: the same SQL statements, captured from the code path and run
directly on the database. Prints p50/p95 and checks the targets.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench.common import bench_environment, gunicorn, manage, print_table, summary  # noqa: E402

ENDPOINTS = ["", "songs", "artists", "albums", "playlists", "users"]


def query_mix(count: int, titles: list[str], artists: list[str]) -> list[str]:
    """A fixed mix: exact titles, unaccented, lower case, prefixes, typos, artist names, two-word terms."""
    from hustmusik.folding import fold

    rng = random.Random(42)
    mix = []
    for n in range(count):
        title = rng.choice(titles)
        words = title.split()
        form = n % 7
        if form == 0:
            mix.append(title)
        elif form == 1:
            mix.append(fold(title))
        elif form == 2:
            mix.append(" ".join(words[:-1] + [words[-1][: max(2, len(words[-1]) - 2)]]))
        elif form == 3:
            word = fold(rng.choice(words)).lower()
            typo = word[:1] + word[2:3] + word[1:2] + word[3:] if len(word) > 3 else word + "x"
            mix.append(" ".join(fold(w) for w in words if w.lower() != word) + " " + typo)
        elif form == 4:
            mix.append(rng.choice(artists))
        elif form == 5:
            mix.append(" ".join(words[:2]).lower())
        else:
            mix.append(fold(rng.choice(artists)).split()[-1] + " " + fold(words[0]))
    return mix


def raw_sql_times(queries: list[str], endpoint: str) -> list[float]:
    """Capture the SQL an endpoint runs for each query, then time running exactly that SQL directly."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.selectors import SEARCHES, Query

    kinds = list(SEARCHES) if endpoint == "" else [endpoint]
    limit = 5 if endpoint == "" else 10
    samples = []
    for term in queries:
        with CaptureQueriesContext(connection) as captured:
            query = Query.parse(term)
            for kind in kinds:
                SEARCHES[kind](query, user=AnonymousUser(), limit=limit)
        statements = [q["sql"] for q in captured.captured_queries]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        samples.append(time.perf_counter() - started)
    return samples


def http_times(base: str, queries: list[str], endpoint: str) -> list[float]:
    session = requests.Session()
    samples = []
    for term in queries:
        url = f"{base}/v1/search/{quote(term, safe='')}" + (f"/{endpoint}" if endpoint else "")
        started = time.perf_counter()
        response = session.get(url, headers={"Cache-Control": "no-cache"}, timeout=30)
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:300]}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--songs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    env = bench_environment(args.songs)
    os.environ.update(env)
    started = time.monotonic()
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--songs", str(args.songs), env=env)
    print(f"catalogue ready in {time.monotonic() - started:.0f}s")

    import django

    django.setup()
    from catalog.models import Artist, Song

    sample = list(Song.objects.order_by("?").values_list("title", flat=True)[:500])
    artists = list(Artist.objects.order_by("?").values_list("name", flat=True)[:200])
    queries = query_mix(args.queries, sample, artists)

    rows = []
    with gunicorn(env) as base:
        for endpoint in ENDPOINTS:
            http_times(base, queries[:20], endpoint)  # warm both worker processes and the buffer cache
            api = http_times(base, queries, endpoint)
            sql = raw_sql_times(queries, endpoint)
            (api50, api95), (sql50, sql95) = summary(api), summary(sql)
            target = 100 if endpoint == "" else 50
            ok = api95 <= target and api95 <= 1.5 * sql95 + 5
            rows.append(
                [
                    f"/v1/search/{{term}}{'/' + endpoint if endpoint else ''}",
                    f"{api50:.1f}",
                    f"{api95:.1f}",
                    f"{sql50:.1f}",
                    f"{sql95:.1f}",
                    f"p95 <= {target}, <= 1.5*SQL+5",
                    "yes" if ok else "NO",
                ]
            )
    print(f"\nSearch over {args.songs:,} songs, {len(queries)} queries per endpoint (ms):")
    print_table(["endpoint", "API p50", "API p95", "SQL p50", "SQL p95", "target", "met"], rows)


if __name__ == "__main__":
    main()
