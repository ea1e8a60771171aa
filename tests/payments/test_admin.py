"""The admin: plans are edited, orders are read and can be checked with ZaloPay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import Order, OrderStatus, Plan
from tests.factories import UserFactory
from tests.payments.helpers import checkout
from users.models import User

pytestmark = pytest.mark.django_db

ORDERS = "/admin/payments/order/"


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="root@example.com", password="S3cret!pass")


@pytest.fixture
def two_orders(plans, zalopay):
    alice, bob = UserFactory(email="alice@example.com"), UserFactory(email="bob@example.com")
    paid, pending = checkout(alice), checkout(bob)
    Order.objects.filter(pk=paid.pk).update(status=OrderStatus.PAID)
    return paid, pending


def test_orders_filter_by_status_and_date(client, superuser, two_orders):
    paid, pending = two_orders
    client.force_login(superuser)

    page = client.get(ORDERS, {"status__exact": "paid"})
    assert page.status_code == 200
    assert paid.app_trans_id.encode() in page.content and pending.app_trans_id.encode() not in page.content

    tomorrow = timezone.localtime(timezone.now() + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    page = client.get(ORDERS, {"created_at__gte": str(tomorrow)})
    assert page.status_code == 200 and paid.app_trans_id.encode() not in page.content
    today = timezone.now().date()
    page = client.get(ORDERS, {"created_at__year": today.year, "created_at__month": today.month})
    assert paid.app_trans_id.encode() in page.content


def test_orders_search_by_email_and_app_trans_id(client, superuser, two_orders):
    paid, pending = two_orders
    client.force_login(superuser)
    page = client.get(ORDERS, {"q": "alice@"})
    assert paid.app_trans_id.encode() in page.content and pending.app_trans_id.encode() not in page.content
    page = client.get(ORDERS, {"q": pending.app_trans_id})
    assert pending.app_trans_id.encode() in page.content and paid.app_trans_id.encode() not in page.content


def test_orders_are_read_only(client, superuser, two_orders):
    paid, _ = two_orders
    client.force_login(superuser)
    page = client.get(f"{ORDERS}{paid.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content and b"/v2/create" in page.content
    assert client.get(f"{ORDERS}add/").status_code == 403
    assert client.post(f"{ORDERS}{paid.pk}/change/", {"status": "failed"}).status_code == 403
    assert client.post(f"{ORDERS}{paid.pk}/delete/", {"post": "yes"}).status_code == 403
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID


def test_query_zalopay_now_settles_a_paid_order(client, superuser, plans, zalopay):
    buyer = UserFactory()
    order = checkout(buyer)
    zalopay.pay(order.app_trans_id)
    client.force_login(superuser)

    response = client.post(ORDERS, {"action": "query_zalopay_now", "_selected_action": [str(order.pk)]}, follow=True)

    assert response.status_code == 200
    assert f"{order.app_trans_id}: paid".encode() in response.content
    order.refresh_from_db()
    buyer.refresh_from_db()
    assert order.status == OrderStatus.PAID and buyer.premium_until is not None


def test_query_zalopay_now_reports_an_unreachable_zalopay(client, superuser, plans, zalopay):
    order = checkout(UserFactory())
    zalopay.http_status = 500
    client.force_login(superuser)
    response = client.post(ORDERS, {"action": "query_zalopay_now", "_selected_action": [str(order.pk)]}, follow=True)
    assert b"could not be reached for 1 order" in response.content
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_plans_are_editable(client, superuser, plans):
    plan = plans["monthly"]
    client.force_login(superuser)
    response = client.post(
        f"/admin/payments/plan/{plan.pk}/change/",
        {"code": plan.code, "name": "Premium tháng", "price": 49_000, "duration_days": 31, "active": "on"},
    )
    assert response.status_code == 302, response.content[:2000]
    plan.refresh_from_db()
    assert (plan.name, plan.price, plan.duration_days) == ("Premium tháng", 49_000, 31)


def test_a_sold_plans_code_is_fixed_and_it_cannot_be_deleted(client, superuser, plans, zalopay):
    checkout(UserFactory())
    plan = plans["monthly"]
    client.force_login(superuser)
    page = client.get(f"/admin/payments/plan/{plan.pk}/change/")
    assert page.status_code == 200 and b'name="code"' not in page.content
    assert client.post(f"/admin/payments/plan/{plan.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()
