"""The worker side of the job queue (Procrastinate on the project's PostgreSQL).

Requests and jobs defer through `procrastinate.contrib.django.app`, whose connector is the
Django connection: a job deferred in a transaction is committed or rolled back with it.
A worker needs a connector of its own (a connection pool that can LISTEN); `worker_app()`
builds an app on one that shares the tasks and the schedule of the project's app, so that
the jobs a job defers still go through the Django connection, in that job's transaction.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from procrastinate import App
from procrastinate.contrib.django import DjangoApp, app


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


def close_connections_after(call_next, context, worker):
    """Sync jobs run in a pool of threads, each with its own Django connection: close it after
    every job, so a worker holds no idle database connection per thread between jobs."""
    try:
        return call_next()
    finally:
        connections.close_all()
