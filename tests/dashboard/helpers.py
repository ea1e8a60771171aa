"""Data for the dashboard's tests, stamped at the times a test needs."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from catalog.models import Play
from catalog.services import plays_fold
from payments.models import Order, OrderStatus
from tests.factories import UserFactory

_orders = itertools.count(1)


def local_day(days_ago: int = 0) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def at_noon(days_ago: int) -> datetime:
    """Noon of a day in TIME_ZONE, `days_ago` before today."""
    return datetime.combine(local_day(days_ago), time(12), tzinfo=timezone.get_default_timezone())


def plays(song, *, days_ago: int, count: int, fold: bool = True) -> None:
    """`count` plays of `song` that day; folded into views and daily plays unless `fold=False`."""
    Play.objects.bulk_create([Play(song=song, played_at=at_noon(days_ago)) for _ in range(count)])
    if fold:
        plays_fold()


def accounts(*, days_ago: int, count: int) -> None:
    for _ in range(count):
        UserFactory(created_at=at_noon(days_ago))


def order(*, amount: int, status: str = OrderStatus.PAID, paid_days_ago: int | None = 1) -> Order:
    number = next(_orders)
    paid_at = at_noon(paid_days_ago) if status == OrderStatus.PAID else None
    return Order.objects.create(
        user=UserFactory(created_at=at_noon(40)),
        app_user=f"buyer{number}",
        app_trans_id=f"{local_day():%y%m%d}_dash{number}",
        amount=amount,
        premium_days=30,
        description="Hust Musik Premium",
        status=status,
        paid_at=paid_at,
    )
