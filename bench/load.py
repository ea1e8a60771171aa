"""`make load`: gunicorn with production settings on loopback, and 60 s of Locust (50 listeners)
on the catalogue of `seed_demo --songs 100000`. Prints requests/s, p50/p95/p99 per endpoint
and the error count, and checks: zero errors, p95 <= 150 ms for every read endpoint.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, bench_environment, gunicorn, manage, print_table  # noqa: E402

PASSWORD = "Load-Test-2025!"
READS = {"/v1/song", "/v1/song/{id}", "/v1/search/{term}/songs", "/v1/song/{id}/presigned/stream", "/v1/user/me/playlists"}


def prepare(accounts: int) -> dict:
    """Listener accounts with a playlist each, songs with audio to stream, and search terms."""
    import django

    django.setup()
    from catalog.models import Song
    from collections_app.models import Collection
    from users.models import User

    for n in range(accounts):
        user, created = User.objects.get_or_create(email=f"load{n}@bench.hustmusik.vn", defaults={"username": f"load{n}"})
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            Collection.objects.create(owner=user, title=f"Load {n}")
    songs = list(Song.objects.order_by("-views").values_list("pk", flat=True)[:500])
    Song.objects.filter(pk__in=songs, audio_key="").update(audio_key="songs/load/audio.mp3", audio_content_type="audio/mpeg")
    titles = Song.objects.filter(pk__in=songs[:100]).values_list("title", flat=True)
    terms = sorted({title.split()[0].lower() for title in titles})
    return {"LOAD_SONGS": ",".join(str(pk) for pk in songs), "LOAD_TERMS": ",".join(terms),
            "LOAD_ACCOUNTS": str(accounts), "LOAD_PASSWORD": PASSWORD}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--songs", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()

    # Abuse protection is not what this measures: every listener signs in from 127.0.0.1.
    env = bench_environment(args.songs, THROTTLE_AUTH_IP="100000/min", THROTTLE_AUTH_ACCOUNT="100000/min",
                            THROTTLE_ORDER="100000/min", WEB_CONCURRENCY="4")
    os.environ.update(env)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--songs", str(args.songs), env=env)
    env.update(prepare(args.users))

    with gunicorn(env, port=8766, workers=4) as base, tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(args.users),
             "-r", "5", "-t", f"{args.seconds}s", "--host", base, "--csv", f"{folder}/load", "--only-summary",
             "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False,
        )
        with open(f"{folder}/load_stats.csv") as handle:
            stats = list(csv.DictReader(handle))

    rows, errors, slow = [], 0, []
    for stat in stats:
        name = stat["Name"]
        failures = int(stat["Failure Count"])
        if name != "Aggregated":
            errors += failures
            if name in READS and float(stat["95%"]) > 150:
                slow.append(name)
        rows.append([f"{stat['Type']} {name}".strip(), stat["Request Count"], f"{float(stat['Requests/s']):.1f}",
                     stat["50%"], stat["95%"], stat["99%"], str(failures)])
    print(f"\nLoad: {args.users} listeners for {args.seconds}s on {args.songs:,} songs (ms):")
    print_table(["endpoint", "requests", "req/s", "p50", "p95", "p99", "errors"], rows)
    print(f"\nerrors: {errors}; read endpoints over p95 150 ms: {', '.join(slow) or 'none'}")
    sys.exit(0 if errors == 0 and not slow else 1)


if __name__ == "__main__":
    main()
