"""`make bench` (search part): a million-song catalogue, then type-ahead search latency through HTTP vs raw SQL.

Loads `seed_demo --songs N` (default 1,000,000) into its own database, starts gunicorn
with production settings on loopback, and replays typing against every search endpoint
with `Cache-Control: no-cache` (the cache would only measure Redis): titles and artist
names keystroke by keystroke (`s`, `so`, `son`, `son t`, ...), accented and folded, some
with a typo. Next to each endpoint: the same SQL statements, captured from the code path
and run directly on the database. Prints p50/p95, checks the targets, and a scale line:
the p95 of every size measured on this machine (`BENCH_ARGS="--songs 3000000"` adds one).
Titles and names are sampled by synthetic song (and artist) number with a fixed seed, so the mix
is drawn alike at every size; one target in ten is made of the catalogue's vocabulary and may
name nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_environment, gunicorn, manage, print_table, summary, timed_get  # noqa: E402

ENDPOINTS = ["", "songs", "artists", "albums", "playlists", "users"]
TARGETS = {"": 60, "songs": 30, "artists": 30, "albums": 30, "playlists": 30, "users": 30}  # p95, ms
RESULTS = ROOT / "artifacts" / "search-bench"
# Demo titles and artists, in every catalogue: what listeners type most.
FAMOUS = ["Lạc Trôi", "Nơi Này Có Anh", "Sơn Tùng M-TP", "Đen Vâu", "Bài Này Chill Phết", "Hoàng Thùy Linh"]


def typed(text: str) -> list[str]:
    """What a client sends while `text` is typed: every prefix, except those ending in a space."""
    return [text[:end] for end in range(1, len(text) + 1) if not text[end - 1].isspace()]


def with_typo(text: str, rng: random.Random) -> str:
    """`text` with two letters of one word swapped (a word of four letters or more)."""
    words = text.split()
    long_words = [n for n, word in enumerate(words) if len(word) >= 4]
    if not long_words:
        return text
    n = rng.choice(long_words)
    word = words[n]
    at = rng.randrange(1, len(word) - 2)
    words[n] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return " ".join(words)


SAMPLED = 1_000_000  # titles and names are sampled among the first this many synthetic songs (and artists)


def catalogue_sample(songs: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Titles and artist names of the catalogue, sampled by synthetic number: the same numbers at
    every size (a larger catalogue holds every song number of a smaller one)."""
    from catalog.models import Artist, Song
    from search.bulk_load import synthetic_id

    numbers = rng.sample(range(min(songs, SAMPLED)), 400)
    titles = dict(Song.objects.filter(pk__in=[synthetic_id("song", n) for n in numbers]).values_list("pk", "title"))
    artist_numbers = rng.sample(range(min(songs, SAMPLED) // 10), 200)
    names = dict(
        Artist.objects.filter(pk__in=[synthetic_id("artist", n) for n in artist_numbers]).values_list("pk", "name")
    )
    return (
        [titles[synthetic_id("song", n)] for n in numbers if synthetic_id("song", n) in titles],
        [names[synthetic_id("artist", n)] for n in artist_numbers if synthetic_id("artist", n) in names],
    )


def query_mix(count: int, songs: int, *, seed: int = 42) -> list[str]:
    """Keystrokes of titles and artist names as listeners type them, until `count` queries.

    Titles and names of the catalogue (sampled by song number, the same numbers at every size),
    demo ones, and one in ten made of the catalogue's vocabulary that may name nothing; each typed
    accented, or folded to lower case, some with a typo, some an artist's name before a title.
    """
    from hustmusik.folding import fold
    from search.bulk_load import SYLLABLES

    rng = random.Random(seed)
    titles, artists = catalogue_sample(songs, rng)
    mix: list[str] = []
    while len(mix) < count:
        form = rng.randrange(10)
        title, artist = rng.choice(titles), rng.choice(artists)
        if form < 3:
            text = title
        elif form < 5:
            text = fold(title).lower()
        elif form < 7:
            text = rng.choice([artist, fold(artist).lower()])
        elif form == 7:
            text = with_typo(fold(title).lower(), rng)
        elif form == 8:
            text = fold(artist.split()[-1] + " " + title).lower()
        elif form == 9 and rng.random() < 0.5:
            text = rng.choice([rng.choice(FAMOUS), fold(rng.choice(FAMOUS)).lower()])
        else:
            text = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        mix.extend(typed(text))
    return mix[:count]


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
    samples = []
    for term in queries:
        path = f"/v1/search/{quote(term, safe='')}" + (f"/{endpoint}" if endpoint else "")
        seconds, status, body = timed_get(base, path, {"Cache-Control": "no-cache"})
        samples.append(seconds)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    return samples


def save_and_compare(songs: int, results: dict) -> None:
    """Keep this size's figures, then print how each endpoint's p95 grows with the catalogue."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{songs}.json").write_text(json.dumps(results, indent=1))
    sizes = sorted(
        (json.loads(path.read_text()) for path in RESULTS.glob("*.json")), key=lambda measured: measured["songs"]
    )
    if len(sizes) < 2:
        print(f'\nScale: only {songs:,} songs measured so far; another size (BENCH_ARGS="--songs N") adds one.')
        return
    smallest = sizes[0]
    rows = []
    for endpoint in ENDPOINTS:
        cells = [f"{measured['endpoints'][endpoint]['api95']:.1f}" for measured in sizes]
        growth = sizes[-1]["endpoints"][endpoint]["api95"] / smallest["endpoints"][endpoint]["api95"]
        rows.append(
            [
                f"/v1/search/{{term}}{'/' + endpoint if endpoint else ''}",
                *cells,
                f"x{growth:.2f}",
                "yes" if growth <= 1.5 else "NO",
            ]
        )
    print(
        "\nScale: API p95 (ms) of the same keystroke mix by catalogue size (measured "
        + ", ".join(
            f"{measured['songs']:,} songs at {measured['measured_at']}, load {measured['load']:.1f}"
            for measured in sizes
        )
        + "):"
    )
    print_table(["endpoint", *(f"{measured['songs']:,}" for measured in sizes), "growth", "<= x1.5"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--songs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    env = bench_environment(args.songs)
    os.environ.update(env)
    started = time.monotonic()
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--songs", str(args.songs), env=env)
    print(f"catalogue ready in {time.monotonic() - started:.0f}s")

    import django

    django.setup()

    queries = query_mix(args.queries, args.songs)
    # As many other keystrokes (other titles and names) to warm up with: the buffer cache of a
    # server that has been answering for a while, without having seen the measured ones.
    warm_up = query_mix(args.queries, args.songs, seed=7)
    rows, figures = [], {}
    load = os.getloadavg()[0]
    with gunicorn(env) as base:
        http_times(base, warm_up, "")  # the overview reads every kind
        for endpoint in ENDPOINTS:
            http_times(base, warm_up[:30], endpoint)  # both worker processes, on this endpoint
            api = http_times(base, queries, endpoint)
            sql = raw_sql_times(queries, endpoint)
            (api50, api95), (sql50, sql95) = summary(api), summary(sql)
            figures[endpoint] = {"api50": api50, "api95": api95, "sql50": sql50, "sql95": sql95}
            target = TARGETS[endpoint]
            rows.append(
                [
                    f"/v1/search/{{term}}{'/' + endpoint if endpoint else ''}",
                    f"{api50:.1f}",
                    f"{api95:.1f}",
                    f"{sql50:.1f}",
                    f"{sql95:.1f}",
                    f"{api50 - sql50:.1f}",
                    f"p95 <= {target}",
                    "yes" if api95 <= target else "NO",
                ]
            )
    load = max(load, os.getloadavg()[0])
    print(
        f"\nType-ahead search over {args.songs:,} songs, {len(queries)} keystrokes per endpoint (ms; "
        f"load average up to {load:.1f} on {os.cpu_count()} cores):"
    )
    print_table(["endpoint", "API p50", "API p95", "SQL p50", "SQL p95", "API-SQL p50", "target", "met"], rows)
    measured_at = time.strftime("%Y-%m-%d %H:%M")
    save_and_compare(args.songs, {"songs": args.songs, "measured_at": measured_at, "load": load, "endpoints": figures})


if __name__ == "__main__":
    main()
