"""POST /v1/order/checkout against a fake ZaloPay on loopback."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from payments.models import Order, OrderStatus
from tests.factories import UserFactory
from tests.helpers import signed_in_client
from tests.payments.conftest import APP_ID

pytestmark = pytest.mark.django_db

CHECKOUT = "/v1/order/checkout"


def vietnam_day() -> str:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%y%m%d")


def test_checkout_by_plan_opens_a_zalopay_order_for_the_caller(user, plans, zalopay):
    day_before = vietnam_day()
    response = signed_in_client(user).post(CHECKOUT, {"plan": "premium_monthly"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert "data" not in body  # ZaloPay's answer, not wrapped
    assert body["return_code"] == 1 and body["return_message"]
    assert body["order_url"].startswith("https://") and body["zp_trans_token"]
    assert body["amount"] == 59_000 and body["status"] == "pending"
    day, _, unique = body["app_trans_id"].partition("_")
    assert day in {day_before, vietnam_day()} and len(unique) >= 8

    order = Order.objects.get(app_trans_id=body["app_trans_id"])
    assert order.user == user and order.status == OrderStatus.PENDING
    assert order.amount == 59_000 and order.premium_days == 30
    assert order.order_url == body["order_url"] and order.zp_trans_token == body["zp_trans_token"]
    assert order.create_payload["return_code"] == 1
    assert [(i.plan_code, i.unit_price, i.quantity) for i in order.items.all()] == [("premium_monthly", 59_000, 1)]

    # What ZaloPay received: signed with key1 (the fake checked it), for this user, at the server's price.
    assert zalopay.rejected == []
    path, form = zalopay.requests[-1]
    assert path == "/v2/create"
    assert form["app_id"] == str(APP_ID) and form["app_user"] == str(user.pk) and form["amount"] == "59000"
    assert form["bank_code"] == "" and form["callback_url"].endswith("/v1/order/checkout/callback")
    assert json.loads(form["embed_data"])["redirecturl"]
    assert json.loads(form["item"]) == [
        {"itemid": "premium_monthly", "itemname": "premium_monthly", "itemprice": 59_000, "itemquantity": 1}
    ]
    assert 0 < int(form["app_time"]) and len(form["app_time"]) == 13  # milliseconds


def test_checkout_by_items_computes_the_amount_from_server_prices(user, plans, zalopay):
    items = [
        {"itemname": "premium_monthly", "itemprice": 59_000, "itemquantity": 2},
        {"itemname": "premium_yearly", "itemprice": 590_000, "itemquantity": 1},
    ]
    response = signed_in_client(user).post(CHECKOUT, {"items": items}, format="json")

    assert response.status_code == 200, response.json()
    order = Order.objects.get(app_trans_id=response.json()["app_trans_id"])
    assert order.amount == 2 * 59_000 + 590_000 == response.json()["amount"]
    assert order.premium_days == 2 * 30 + 365
    assert zalopay.requests[-1][1]["amount"] == str(order.amount)


def test_items_without_prices_are_priced_by_the_server(user, plans, zalopay):
    response = signed_in_client(user).post(CHECKOUT, {"items": [{"itemname": "premium_yearly"}]}, format="json")
    assert response.status_code == 200
    assert response.json()["amount"] == 590_000


def test_multipart_checkout_takes_items_as_json_text(user, plans, zalopay):
    items = json.dumps([{"itemname": "premium_monthly", "itemprice": 59_000, "itemquantity": 3}])
    response = signed_in_client(user).post(CHECKOUT, {"items": items}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["amount"] == 3 * 59_000


def test_a_client_price_that_differs_is_refused_and_nothing_is_ordered(user, plans, zalopay):
    response = signed_in_client(user).post(
        CHECKOUT, {"items": [{"itemname": "premium_yearly", "itemprice": 1_000, "itemquantity": 1}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "price_mismatch"
    assert "590000" in response.json()["error"]
    assert not Order.objects.exists() and zalopay.requests == []


@pytest.mark.parametrize(
    "body",
    [
        {"plan": "premium_lifetime"},
        {"items": [{"itemname": "premium_monthly", "itemprice": 59_000}, {"itemname": "nope", "itemprice": 1}]},
    ],
)
def test_an_unknown_plan_is_refused(user, plans, zalopay, body):
    response = signed_in_client(user).post(CHECKOUT, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_plan"
    assert not Order.objects.exists() and zalopay.requests == []


def test_a_retired_plan_is_not_for_sale(user, plans, zalopay):
    plans["yearly"].active = False
    plans["yearly"].save()
    response = signed_in_client(user).post(CHECKOUT, {"plan": "premium_yearly"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_plan"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"plan": "premium_monthly", "items": [{"itemname": "premium_monthly"}]}, "non_field_errors"),
        ({"items": []}, "items"),
        ({"items": [{"itemprice": 59_000}]}, "items.0.itemname"),
        ({"items": [{"itemname": "premium_monthly", "itemquantity": 0}]}, "items.0.itemquantity"),
        ({"items": [{"itemname": "premium_monthly", "itemquantity": 1000}]}, "items.0.itemquantity"),
        ({"items": [{"itemname": "premium_monthly", "itemprice": "free"}]}, "items.0.itemprice"),
        ({"items": "not json"}, "items"),
    ],
)
def test_invalid_bodies_answer_400_with_fields(user, plans, zalopay, body, field):
    response = signed_in_client(user).post(CHECKOUT, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["fields"]
    assert not Order.objects.exists()


def test_the_same_plan_twice_is_refused(user, plans, zalopay):
    items = [{"itemname": "premium_monthly"}, {"itemname": "premium_monthly"}]
    response = signed_in_client(user).post(CHECKOUT, {"items": items}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "duplicate_item"


def test_a_userid_in_the_body_is_ignored(user, plans, zalopay):
    someone_else = UserFactory()
    response = signed_in_client(user).post(
        CHECKOUT,
        {
            "plan": "premium_monthly",
            "userid": str(someone_else.pk),
            "user": str(someone_else.pk),
            "app_user": str(someone_else.pk),
            "amount": 1,
        },
        format="json",
    )
    assert response.status_code == 200
    order = Order.objects.get()
    assert order.user == user and order.app_user == str(user.pk) and order.amount == 59_000
    assert zalopay.requests[-1][1]["app_user"] == str(user.pk)
    assert not someone_else.orders.exists()


def test_anonymous_checkout_is_401(plans, zalopay):
    response = APIClient().post(CHECKOUT, {"plan": "premium_monthly"}, format="json")
    assert response.status_code == 401
    assert set(response.json()) >= {"error", "code"}
    assert not Order.objects.exists() and zalopay.requests == []


def test_zalopay_unreachable_is_502_and_the_order_is_kept_as_failed(user, plans, zalopay_down):
    response = signed_in_client(user).post(CHECKOUT, {"plan": "premium_monthly"})
    assert response.status_code == 502
    assert response.json()["code"] == "payment_provider_unavailable"
    order = Order.objects.get()
    assert order.user == user and order.status == OrderStatus.FAILED and order.amount == 59_000
    assert order.failure_reason and order.create_request["app_trans_id"] == order.app_trans_id


@pytest.mark.parametrize("trouble", ["http_500", "timeout"])
def test_zalopay_failing_is_502_and_the_order_is_kept_as_failed(user, plans, zalopay, settings, trouble):
    if trouble == "http_500":
        zalopay.http_status = 500
    else:
        settings.ZALOPAY_TIMEOUT_SECONDS = 0.2
        zalopay.delay_seconds = 1.0
    response = signed_in_client(user).post(CHECKOUT, {"plan": "premium_monthly"})
    assert response.status_code == 502
    assert response.json()["code"] == "payment_provider_unavailable"
    assert Order.objects.get().status == OrderStatus.FAILED


def test_a_zalopay_refusal_is_answered_as_is_and_fails_the_order(user, plans, zalopay, settings):
    settings.ZALOPAY_KEY1 = "not-the-key-zalopay-knows"  # ZaloPay refuses the MAC
    response = signed_in_client(user).post(CHECKOUT, {"plan": "premium_monthly"})
    assert response.status_code == 200
    body = response.json()
    assert body["return_code"] == 2 and body["sub_return_code"] == -402
    assert body["status"] == "failed" and body["app_trans_id"]
    order = Order.objects.get()
    assert order.status == OrderStatus.FAILED and order.failure_reason.startswith("ZaloPay return_code 2")
    assert zalopay.rejected == [("/v2/create", "mac")]


def test_every_order_has_its_own_app_trans_id(user, plans, zalopay):
    client = signed_in_client(user)
    ids = {client.post(CHECKOUT, {"plan": "premium_monthly"}).json()["app_trans_id"] for _ in range(3)}
    assert len(ids) == 3 and Order.objects.count() == 3


def test_checkouts_are_rate_limited_per_account(plans, zalopay, monkeypatch):
    from payments.views import PerBuyerThrottle

    monkeypatch.setattr(PerBuyerThrottle, "rate", "2/min", raising=False)
    buyer, other = signed_in_client(UserFactory()), signed_in_client(UserFactory())
    assert [buyer.post(CHECKOUT, {"plan": "premium_monthly"}).status_code for _ in range(2)] == [200, 200]
    limited = buyer.post(CHECKOUT, {"plan": "premium_monthly"})
    assert limited.status_code == 429 and limited.json()["code"] == "throttled" and limited["Retry-After"]
    assert other.post(CHECKOUT, {"plan": "premium_monthly"}).status_code == 200
    assert Order.objects.count() == 3
