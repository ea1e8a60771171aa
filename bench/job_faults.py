"""The job side of `make faults`: job workers beside the app servers, one of them killed with
SIGKILL mid-run and replaced, a mail server on loopback, and the account of jobs and mail after.

The load causes mail (bench/locustfile.py, LOAD_MAIL): sign-ups (a verification mail each) and
password resets (a reset mail each), sent by the workers through a real SMTP server on loopback
(tests/fakes/smtp.py) that holds each recipient for MAIL_RECIPIENT_DELAY_SECONDS. The worker
killed is one caught in that wait, mid-mail: its job is left running, and must be retried once
the worker counts as dead (JOB_STALLED_SECONDS, shortened here) and sent once. A kill after the
server has accepted a message but before the job is marked done would send that mail again:
no SMTP client can close that window, only keep it short (the job is marked done right after).

After the load, the run waits up to SETTLE_SECONDS for every job queued during the run to end
and every mail owed to arrive, then counts: jobs by outcome, mails per recipient and kind.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import requests

from bench.common import PYTHON, ROOT
from tests.fakes.smtp import FakeSMTPServer

WORKERS = 2
MAIL_DOMAIN = "mail.bench.hustmusik.vn"  # of the accounts the load signs up (LOAD_MAIL)
SIGN_UP_PASSWORD = "Mail-Test-2025!"  # of the account the run signs up itself
MAIL_RECIPIENT_DELAY_SECONDS = 0.3
# A dead worker's jobs are retried after JOB_STALLED_SECONDS (60 s in production), by a job that
# runs every minute: shorter here, so that the run ends soon after the load.
WORKER_SETTINGS = {"JOB_WORKER_HEARTBEAT_SECONDS": "2", "JOB_STALLED_SECONDS": "10"}
KILL_SEARCH_SECONDS = 15  # how long to wait for a worker in the middle of a mail
SETTLE_SECONDS = 180
LINK = re.compile(r"/(verify-email\?key|new-password\?token)=([^&\s]+)")
MAIL_KINDS = {"verify-email?key": "verification", "new-password?token": "reset"}


def mail_server() -> FakeSMTPServer:
    return FakeSMTPServer(recipient_delay_seconds=MAIL_RECIPIENT_DELAY_SECONDS)


def worker_environment(env: dict, smtp: FakeSMTPServer) -> dict:
    """What the app servers and the workers share for the fault run: the mail server and the
    shortened stalled-job delay."""
    return {**env, "EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}", **WORKER_SETTINGS}


@dataclass
class Kill:
    worker: str
    at: float
    mail_to: str | None  # the recipient of the mail it was sending, when caught mid-mail


@dataclass
class Workers:
    """`manage.py worker` processes, each logging (JSON lines) to a file of its own in `folder`."""

    env: dict
    folder: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self) -> str:
        name = f"fault-worker-{len(self.processes) + 1}"
        with open(Path(self.folder) / f"{name}.log", "w") as log:
            self.processes[name] = subprocess.Popen(
                [PYTHON, "manage.py", "worker"],
                cwd=ROOT,
                env={**self.env, "JOB_WORKER_NAME": name, "LOG_FORMAT": "json"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return name

    def mid_mail(self, smtp: FakeSMTPServer) -> tuple[str, str] | None:
        """(worker, recipient) of a worker waiting on the mail server, its message not handed over
        yet and not about to be (so that the SIGKILL lands before the server accepts it)."""
        waiting = {
            port: address
            for (_, port), (address, seconds_left) in smtp.clients_waiting().items()
            if seconds_left > MAIL_RECIPIENT_DELAY_SECONDS / 2
        }
        for name, process in self.processes.items():
            if process.poll() is not None:
                continue
            try:
                ports = {conn.laddr.port for conn in psutil.Process(process.pid).net_connections(kind="tcp")}
            except psutil.Error:
                continue
            for port in ports & waiting.keys():
                return name, waiting[port]
        return None

    def kill_one_mid_mail(self, smtp: FakeSMTPServer, base: str, owed: list[dict]) -> Kill:
        """SIGKILL a worker caught mid-mail (or, if none is within KILL_SEARCH_SECONDS, the first one
        alive). A sign-up of the run's own makes sure that a mail is on its way meanwhile."""
        email = f"kill-{uuid.uuid4().hex[:12]}@{MAIL_DOMAIN}"

        def sign_up() -> None:
            try:
                answer = requests.post(
                    f"{base}/v1/auth/signup", json={"email": email, "password": SIGN_UP_PASSWORD}, timeout=30
                )
            except requests.RequestException:
                return  # the load's own mail may still be caught
            if answer.ok:
                owed.append({"kind": "verification", "email": email})

        threading.Thread(target=sign_up).start()  # the mail may be on its way before the answer
        deadline = time.monotonic() + KILL_SEARCH_SECONDS
        while (caught := self.mid_mail(smtp)) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        name, mail_to = caught or (next(n for n, p in self.processes.items() if p.poll() is None), None)
        self.processes[name].send_signal(signal.SIGKILL)
        at = time.time()
        self.processes[name].wait()
        return Kill(worker=name, at=at, mail_to=mail_to)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()  # the worker's graceful stop: its running job ends first
        for process in self.processes.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log_messages(self) -> list[str]:
        messages = []
        for name in self.processes:
            for line in (Path(self.folder) / f"{name}.log").read_text().splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a traceback's lines follow their record
                if isinstance(record, dict):
                    messages.append(str(record.get("message", "")))
        return messages


# --- jobs -----------------------------------------------------------------------------------------


