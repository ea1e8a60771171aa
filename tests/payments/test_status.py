"""POST /v1/order/{app_trans_id}: ZaloPay's /v2/query, and reconciliation of the local order."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from payments.models import Order, OrderStatus
from tests.factories import UserFactory
from tests.helpers import assert_query_count, signed_in_client
from tests.payments.helpers import checkout, deliver
from users.models import Role

pytestmark = pytest.mark.django_db

SUCCESS = {"return_code": 1, "return_message": "success"}


def status_url(order: Order) -> str:
    return f"/v1/order/{order.app_trans_id}"


def test_the_owner_sees_a_pending_order(user, plans, zalopay):
    order = checkout(user)
    response = signed_in_client(user).post(status_url(order))

    assert response.status_code == 200
    body = response.json()
    assert body["return_code"] == 3 and body["is_processing"] is False
    assert body["status"] == "pending" and body["app_trans_id"] == order.app_trans_id and body["flagged"] is False
    path, form = zalopay.requests[-1]
    assert path == "/v2/query" and set(form) == {"app_id", "app_trans_id", "mac"}
    assert zalopay.rejected == []  # the query MAC was right
    order.refresh_from_db()
    assert order.query_payload["return_code"] == 3 and order.queried_at is not None


def test_a_paid_order_whose_callback_never_came_is_settled_once(plans, zalopay):
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=2)
    buyer = UserFactory(premium_until=current_end)
    order = checkout(buyer)
    late_callback = zalopay.pay(order.app_trans_id)  # paid at ZaloPay; the callback is lost for now
    client = signed_in_client(buyer)

    response = client.post(status_url(order))

    assert response.status_code == 200
    assert response.json()["return_code"] == 1 and response.json()["status"] == "paid"
    order.refresh_from_db()
    buyer.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.zp_trans_id == str(zalopay.orders[order.app_trans_id]["zp_trans_id"])
    assert buyer.premium_until == current_end + timedelta(days=30)

    # Asking again, or the callback finally arriving, changes nothing more.
    assert client.post(status_url(order)).json()["status"] == "paid"
    assert deliver(late_callback).json() == SUCCESS
    buyer.refresh_from_db()
    assert buyer.premium_until == current_end + timedelta(days=30)


def test_a_failed_payment_fails_the_pending_order(user, plans, zalopay):
    order = checkout(user)
    zalopay.fail(order.app_trans_id)
    response = signed_in_client(user).post(status_url(order))
    assert response.status_code == 200 and response.json()["return_code"] == 2
    assert response.json()["status"] == "failed"
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED and order.failure_reason
    user.refresh_from_db()
    assert user.premium_until is None


def test_a_paid_query_with_another_amount_flags_the_order(user, plans, zalopay):
    order = checkout(user)
    zalopay.orders[order.app_trans_id]["form"]["amount"] = "1000"  # ZaloPay collected something else
    zalopay.pay(order.app_trans_id)
    response = signed_in_client(user).post(status_url(order))
    assert response.status_code == 200
    assert response.json()["status"] == "pending" and response.json()["flagged"] is True
    order.refresh_from_db()
    user.refresh_from_db()
    assert order.flagged and "amount" in order.flag_reason and order.query_payload["amount"] == 1000
    assert user.premium_until is None


def test_an_order_that_never_reached_zalopay_stays_failed(user, plans, zalopay, settings):
    zalopay.http_status = 503
    response = signed_in_client(user).post("/v1/order/checkout", {"plan": "premium_monthly"})
    assert response.status_code == 502
    order = Order.objects.get()
    zalopay.http_status = 200
    response = signed_in_client(user).post(status_url(order))
    assert response.status_code == 200 and response.json()["return_code"] == 2
    assert response.json()["status"] == "failed"


def test_someone_elses_order_is_404(user, plans, zalopay):
    order = checkout(user)
    response = signed_in_client(UserFactory()).post(status_url(order))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not any(path == "/v2/query" for path, _ in zalopay.requests)


@pytest.mark.parametrize("role", [Role.ARTIST_MANAGER])
def test_other_roles_do_not_see_others_orders(user, plans, zalopay, client_as, role):
    order = checkout(user)
    assert client_as(role).post(status_url(order)).status_code == 404


def test_an_admin_sees_any_order(user, plans, zalopay, client_as):
    order = checkout(user)
    response = client_as(Role.ADMIN).post(status_url(order))
    assert response.status_code == 200 and response.json()["status"] == "pending"


def test_anonymous_is_401(user, plans, zalopay):
    order = checkout(user)
    response = APIClient().post(status_url(order))
    assert response.status_code == 401


@pytest.mark.parametrize("app_trans_id", ["240101_doesnotexist", "not-an-id", "240101_" + "a" * 60])
def test_unknown_orders_are_404(user, zalopay, app_trans_id):
    assert signed_in_client(user).post(f"/v1/order/{app_trans_id}").status_code == 404


def test_get_is_not_the_status_query(user, plans, zalopay):
    order = checkout(user)
    assert signed_in_client(user).get(status_url(order)).status_code == 405


def test_zalopay_unreachable_is_502_and_the_order_is_unchanged(user, plans, zalopay_down):
    order = Order.objects.create(
        user=user,
        app_user=str(user.pk),
        app_trans_id="240101_offline",
        amount=59_000,
        premium_days=30,
        description="x",
    )
    response = signed_in_client(user).post(status_url(order))
    assert response.status_code == 502 and response.json()["code"] == "payment_provider_unavailable"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.query_payload is None


# --- SQL queries ----------------------------------------------------------------------
# In tests the service's transaction.atomic() is a savepoint inside the test's transaction:
# its SAVEPOINT and RELEASE statements are 2 of each total below (BEGIN and COMMIT in production).


def test_status_query_count_for_a_pending_order(user, plans, zalopay):
    order = checkout(user)
    client = signed_in_client(user)
    # user (auth), order (visibility), SAVEPOINT, order FOR UPDATE, UPDATE order, RELEASE
    response = assert_query_count(lambda: client.post(status_url(order)), 6)
    assert response.json()["status"] == "pending"


def test_status_query_count_when_reconciling_a_payment(user, plans, zalopay):
    order = checkout(user)
    zalopay.pay(order.app_trans_id)
    client = signed_in_client(user)
    # the same, plus the one UPDATE extending the buyer's Premium
    response = assert_query_count(lambda: client.post(status_url(order)), 7)
    assert response.json()["status"] == "paid"
    # once paid, asking again costs what a pending order costs
    assert_query_count(lambda: client.post(status_url(order)), 6)


def test_status_query_count_for_an_admin(user, plans, zalopay, client_as):
    order = checkout(user)
    admin = client_as(Role.ADMIN)
    assert_query_count(lambda: admin.post(status_url(order)), 6)
