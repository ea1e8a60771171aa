"""What the schedule looks like, for the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Max
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob, ProcrastinatePeriodicDefer


@dataclass(frozen=True)
class ScheduleRow:
    task_name: str
    description: str
    cron: str
    queue: str
    last_deferred: datetime | None
    last_status: str | None
    next_run: datetime


def schedule(now: datetime) -> list[ScheduleRow]:
    last = dict(
        ProcrastinatePeriodicDefer.objects.values("task_name")
        .annotate(at=Max("defer_timestamp"))
        .values_list("task_name", "at")
    )
    rows = []
    for periodic in app.periodic_registry.periodic_tasks.values():
        name = periodic.task.name
        latest_job = ProcrastinateJob.objects.filter(task_name=name).order_by("-id").values_list("status", flat=True)
        rows.append(
            ScheduleRow(
                task_name=name,
                description=(periodic.task.func.__doc__ or "").strip(),
                cron=periodic.cron,
                queue=periodic.task.queue,
                last_deferred=datetime.fromtimestamp(last[name], tz=UTC) if last.get(name) else None,
                last_status=latest_job.first(),
                next_run=datetime.fromtimestamp(periodic.croniter.get_next(float, now.timestamp()), tz=UTC),
            )
        )
    return sorted(rows, key=lambda row: row.task_name)
