"""The job queue's guarantees, with real workers on the test database: a job is queued with the
transaction that causes it, `manage.py worker` runs it, and a worker killed mid-job loses nothing."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob, ProcrastinateWorker
from psycopg import sql

from tests.factories import UserFactory
from tests.worker import wait_until
from users import services

ROOT = Path(__file__).resolve().parents[2]


def test_a_job_deferred_in_a_rolled_back_transaction_never_runs(jobs):
    user = UserFactory(email="rolled.back@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.password_reset_request(login=user.email)
        raise RuntimeError("the change that caused the job failed")
    assert ProcrastinateJob.objects.count() == 0
    jobs.run()
    assert mail.outbox == []

    services.password_reset_request(login=user.email)  # committed: queued, and run
    assert ProcrastinateJob.objects.count() == 1
    jobs.run()
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_a_sign_up_that_fails_queues_no_mail(api_client, jobs):
    UserFactory(email="taken@example.com")
    response = api_client.post("/v1/auth/signup", {"email": "taken@example.com", "password": "Mua-he-2025!"})
    assert response.status_code == 409
    assert ProcrastinateJob.objects.count() == 0


# --- the worker command, in a process of its own -----------------------------------------------


def database_url() -> str:
    """The URL of the test database, for a worker process (pytest-django renamed the database)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{quote(str(db['HOST'] or ''), safe='')}{port}/{db['NAME']}"


def worker_process(settings, smtp_server, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # reset links are checked by this process
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "LOG_FORMAT": "plain",
        "JOB_WORKER_HEARTBEAT_SECONDS": "0.5",
    }
    env.pop("DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_the_worker_command_runs_the_queued_jobs(jobs, smtp_server, settings):
    smtp_server.start()
    user = UserFactory(email="by.command@example.com")
    services.password_reset_request(login=user.email)
    process = worker_process(settings, smtp_server, "--once")
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert len(smtp_server.messages_to(user.email)) == 1
    assert set(ProcrastinateJob.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_worker_stopped_with_sigterm_finishes_its_job_first(jobs, smtp_server, settings):
    smtp_server.delay_seconds = 2.0
    smtp_server.start()
    user = UserFactory(email="graceful@example.com")
    services.password_reset_mail_accounts(login=user.email)
    process = worker_process(settings, smtp_server)
    try:
        wait_until(
            lambda: ProcrastinateJob.objects.filter(task_name__endswith="send_password_reset", status="doing").exists(),
            timeout=60,
            what="the job",
        )
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert len(smtp_server.messages_to(user.email)) == 1
    mail_job = ProcrastinateJob.objects.get(task_name__endswith="send_password_reset")
    assert mail_job.status == "succeeded" and mail_job.attempts == 1  # one run, not retried


def test_a_worker_killed_mid_job_loses_nothing_and_sends_once(jobs, smtp_server, settings):
    smtp_server.recipient_delay_seconds = 60.0  # the worker will be stuck mid-conversation
    smtp_server.start()
    user = UserFactory(email="killed.worker@example.com")
    services.password_reset_mail_accounts(login=user.email)  # the mail job itself
    process = worker_process(settings, smtp_server)
    try:
        wait_until(
            lambda: ProcrastinateJob.objects.filter(task_name__endswith="send_password_reset", status="doing").exists(),
            timeout=60,
            what="the job",
        )
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        process.kill()
        process.communicate()
    # Left running by a dead worker:
    assert ProcrastinateJob.objects.get(task_name__endswith="send_password_reset").status == "doing"

    smtp_server.recipient_delay_seconds = 0.0
    settings.JOB_STALLED_SECONDS = 1.0
    wait_until(
        lambda: ProcrastinateWorker.objects.filter(last_heartbeat__lt=timezone.now() - timedelta(seconds=1)).exists(),
        timeout=10,
        what="the dead worker's heartbeat to age",
    )
    jobs.start(schedule=True)  # another worker, with the schedule that retries stalled jobs
    smtp_server.wait_for_message_to(user.email, timeout=30)
    wait_until(
        lambda: ProcrastinateJob.objects.filter(task_name__endswith="send_password_reset", status="succeeded").exists(),
        timeout=10,
        what="the job",
    )
    assert len(smtp_server.messages_to(user.email)) == 1


def test_a_worker_outlives_a_database_outage(jobs, smtp_server, settings):
    """The database drops the worker's connections and refuses new ones for a while (as a restart
    or a failover does): `manage.py worker` starts its worker again and runs what was queued meanwhile."""
    smtp_server.start()
    process = worker_process(settings, smtp_server)
    database = sql.Identifier(connection.settings_dict["NAME"])
    try:
        wait_until(lambda: ProcrastinateWorker.objects.exists(), timeout=60, what="the worker to start")
        # ALTER DATABASE from a connection to another database; the outage spares this test's own connection.
        with psycopg.connect(**{**connection.get_connection_params(), "dbname": "postgres"}, autocommit=True) as admin:
            admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(database))
            try:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                wait_until(
                    lambda: (
                        not ProcrastinateWorker.objects.filter(
                            last_heartbeat__gt=timezone.now() - timedelta(seconds=2)
                        ).exists()
                    ),
                    timeout=10,
                    what="the worker to lose the database",
                )
            finally:
                admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(database))
        user = UserFactory(email="after.outage@example.com")
        services.password_reset_mail_accounts(login=user.email)
        smtp_server.wait_for_message_to(user.email, timeout=60)
        assert process.poll() is None, "the worker exited"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=60)
    assert "starting it again" in output
    assert len(smtp_server.messages_to(user.email)) == 1
