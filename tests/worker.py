"""A real job worker on the test database, for the tests of jobs.

The worker is the project's (`jobs.worker.worker_app`, the one `manage.py worker` runs), on
its own connection pool to the test database: it sees committed rows only, so tests that
use it run in transactional mode (`transactional_db`).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from django.db import connection
from procrastinate.periodic import PeriodicRegistry

from jobs.worker import run_worker, worker_app, worker_options

JOB_TABLES = "procrastinate_periodic_defers, procrastinate_events, procrastinate_jobs, procrastinate_workers"
# A test worker polls often: waiting on it is what the tests measure least.
TEST_OPTIONS = {
    "install_signal_handlers": False,
    "fetch_job_polling_interval": 0.05,
    "abort_job_polling_interval": 0.5,
    "shutdown_graceful_timeout": 10.0,
}


def wait_until(condition: Callable[[], object], *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll `condition` until it returns something truthy (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def clear_job_tables() -> None:
    """Procrastinate's tables are not Django's (unmanaged): a transactional test's flush leaves them."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {JOB_TABLES} RESTART IDENTITY CASCADE")


def _app(schedule: bool):
    app = worker_app()
    if not schedule:  # the every-minute jobs only run in the tests that are about them
        app.periodic_registry = PeriodicRegistry()
    return app


class Jobs:
    """`run()` works off every job due now and returns; `start()` keeps a worker running in a thread."""

    def __init__(self):
        self._threads: list[tuple[threading.Thread, list]] = []

    def run(self, *, schedule: bool = False, **options) -> None:
        asyncio.run(run_worker(_app(schedule), **worker_options(**TEST_OPTIONS, wait=False, **options)))

    def start(self, *, schedule: bool = False, **options) -> None:
        app = _app(schedule)
        handle: list = []  # [loop, task] once the worker runs
        started = threading.Event()

        async def main():
            handle.extend([asyncio.get_running_loop(), asyncio.current_task()])
            started.set()
            await run_worker(app, **worker_options(**TEST_OPTIONS, **options))

        def target():
            try:
                asyncio.run(main())
            except asyncio.CancelledError:
                pass

        thread = threading.Thread(target=target, name="test-job-worker", daemon=True)
        thread.start()
        assert started.wait(15), "the worker did not start"
        self._threads.append((thread, handle))

    def stop(self) -> None:
        for thread, (loop, task) in self._threads:
            loop.call_soon_threadsafe(task.cancel)
            thread.join(30)
            assert not thread.is_alive(), "the worker did not stop"
        self._threads.clear()
