"""The schedule's reconciliation: every minute, orders still pending ORDER_RECONCILE_AFTER_SECONDS
after creation are asked about at ZaloPay's /v2/query, through the same path as a status query."""

from datetime import timedelta

from django.utils import timezone

from payments.models import Order, OrderStatus
from payments.services import orders_reconcile_pending
from tests.factories import UserFactory
from tests.payments.helpers import checkout, deliver
from tests.worker import wait_until


def age(order: Order, seconds: int) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def queried(zalopay, order: Order) -> bool:
    return any(path == "/v2/query" and form["app_trans_id"] == order.app_trans_id for path, form in zalopay.requests)


def test_an_order_paid_without_a_callback_becomes_premium_through_the_schedule(jobs, plans, zalopay):
    buyer = UserFactory()
    order = checkout(buyer)
    late_callback = zalopay.pay(order.app_trans_id)  # paid at ZaloPay; the callback is lost
    age(order, 601)
    failed = checkout(UserFactory())
    zalopay.fail(failed.app_trans_id)
    age(failed, 601)
    recent = checkout(UserFactory())
    zalopay.pay(recent.app_trans_id)  # its callback may still come: not asked about yet

    jobs.start(schedule=True)  # the every-minute jobs are deferred at once by a new worker
    wait_until(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID, timeout=30, what="the order paid")
    buyer.refresh_from_db()
    premium_until = buyer.premium_until
    assert premium_until > timezone.now() + timedelta(days=29)
    wait_until(lambda: Order.objects.get(pk=failed.pk).status == OrderStatus.CANCELLED, timeout=10, what="closed")
    assert Order.objects.get(pk=recent.pk).status == OrderStatus.PENDING and not queried(zalopay, recent)

    # Premium exactly once: another run, or the callback arriving at last, changes nothing more.
    assert orders_reconcile_pending() == 0
    assert deliver(late_callback).json()["return_code"] == 1
    buyer.refresh_from_db()
    assert buyer.premium_until == premium_until


def test_an_order_zalopay_still_reports_unpaid_long_after_creation_is_cancelled(db, plans, zalopay, settings):
    waiting, expired = checkout(UserFactory()), checkout(UserFactory())
    age(waiting, 700)
    age(expired, settings.ORDER_EXPIRE_SECONDS + 1)
    assert orders_reconcile_pending() == 2
    assert Order.objects.get(pk=waiting.pk).status == OrderStatus.PENDING  # still payable at ZaloPay
    assert Order.objects.get(pk=expired.pk).status == OrderStatus.CANCELLED


def test_zalopay_unreachable_leaves_orders_pending_for_the_next_run(db, plans, zalopay, settings):
    order = checkout(UserFactory())
    zalopay.pay(order.app_trans_id)
    age(order, 601)
    settings.ZALOPAY_ENDPOINT = "http://127.0.0.1:9"  # nothing listens there
    assert orders_reconcile_pending() == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
