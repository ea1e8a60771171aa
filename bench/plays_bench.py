"""`make bench` (plays part): 200 concurrent stream-URL requests for one song next to 200 for 200
different songs, against gunicorn with production settings. The claim it checks: a popular song
does not make its listeners wait on each other (a play is appended, the song's row is not written).

Every request comes from a listener of its own (an anonymous client address, forwarded through
one trusted proxy: NUM_PROXIES=1), so that each one counts a play: the one-song burst is 200
listeners counting plays of the same song at once. Each burst starts its 200 requests together
(one connection each) and is run ROUNDS times, the two kinds alternating. Prints p50/p95 of the
requests and the median wall time of a burst for both, and their ratio (one song over 200
songs); checks that every request was answered 200 and counted one play.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench.common import bench_environment, gunicorn, manage, playable_songs, print_table, summary  # noqa: E402

LISTENERS = 200
ROUNDS = 10
# Figures within this much of each other are the same on a shared machine.
TOLERANCE = 0.10


def burst(base: str, songs: list[str], addresses: list[str]) -> tuple[list[float], float]:
    """One request per (song, address) pair, all started at once: (per-request seconds, wall seconds)."""
    ready = threading.Barrier(len(addresses) + 1)
    samples: list[float] = []
    failures: list[str] = []

    def listen(song: str, address: str) -> None:
        session = requests.Session()
        ready.wait()
        started = time.perf_counter()
        response = session.get(
            f"{base}/v1/song/{song}/presigned/stream", headers={"X-Forwarded-For": address}, timeout=60
        )
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            failures.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=listen, args=pair) for pair in zip(songs, addresses, strict=True)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} stream requests failed, e.g. {failures[0]}")
    return samples, wall


class LockWaits:
    """Samples, while a burst runs, the database sessions that wait on a lock (heavyweight locks:
    a row, a transaction; and the lightweight ones of row sharing, MultiXact*) and on a buffer."""

    QUERY = """
        SELECT wait_event_type || ':' || wait_event FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND (wait_event_type = 'Lock' OR wait_event LIKE 'MultiXact%%' OR wait_event LIKE 'Buffer%%')
    """

    def __init__(self):
        self.samples = 0
        self.waits: Counter = Counter()

    def __enter__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            while not self._stop.is_set():
                cursor.execute(self.QUERY)
                self.waits.update(event for (event,) in cursor.fetchall())
                self.samples += 1
                time.sleep(0.01)
        connection.close()


def server_cpu(database: str) -> dict[str, dict[int, float]]:
    """CPU seconds used so far by each app server process (this process's children: gunicorn and
    its workers) and each database session on `database` (its backends on this machine): what a
    burst costs, which other load on the machine does not inflate as it does wall time."""
    import psutil

    def used(processes) -> dict[int, float]:
        seconds = {}
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            seconds[process.pid] = times.user + times.system
        return seconds

    def is_backend(process) -> bool:  # "postgres: [<cluster>: ]<user> <database> <client> <state>"
        title = " ".join(process.info["cmdline"] or [])
        return title.startswith("postgres: ") and f" {database} " in title

    backends = [process for process in psutil.process_iter(["cmdline"]) if is_backend(process)]
    return {"app": used(psutil.Process().children(recursive=True)), "db": used(backends)}


def cpu_spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds between two `server_cpu` readings (a process that exited in between is left out)."""
    return {side: sum(seconds - before[side].get(pid, 0.0) for pid, seconds in after[side].items()) for side in after}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--songs", type=int, default=1_000_000, help="the catalogue (seeded if missing)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()

    env = bench_environment(args.songs, NUM_PROXIES="1")
    os.environ.update(env)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--songs", str(args.songs), env=env)
    import django

    django.setup()
    from django.db import connection

    from catalog.models import Play, PlayMark

    database = connection.settings_dict["NAME"]

    songs = playable_songs(LISTENERS)
    # Marks of an earlier run would make its listeners count nothing for 30 s.
    PlayMark.objects.filter(song_id__in=songs).delete()
    kinds = {"1 song": [songs[0]] * LISTENERS, f"{LISTENERS} songs": songs}
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    walls: dict[str, list[float]] = {kind: [] for kind in kinds}
    waits = {kind: LockWaits() for kind in kinds}
    cpu: dict[str, Counter] = {kind: Counter() for kind in kinds}
    network = random.randrange(256)  # this run's listeners: 10.<network>.<burst>.<n>
    workers = (os.cpu_count() or 1) * 2 + 1  # gunicorn.conf.py's production default

    with gunicorn(env, workers=workers) as base:
        burst(base, songs, [f"10.{network}.255.{n}" for n in range(LISTENERS)])  # warm every worker up
        for round_ in range(args.rounds):
            order = list(kinds) if round_ % 2 == 0 else list(reversed(kinds))
            for kind in order:
                number = round_ * len(kinds) + list(kinds).index(kind)
                addresses = [f"10.{network}.{number}.{n}" for n in range(LISTENERS)]
                before = Play.objects.filter(song_id__in=set(kinds[kind])).count()
                cpu_before = server_cpu(database)
                with waits[kind]:
                    times, wall = burst(base, kinds[kind], addresses)
                cpu[kind].update(cpu_spent(cpu_before, server_cpu(database)))
                counted = Play.objects.filter(song_id__in=set(kinds[kind])).count() - before
                if counted != LISTENERS:
                    raise RuntimeError(f"{kind}: {LISTENERS} listeners counted {counted} plays")
                samples[kind].extend(times)
                walls[kind].append(wall)

    rows, figures = [], {}
    for kind in kinds:
        p50, p95 = summary(samples[kind])
        wall = statistics.median(walls[kind]) * 1000
        cpu_ms = sum(cpu[kind].values()) * 1000 / (LISTENERS * args.rounds)
        figures[kind] = (p50, p95, wall, cpu_ms)
        spread = f"{min(walls[kind]) * 1000:.0f}-{max(walls[kind]) * 1000:.0f}"
        per_request = [cpu[kind][side] * 1000 / (LISTENERS * args.rounds) for side in ("app", "db")]
        rows.append([kind, f"{p50:.0f}", f"{p95:.0f}", f"{wall:.0f}", spread, *(f"{ms:.1f}" for ms in per_request)])
    print(
        f"\nStream URLs: {LISTENERS} listeners at once, {args.rounds} bursts each, gunicorn with {workers} workers "
        f"on {os.cpu_count()} cores (ms; CPU per request of the app servers and of the database sessions):"
    )
    print_table(["burst", "p50", "p95", "wall (median)", "wall (range)", "app CPU/req", "db CPU/req"], rows)
    one, many = figures["1 song"], figures[f"{LISTENERS} songs"]
    ratios = [one[n] / many[n] for n in range(4)]
    no_slower = ratios[0] <= 1 + TOLERANCE and ratios[2] <= 1 + TOLERANCE
    print(
        f"\none song / {LISTENERS} songs: p50 {ratios[0]:.2f}, p95 {ratios[1]:.2f}, wall {ratios[2]:.2f}, "
        f"CPU per request {ratios[3]:.2f}; every request counted one play"
    )
    for kind, sampled in waits.items():
        seen = ", ".join(f"{event} {count}" for event, count in sampled.waits.most_common()) or "none"
        print(f"{kind}: database sessions seen waiting on a lock or a buffer in {sampled.samples} samples: {seen}")
    verdict = "yes" if no_slower else "NO"
    if not no_slower and ratios[3] <= 1 + TOLERANCE and not waits["1 song"].waits:
        verdict += " (yet the same CPU per request and no lock waits: other load on the machine; run it again)"
    print(f"one song no slower than {LISTENERS} songs (p50 and wall within {TOLERANCE:.0%}): {verdict}")


if __name__ == "__main__":
    main()
