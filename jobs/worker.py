"""The worker side of the job queue (Procrastinate on the project's PostgreSQL).

Requests and jobs defer through `procrastinate.contrib.django.app`, whose connector is the
Django connection: a job deferred in a transaction is committed or rolled back with it.
A worker needs a connector of its own (a connection pool that can LISTEN); `worker_app()`
builds an app on one that shares the tasks and the schedule of the project's app, so that
the jobs a job defers still go through the Django connection, in that job's transaction.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from procrastinate import App
from procrastinate.contrib.django import DjangoApp, app

logger = logging.getLogger("hustmusik.jobs")

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Pauses before a worker that stopped by itself is started again: longer while the database
# stays away, back to the first once a worker has run for RESTART_RESET_SECONDS.
RESTART_PAUSES_SECONDS = (1, 2, 4, 8, 15, 30)
RESTART_RESET_SECONDS = 60


def worker_app() -> App:
    """An app for running a worker: the project's tasks and schedule on a worker connection pool."""
    worker = DjangoApp(
        connector=app.connector.get_worker_connector(),
        import_paths=app.import_paths,
        worker_defaults={"task_middleware": [close_connections_after]},
        periodic_defaults=app.periodic_defaults,
    )
    worker.tasks = app.tasks
    worker.periodic_registry = app.periodic_registry
    return worker


def worker_options(**overrides) -> dict:
    """The worker's settings (JOB_WORKER_* in the environment), then what the caller asks for."""
    options = {
        "name": settings.JOB_WORKER_NAME or None,
        "concurrency": settings.JOB_WORKER_CONCURRENCY,
        "shutdown_graceful_timeout": settings.JOB_WORKER_SHUTDOWN_SECONDS,
        "update_heartbeat_interval": settings.JOB_WORKER_HEARTBEAT_SECONDS,
        "stalled_worker_timeout": settings.JOB_STALLED_SECONDS,
    }
    options.update(overrides)
    return {key: value for key, value in options.items() if value is not None}


async def run_worker(app: App, **options) -> None:
    """Run a worker of `app` until it stops (a signal, a cancel, or an empty queue with wait=False)."""
    try:
        async with app.open_async():
            await app.run_worker_async(**options)
    finally:
        # The schedule is deferred through the Django connection of asgiref's thread-sensitive
        # executor; close it with the worker.
        await sync_to_async(connections.close_all, thread_sensitive=True)()


async def run_worker_until_signalled(**options) -> None:
    """`manage.py worker`: the project's worker until SIGINT or SIGTERM, through database outages.

    Procrastinate's worker stops by itself when it loses the database (a restart, a failover:
    its listener or its heartbeat fails). It is started again here, on a new connection pool,
    after a pause that grows while the database stays away; the jobs it was running are
    retried as stalled jobs (`jobs.tasks.retry_stalled_jobs`). The first signal stops the
    worker once its running jobs end; a second one stops it at once. With `wait=False` a
    worker that stops is done: nothing is started again.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    previous_handlers = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}

    def on_signal() -> None:
        for signum, handler in previous_handlers.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)
        stop.set()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, on_signal)
    failures = 0
    while True:
        started_at = loop.time()
        worker = asyncio.create_task(run_worker(worker_app(), **options, install_signal_handlers=False))
        signalled = asyncio.create_task(stop.wait())
        await asyncio.wait({worker, signalled}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            worker.cancel()  # Procrastinate's graceful stop: running jobs end first
            with suppress(asyncio.CancelledError):
                await worker
            return
        signalled.cancel()
        error = worker.exception()
        if not options.get("wait", True):
            if error is not None:
                raise error
            return
        failures = 1 if loop.time() - started_at >= RESTART_RESET_SECONDS else failures + 1
        pause = RESTART_PAUSES_SECONDS[min(failures, len(RESTART_PAUSES_SECONDS)) - 1]
        logger.warning(
            "The job worker stopped by itself (%s); starting it again in %s s",
            f"{type(error).__name__}: {error}".strip() if error else "a connection of its failed, logged above",
            pause,
        )
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=pause)
        if stop.is_set():
            return


def close_connections_after(call_next, context, worker):
    """Sync jobs run in a pool of threads, each with its own Django connection: close it after
    every job, so a worker holds no idle database connection per thread between jobs."""
    try:
        return call_next()
    finally:
        connections.close_all()