def last_job_id(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        return conn.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs").fetchone()[0]


def unfinished_jobs(database_url: str, after: int) -> int | None:
    """Jobs queued after job `after` that are still waiting or running (None: the database is away)."""
    try:
        with psycopg.connect(database_url, connect_timeout=5) as conn:
            return conn.execute(
                "SELECT count(*) FROM procrastinate_jobs WHERE id > %s AND status IN ('todo', 'doing')", [after]
            ).fetchone()[0]
    except psycopg.OperationalError:
        return None


def job_outcomes(database_url: str, after: int) -> dict:
    """Jobs queued after job `after`: counts by status, the succeeded ones that needed more than one
    attempt, and the task of each job that did not succeed."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT status, task_name, attempts FROM procrastinate_jobs WHERE id > %s", [after]
        ).fetchall()
    statuses = Counter(status for status, _, _ in rows)
    return {
        "queued": len(rows),
        "statuses": statuses,
        # `attempts` counts runs: 1 for a job that succeeded the first time.
        "retried_to_success": sum(1 for status, _, attempts in rows if status == "succeeded" and attempts > 1),
        "not_succeeded": Counter(f"{task} {status}" for status, task, _ in rows if status != "succeeded"),
    }


# --- mail -----------------------------------------------------------------------------------------


def mails_received(smtp: FakeSMTPServer) -> Counter:
    """(recipient, kind, token) -> how many times it was delivered."""
    received: Counter = Counter()
    for message in smtp.received():
        link = LINK.search(FakeSMTPServer.text_of(message))
        kind, token = (MAIL_KINDS[link.group(1)], link.group(2)) if link else ("other", "")
        received[(str(message["To"]), kind, token)] += 1
    return received


def mail_account(smtp: FakeSMTPServer, due: list[dict]) -> dict:
    """Mails sent, the (recipient, kind) delivered more than once, and those owed but never delivered."""
    received = mails_received(smtp)
    per_kind: Counter = Counter()
    for (to, kind, _), times in received.items():
        per_kind[(to, kind)] += times
    owed = {(mail["email"], mail["kind"]) for mail in due}
    by_kind: Counter = Counter()
    for (_, kind), times in per_kind.items():
        by_kind[kind] += times
    return {
        "sent": sum(received.values()),
        "sent_by_kind": by_kind,
        "owed": len(owed),
        "duplicates": sorted(f"{kind} to {to} x{times}" for (to, kind), times in per_kind.items() if times > 1),
        "missing": sorted(f"{kind} to {to}" for to, kind in owed if not per_kind[(to, kind)]),
    }


def settle(database_url: str, after: int, smtp: FakeSMTPServer, due: list[dict]) -> float:
    """Wait (up to SETTLE_SECONDS) until no job queued after `after` is waiting or running and every
    mail owed has arrived; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < SETTLE_SECONDS:
        if unfinished_jobs(database_url, after) == 0 and not mail_account(smtp, due)["missing"]:
            break
        time.sleep(1)
    return time.monotonic() - started


def verdict(
    jobs: dict, mail: dict, kill: Kill | None, smtp: FakeSMTPServer, logs: list[str], waited: float
) -> list[str]:
    """Print the account of jobs and mail; return what went wrong."""
    statuses = jobs["statuses"]
    stalled = sum(1 for message in logs if "left running by a dead worker" in message)
    restarts = sum(1 for message in logs if "stopped by itself" in message)
    if kill is None:
        killed = "no worker was killed (the fault thread stopped early)"
    else:
        killed = f"worker {kill.worker} killed with SIGKILL at {time.strftime('%H:%M:%S', time.localtime(kill.at))}"
        if kill.mail_to:
            kinds = Counter(
                kind
                for (to, kind, _), times in mails_received(smtp).items()
                for _ in range(times)
                if to == kill.mail_to
            )
            delivered = ", ".join(f"{kind} {times}" for kind, times in sorted(kinds.items())) or "nothing"
            killed += f", caught mid-mail to {kill.mail_to} (delivered to that address since: {delivered})"
        killed += "; a new worker started"
    print(
        f"\nJobs (settled {waited:.0f} s after the load; JOB_STALLED_SECONDS={WORKER_SETTINGS['JOB_STALLED_SECONDS']}):"
    )
    print(f"{killed}; workers that started again by themselves after losing the database: {restarts}")
    print(
        f"jobs queued during the run: {jobs['queued']}; succeeded {statuses['succeeded']} "
        f"({jobs['retried_to_success']} of them after a retry); failed {statuses['failed']}; "
        f"retried after a stall: {stalled}; still queued or running: {statuses['todo'] + statuses['doing']}"
    )
    print(
        f"mails sent: {mail['sent']} ({', '.join(f'{kind} {n}' for kind, n in sorted(mail['sent_by_kind'].items()))}; "
        f"owed by the sign-ups and resets answered 2xx: {mail['owed']}); "
        f"duplicates: {len(mail['duplicates'])}; missing: {len(mail['missing'])}"
    )
    problems = []
    if jobs["not_succeeded"]:
        problems.append(f"jobs that did not succeed: {dict(jobs['not_succeeded'])}")
    if mail["duplicates"]:
        problems.append(f"mail delivered more than once: {mail['duplicates'][:5]}")
    if mail["missing"]:
        problems.append(f"{len(mail['missing'])} mails owed never arrived: {mail['missing'][:5]}")
    if kill is None or kill.mail_to is None:
        problems.append("no worker was killed mid-mail: the run proved nothing about a running job")
    elif stalled == 0:
        problems.append("the killed worker's job was never retried as a stalled job")
    return problems
