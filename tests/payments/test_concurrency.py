"""Duplicate callbacks arriving at the same time, on separate database connections."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from payments.models import Order, OrderStatus
from tests.factories import UserFactory
from tests.payments.helpers import checkout, deliver

pytestmark = pytest.mark.django_db(transaction=True)

SUCCESS = {"return_code": 1, "return_message": "success"}


def post_in_threads(bodies: list[dict], *, while_locked: Order | None = None) -> list:
    """Deliver each body from its own thread (own DB connection), all released together.

    With `while_locked`, the order's row is held locked until every thread has had time to
    reach the lock, so the deliveries really do queue on it rather than run one after another.
    """
    start = threading.Barrier(len(bodies) + 1)
    answers: list = []

    def run(body):
        try:
            start.wait(timeout=10)
            response = deliver(body)
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    if while_locked is not None:
        with transaction.atomic():
            Order.objects.select_for_update().get(pk=while_locked.pk)
            start.wait(timeout=10)
            time.sleep(0.5)
    else:
        start.wait(timeout=10)
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return answers


def test_concurrent_duplicate_callbacks_extend_premium_once(plans, zalopay):
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=7)
    buyer = UserFactory(premium_until=current_end)
    order = checkout(buyer)
    body = zalopay.pay(order.app_trans_id)

    answers = post_in_threads([body, body, body], while_locked=order)

    assert answers == [(200, SUCCESS)] * 3
    order.refresh_from_db()
    buyer.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert buyer.premium_until == current_end + timedelta(days=30)


def test_concurrent_callbacks_of_two_orders_both_count(plans, zalopay):
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=7)
    buyer = UserFactory(premium_until=current_end)
    monthly, yearly = checkout(buyer, "premium_monthly"), checkout(buyer, "premium_yearly")

    answers = post_in_threads([zalopay.pay(monthly.app_trans_id), zalopay.pay(yearly.app_trans_id)])

    assert answers == [(200, SUCCESS)] * 2
    buyer.refresh_from_db()
    assert buyer.premium_until == current_end + timedelta(days=30 + 365)
