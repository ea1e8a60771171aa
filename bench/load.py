"""`make load`: gunicorn with production settings on loopback, and Locust (50 listeners) on the
catalogue of `seed_demo --songs 100000`. Prints requests/s, p50/p95/p99 per endpoint and the
error count, and checks: zero errors, p95 <= 150 ms for every read endpoint. The table covers
the given seconds at full concurrency: Locust resets its statistics once every listener has
started (each one signs in, which is slow by design), and runs that long after it.

`make faults` (`--faults`): the same load against real PostgreSQL and Redis (DATABASE_URL,
REDIS_URL), with job workers and a mail server on loopback, restarting PostgreSQL, then
stopping and starting Redis, then killing a job worker mid-mail (SIGKILL) and starting another
during the run. Checks: the app servers keep running and recover by themselves; every answer
that is not 2xx is a 503 JSON error (no 500, no hang past Locust's timeout); every write
answered 2xx is in the database afterwards (the count is printed); every job queued during the
run succeeds and every mail owed arrives exactly once (bench/job_faults.py).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import job_faults  # noqa: E402
from bench.common import (  # noqa: E402
    PYTHON,
    ROOT,
    bench_environment,
    ensure_database,
    gunicorn,
    manage,
    playable_songs,
    print_table,
    serving,
)

PASSWORD = "Load-Test-2025!"
READS = {
    "/v1/song",
    "/v1/song/{id}",
    "/v1/search/{term}/songs",
    "/v1/song/{id}/presigned/stream",
    "/v1/user/me/playlists",
}
SPAWN_RATE = 5  # listeners started per second
# This machine's services (see the README); override for others.
PG_VERSION = next(iter(sorted(os.listdir("/etc/postgresql"))), "15") if os.path.isdir("/etc/postgresql") else "15"
DEFAULT_FAULT_COMMANDS = {
    "FAULT_PG_RESTART": f"pg_ctlcluster --skip-systemctl-redirect {PG_VERSION} main restart",
    "FAULT_REDIS_STOP": "redis-cli -h 127.0.0.1 -p 6379 shutdown nosave",
    "FAULT_REDIS_START": "redis-server --daemonize yes --bind '127.0.0.1 -::1' --port 6379 --save '' --appendonly no "
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log",
}
REDIS_OUTAGE_SECONDS = 10
RECOVERED_FOR_SECONDS = 15  # the end of the run must be free of refusals


def prepare(accounts: int) -> dict:
    """Listener accounts with an empty playlist and history each, songs with audio, and search terms."""
    import django

    django.setup()
    from catalog.models import ListenHistory, Song
    from collections_app.models import Collection, CollectionSong
    from users.models import User

    for n in range(accounts):
        user, created = User.objects.get_or_create(
            email=f"load{n}@bench.hustmusik.vn", defaults={"username": f"load{n}"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            Collection.objects.create(owner=user, title=f"Load {n}")
    # Writes of earlier runs would make "every answered write is there" hold vacuously.
    ListenHistory.objects.filter(user__email__endswith="@bench.hustmusik.vn").delete()
    CollectionSong.objects.filter(collection__owner__email__endswith="@bench.hustmusik.vn").delete()
    User.objects.filter(email__endswith=f"@{job_faults.MAIL_DOMAIN}").delete()  # signed up by earlier fault runs
    songs = playable_songs(500)
    titles = Song.objects.filter(pk__in=songs[:100]).values_list("title", flat=True)
    terms = sorted({title.split()[0].lower() for title in titles})
    return {
        "LOAD_SONGS": ",".join(songs),
        "LOAD_TERMS": ",".join(terms),
        "LOAD_ACCOUNTS": str(accounts),
        "LOAD_PASSWORD": PASSWORD,
    }


def locust(env: dict, base: str, *, users: int, seconds: int, folder: str) -> subprocess.Popen:
    ramp = -(-users // SPAWN_RATE)
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(SPAWN_RATE),
            "--reset-stats",
            "-t",
            f"{seconds + ramp}s",
            "--host",
            base,
            "--csv",
            f"{folder}/load",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
    )


def stats_table(folder: str, *, check_latency: bool) -> tuple[list[list], int, list[str]]:
    with open(f"{folder}/load_stats.csv") as handle:
        stats = list(csv.DictReader(handle))
    rows, errors, slow = [], 0, []
    for stat in stats:
        name, failures = stat["Name"], int(stat["Failure Count"])
        if name != "Aggregated":
            errors += failures
            if check_latency and name in READS and float(stat["95%"]) > 150:
                slow.append(name)
        rows.append(
            [
                f"{stat['Type']} {name}".strip(),
                stat["Request Count"],
                f"{float(stat['Requests/s']):.1f}",
                stat["50%"],
                stat["95%"],
                stat["99%"],
                str(failures),
            ]
        )
    return rows, errors, slow


# --- faults ---------------------------------------------------------------------------------------


def run_command(name: str, env: dict) -> None:
    command = env.get(name) or DEFAULT_FAULT_COMMANDS[name]
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {command}", flush=True)
    subprocess.run(shlex.split(command), check=True, stdout=subprocess.DEVNULL)


def inject_faults(
    env: dict,
    start: float,
    seconds: int,
    timeline: list,
    base: str,
    workers: job_faults.Workers,
    smtp,
    kills: list,
    mails_owed: list,
) -> None:
    """PostgreSQL restarted at a quarter of the run; Redis down for a while from the middle; at
    three quarters a job worker killed with SIGKILL in the middle of a mail, and another started."""
    time.sleep(max(0.0, start + seconds * 0.25 - time.time()))
    timeline.append(("PostgreSQL restart", time.time()))
    run_command("FAULT_PG_RESTART", env)
    time.sleep(max(0.0, start + seconds * 0.5 - time.time()))
    timeline.append(("Redis stopped", time.time()))
    run_command("FAULT_REDIS_STOP", env)
    time.sleep(REDIS_OUTAGE_SECONDS)
    run_command("FAULT_REDIS_START", env)
    timeline.append(("Redis started", time.time()))
    time.sleep(max(0.0, start + seconds * 0.75 - time.time()))
    kill = workers.kill_one_mid_mail(smtp, base, mails_owed)
    kills.append(kill)
    timeline.append(("worker SIGKILL", kill.at))
    print(f"[{time.strftime('%H:%M:%S')}] SIGKILL to job worker {kill.worker} (mid-mail to {kill.mail_to})", flush=True)
    workers.start()


def answered_writes_present(writes: list) -> tuple[int, int]:
    """(answered, present): distinct writes answered 2xx, and how many of them the database holds."""
    from django.db import connection

    from catalog.models import ListenHistory
    from collections_app.models import CollectionSong

    connection.close()  # this process's connection died with the PostgreSQL restart
    history = {(w["account"], w["song"]) for w in writes if w["kind"] == "history"}
    playlist = {(w["playlist"], w["song"]) for w in writes if w["kind"] == "playlist"}
    stored_history = {
        (int(email.removeprefix("load").split("@")[0]), str(song))
        for email, song in ListenHistory.objects.filter(user__email__endswith="@bench.hustmusik.vn").values_list(
            "user__email", "song_id"
        )
    }
    stored_playlist = {
        (str(collection), str(song))
        for collection, song in CollectionSong.objects.filter(
            collection__owner__email__endswith="@bench.hustmusik.vn"
        ).values_list("collection_id", "song_id")
    }
    return len(history) + len(playlist), len(history & stored_history) + len(playlist & stored_playlist)


def fault_verdict(journal: dict, timeline: list, end: float, server_alive: bool, written: tuple[int, int]) -> list[str]:
    refusals = journal["refusals"]
    problems = []
    if not server_alive:
        problems.append("gunicorn exited during the run")
    unanswered = [r for r in refusals if r["status"] == 0]
    if unanswered:
        problems.append(f"{len(unanswered)} requests got no answer (refused, reset or over the timeout)")
    not_503_json = [r for r in refusals if r["status"] and not (r["status"] == 503 and r["json"])]
    if not_503_json:
        kinds = Counter(f"{r['status']} {r['endpoint']} {r['code']}" for r in not_503_json)
        problems.append(f"{len(not_503_json)} answers were neither 2xx nor 503 JSON: {dict(kinds.most_common(5))}")
    late = [r for r in refusals if r["at"] > end - RECOVERED_FOR_SECONDS]
    if late:
        problems.append(f"{len(late)} refusals in the last {RECOVERED_FOR_SECONDS}s: the app did not recover")
    if written[1] != written[0]:
        problems.append(f"{written[0] - written[1]} writes answered 2xx are missing from the database")

    print("\nFaults:")
    rows = []
    for (name, at), following in zip(timeline, timeline[1:] + [("end", end)], strict=True):
        window = [r for r in refusals if at <= r["at"] < following[1]]
        last = max((r["at"] for r in window), default=None)
        rows.append(
            [
                name,
                time.strftime("%H:%M:%S", time.localtime(at)),
                str(len(window)),
                ", ".join(f"{k}: {v}" for k, v in Counter(str(r["status"]) for r in window).items()) or "-",
                f"{last - at:.1f}" if last else "-",
            ]
        )
    print_table(["fault", "at", "refused", "statuses", "last refusal after (s)"], rows)
    print(f"\nanswers by status: {dict(sorted(journal['statuses'].items()))}")
    print(f"writes answered 2xx: {written[0]}; present in the database afterwards: {written[1]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--songs", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--faults", action="store_true", help="restart PostgreSQL and Redis during the run")
    args = parser.parse_args()

    # Abuse protection is not what this measures: every listener signs in from 127.0.0.1.
    env = bench_environment(
        args.songs, THROTTLE_AUTH_IP="100000/min", THROTTLE_AUTH_ACCOUNT="100000/min", THROTTLE_ORDER="100000/min"
    )
    if args.faults:
        if not (env.get("DATABASE_URL") and env.get("REDIS_URL")):
            sys.exit("--faults restarts real services: set DATABASE_URL and REDIS_URL (`make faults` does)")
        ensure_database(env["DATABASE_URL"])
    os.environ.update(env)
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--songs", str(args.songs), env=env)
    env.update(prepare(args.users))

    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        timeline: list = []
        if args.faults:
            smtp = stack.enter_context(job_faults.mail_server())
            env.update(job_faults.worker_environment(env, smtp), LOAD_MAIL=job_faults.MAIL_DOMAIN)
            jobs_before = job_faults.last_job_id(env["DATABASE_URL"])
            workers = job_faults.Workers(env, folder)
            stack.callback(workers.stop)
            for _ in range(job_faults.WORKERS):
                workers.start()
        base = stack.enter_context(gunicorn(env, port=8766, workers=4))
        env["LOAD_JOURNAL"] = f"{folder}/journal.json" if args.faults else ""
        runner = locust(env, base, users=args.users, seconds=args.seconds, folder=folder)
        if args.faults:
            ramp = -(-args.users // SPAWN_RATE)
            kills: list = []
            mails_owed: list = []  # the mails of the run's own requests (the load's are in its journal)
            threading.Thread(
                target=inject_faults,
                args=(env, time.time() + ramp, args.seconds, timeline, base, workers, smtp, kills, mails_owed),
                daemon=True,
            ).start()
        runner.wait()
        end = time.time()
        server_alive = serving(base)
        rows, errors, slow = stats_table(folder, check_latency=not args.faults)
        if args.faults:
            journal = json.load(open(env["LOAD_JOURNAL"]))
            mails_owed += journal["mails"]
            waited = job_faults.settle(env["DATABASE_URL"], jobs_before, smtp, mails_owed)
            workers.stop()
            jobs = job_faults.job_outcomes(env["DATABASE_URL"], jobs_before)
            mail = job_faults.mail_account(smtp, mails_owed)
            worker_logs = workers.log_messages()

    print(f"\nLoad: {args.users} listeners for {args.seconds}s at full concurrency on {args.songs:,} songs (ms):")
    print_table(["endpoint", "requests", "req/s", "p50", "p95", "p99", "errors"], rows)
    if args.faults:
        problems = fault_verdict(journal, timeline, end, server_alive, answered_writes_present(journal["writes"]))
        problems += job_faults.verdict(jobs, mail, kills[0] if kills else None, smtp, worker_logs, waited)
        print(
            "\n"
            + ("\n".join(f"FAILED: {problem}" for problem in problems) or "recovered from every fault, nothing lost")
        )
        sys.exit(1 if problems else 0)
    print(f"\nerrors: {errors}; read endpoints over p95 150 ms: {', '.join(slow) or 'none'}")
    sys.exit(0 if errors == 0 and not slow else 1)


if __name__ == "__main__":
    main()
