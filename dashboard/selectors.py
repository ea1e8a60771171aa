"""What the staff dashboard shows, read in five queries whatever the amount of data.

Days are dates in TIME_ZONE (the fold stamps plays' days so too); a day without data is a zero.
Plays not yet folded (`Play` rows, under a minute old) count beside the folded ones
(`DailyPlays`), so the figures never lag the fold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from catalog.models import Relation
from hustmusik.caching import cache_key, cached_answer
from payments.models import Order, OrderStatus
from users.models import User

DAYS = 30
TOP_SONGS_DAYS = 7
TOP_SONGS = 10


@dataclass(frozen=True)
class DayValue:
    day: date
    value: int


@dataclass(frozen=True)
class TopSong:
    id: UUID
    title: str
    artist: str
    plays: int


@dataclass(frozen=True)
class TaskJobs:
    task_name: str
    waiting: int
    failed: int

    @property
    def short_name(self) -> str:
        return self.task_name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class JobsSummary:
    waiting: int
    running: int
    failed: int
    by_task: tuple[TaskJobs, ...]  # tasks with jobs waiting or failed, most failed first


@dataclass(frozen=True)
class Dashboard:
    computed_at: datetime
    plays: tuple[DayValue, ...]  # the last DAYS days, oldest first, today last
    new_listeners: tuple[DayValue, ...]  # accounts created
    revenue: tuple[DayValue, ...]  # VND of the orders paid that day
    paid_orders: int
    top_songs: tuple[TopSong, ...]  # the most played of the last TOP_SONGS_DAYS days
    jobs: JobsSummary


def cached_dashboard(request) -> Dashboard:
    """The dashboard as computed within the last RESPONSE_CACHE_SECONDS (a reload asking for
    fresh data, `Cache-Control: max-age=0`, computes it again)."""
    zone = timezone.get_default_timezone()
    today = timezone.localdate(timezone=zone)
    return cached_answer(request, cache_key("admin-dashboard", zone, today), dashboard)


def dashboard(*, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    days = _days(timezone.localdate(now, timezone=zone), DAYS)
    revenue, paid_orders = _revenue_per_day(days)
    return Dashboard(
        computed_at=now,
        plays=_plays_per_day(days),
        new_listeners=_new_accounts_per_day(days),
        revenue=revenue,
        paid_orders=paid_orders,
        top_songs=_top_songs(days[-TOP_SONGS_DAYS:]),
        jobs=_jobs_summary(),
    )


def _days(today: date, count: int) -> list[date]:
    return [today - timedelta(days=back) for back in range(count - 1, -1, -1)]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _series(days: list[date], values: dict[date, int]) -> tuple[DayValue, ...]:
    return tuple(DayValue(day, values.get(day, 0)) for day in days)


def _plays_per_day(days: list[date]) -> tuple[DayValue, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT day, sum(plays) FROM (
                SELECT day, plays FROM catalog_dailyplays WHERE day >= %(first)s
                UNION ALL
                SELECT (played_at AT TIME ZONE %(zone)s)::date, 1 FROM catalog_play WHERE played_at >= %(since)s
            ) AS plays GROUP BY day
            """,
            {"first": days[0], "since": _start_of(days[0]), "zone": str(timezone.get_default_timezone())},
        )
        return _series(days, {day: int(plays) for day, plays in cursor.fetchall()})


def _top_songs(days: list[date]) -> tuple[TopSong, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH week AS (
                SELECT song_id, sum(plays) AS total FROM (
                    SELECT song_id, plays FROM catalog_dailyplays WHERE day >= %(first)s AND song_id IS NOT NULL
                    UNION ALL
                    SELECT song_id, 1 FROM catalog_play WHERE played_at >= %(since)s
                ) AS plays GROUP BY song_id
            ), top AS (
                SELECT song.id, song.title, week.total FROM week JOIN catalog_song AS song ON song.id = week.song_id
                 ORDER BY week.total DESC, song.title, song.id LIMIT %(limit)s
            )
            SELECT top.id, top.title, coalesce(artist.name, ''), top.total
              FROM top
              LEFT JOIN catalog_songartist AS credit ON credit.song_id = top.id AND credit.relation = %(primary)s
              LEFT JOIN catalog_artist AS artist ON artist.id = credit.artist_id
             ORDER BY top.total DESC, top.title, top.id
            """,
            {"first": days[0], "since": _start_of(days[0]), "limit": TOP_SONGS, "primary": Relation.PRIMARY},
        )
        return tuple(TopSong(song_id, title, artist, int(plays)) for song_id, title, artist, plays in cursor.fetchall())


def _new_accounts_per_day(days: list[date]) -> tuple[DayValue, ...]:
    rows = (
        User.objects.filter(created_at__gte=_start_of(days[0]))
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(accounts=Count("id"))
        .order_by()
        .values_list("day", "accounts")
    )
    return _series(days, dict(rows))


def _revenue_per_day(days: list[date]) -> tuple[tuple[DayValue, ...], int]:
    rows = (
        Order.objects.filter(status=OrderStatus.PAID, paid_at__gte=_start_of(days[0]))
        .annotate(day=TruncDate("paid_at", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(amount=Sum("amount"), orders=Count("id"))
        .order_by()
        .values_list("day", "amount", "orders")
    )
    amounts, orders = {}, 0
    for day, amount, count in rows:
        if day in days:
            amounts[day] = int(amount)
            orders += count
    return _series(days, amounts), orders


WAITING, RUNNING, FAILED = "todo", "doing", "failed"


def _jobs_summary() -> JobsSummary:
    rows = (
        ProcrastinateJob.objects.filter(status__in=(WAITING, RUNNING, FAILED))
        .values("task_name", "status")
        .annotate(jobs=Count("id"))
        .order_by()
        .values_list("task_name", "status", "jobs")
    )
    totals = {WAITING: 0, RUNNING: 0, FAILED: 0}
    per_task: dict[str, dict[str, int]] = {}
    for task_name, status, jobs in rows:
        totals[status] += jobs
        if status != RUNNING:
            per_task.setdefault(task_name, {WAITING: 0, FAILED: 0})[status] = jobs
    by_task = sorted(
        (TaskJobs(name, counts[WAITING], counts[FAILED]) for name, counts in per_task.items()),
        key=lambda task: (-task.failed, -task.waiting, task.task_name),
    )
    return JobsSummary(waiting=totals[WAITING], running=totals[RUNNING], failed=totals[FAILED], by_task=tuple(by_task))
