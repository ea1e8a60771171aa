"""`manage.py worker`: one job worker; stops on Ctrl-C or SIGTERM once its running jobs end, and
starts again by itself after a database outage."""

import asyncio

from django.core.management.base import BaseCommand

from jobs.worker import run_worker_until_signalled, worker_options


class Command(BaseCommand):
    help = "Run a job worker (Procrastinate) on the project's database until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", "-q", action="append", dest="queues", help="only this queue (repeatable); every queue by default"
        )
        parser.add_argument("--concurrency", type=int, help="jobs run at once (JOB_WORKER_CONCURRENCY)")
        parser.add_argument("--name", help="the worker's name in the logs (JOB_WORKER_NAME)")
        parser.add_argument(
            "--once", action="store_true", help="run the jobs due now, then exit instead of waiting for more"
        )

    def handle(self, *args, queues=None, concurrency=None, name=None, once=False, **options):
        options = worker_options(queues=queues, concurrency=concurrency, name=name, wait=not once)
        asyncio.run(run_worker_until_signalled(**options))
