"""POST /v1/order/checkout/callback: ZaloPay's signed callbacks, built by the fake ZaloPay."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from payments.models import OrderStatus
from tests.factories import UserFactory
from tests.helpers import signed_in_client
from tests.payments.conftest import CALLBACK, KEY1, KEY2
from tests.payments.fake_zalopay import sign
from tests.payments.helpers import checkout, deliver

pytestmark = pytest.mark.django_db

SUCCESS = {"return_code": 1, "return_message": "success"}
BAD_MAC = {"return_code": -1, "return_message": "mac not equal"}


def test_a_good_callback_pays_the_order_and_starts_premium_now(user, plans, zalopay):
    order = checkout(user)
    body = zalopay.pay(order.app_trans_id)
    before = timezone.now()

    response = deliver(body)

    assert response.status_code == 200 and response.json() == SUCCESS
    order.refresh_from_db()
    user.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None and not order.flagged
    assert order.zp_trans_id == str(json.loads(body["data"])["zp_trans_id"])
    assert order.callback_payload["data"] == body["data"] and order.callback_payload["mac"] == body["mac"]
    assert before + timedelta(days=30) <= user.premium_until <= timezone.now() + timedelta(days=30)

    me = signed_in_client(user).get("/v1/user/me").json()["data"]
    assert me["is_premium"] is True and me["premium_until"]


def test_premium_is_extended_from_the_current_end_when_it_is_later(plans, zalopay):
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=10)
    buyer = UserFactory(premium_until=current_end)
    order = checkout(buyer, "premium_yearly")

    assert deliver(zalopay.pay(order.app_trans_id)).json() == SUCCESS

    buyer.refresh_from_db()
    assert buyer.premium_until == current_end + timedelta(days=365)


def test_expired_premium_restarts_from_now(plans, zalopay):
    buyer = UserFactory(premium_until=timezone.now() - timedelta(days=5))
    order = checkout(buyer)
    before = timezone.now()

    assert deliver(zalopay.pay(order.app_trans_id)).json() == SUCCESS

    buyer.refresh_from_db()
    assert before + timedelta(days=30) <= buyer.premium_until <= timezone.now() + timedelta(days=30)


def test_items_give_their_days_times_their_quantity(plans, zalopay):
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=3)
    buyer = UserFactory(premium_until=current_end)
    items = [
        {"itemname": "premium_monthly", "itemprice": 59_000, "itemquantity": 2},
        {"itemname": "premium_yearly", "itemprice": 590_000, "itemquantity": 1},
    ]
    response = signed_in_client(buyer).post("/v1/order/checkout", {"items": items}, format="json")

    assert deliver(zalopay.pay(response.json()["app_trans_id"])).json() == SUCCESS

    buyer.refresh_from_db()
    assert buyer.premium_until == current_end + timedelta(days=2 * 30 + 365)


@pytest.mark.parametrize("forge", ["flipped", "signed_with_key1", "empty", "uppercase_garbage", "not_ascii"])
def test_a_bad_mac_changes_nothing(user, plans, zalopay, forge):
    order = checkout(user)
    body = zalopay.pay(order.app_trans_id)
    body["mac"] = {
        "flipped": body["mac"][:-1] + ("0" if body["mac"][-1] != "0" else "1"),
        "signed_with_key1": sign(KEY1, body["data"]),
        "empty": "",
        "uppercase_garbage": "DEADBEEF" * 8,
        "not_ascii": "ñ" * 64,
    }[forge]
    updated_at = order.updated_at

    response = deliver(body)

    assert response.status_code == 200 and response.json() == BAD_MAC
    order.refresh_from_db()
    user.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.callback_payload is None
    assert order.updated_at == updated_at and user.premium_until is None


def test_a_forged_amount_under_a_bad_mac_changes_nothing(user, plans, zalopay):
    order = checkout(user)
    zalopay.pay(order.app_trans_id)
    forged = zalopay.callback_body(order.app_trans_id, key2="guessed-key", amount=1)
    assert deliver(forged).json() == BAD_MAC
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not order.flagged


def test_a_replayed_callback_changes_nothing_more(plans, zalopay):
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=1)
    buyer = UserFactory(premium_until=current_end)
    order = checkout(buyer)
    body = zalopay.pay(order.app_trans_id)
    assert deliver(body).json() == SUCCESS
    order.refresh_from_db()
    settled = (order.status, order.paid_at, order.updated_at, order.callback_payload)

    for _ in range(3):
        response = deliver(body)
        assert response.status_code == 200 and response.json() == SUCCESS

    order.refresh_from_db()
    buyer.refresh_from_db()
    assert (order.status, order.paid_at, order.updated_at, order.callback_payload) == settled
    assert buyer.premium_until == current_end + timedelta(days=30)


def test_a_callback_with_another_amount_flags_the_order_without_paying(user, plans, zalopay):
    order = checkout(user)
    body = zalopay.pay(order.app_trans_id, amount=1_000)

    response = deliver(body)

    assert response.status_code == 200 and response.json()["return_code"] == -1
    order.refresh_from_db()
    user.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.flagged and order.paid_at is None
    assert "amount" in order.flag_reason
    assert order.callback_payload["data"] == body["data"]  # kept for audit
    assert user.premium_until is None

    # A flagged order waits for a person: even a matching callback does not pay it.
    assert deliver(zalopay.callback_body(order.app_trans_id)).json()["return_code"] == -1
    order.refresh_from_db()
    user.refresh_from_db()
    assert order.status == OrderStatus.PENDING and user.premium_until is None


@pytest.mark.parametrize("field", ["app_user", "app_id"])
def test_a_callback_for_another_user_or_app_flags_the_order(user, plans, zalopay, field):
    order = checkout(user)
    other = {"app_user": str(UserFactory().pk), "app_id": 1}[field]
    response = deliver(zalopay.pay(order.app_trans_id, **{field: other}))
    assert response.json()["return_code"] == -1
    order.refresh_from_db()
    assert order.flagged and field in order.flag_reason and order.status == OrderStatus.PENDING


def signed(text: str) -> dict:
    return {"data": text, "mac": sign(KEY2, text)}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('"data"', "application/json"),
        ("", "application/json"),
        (json.dumps({"data": "x"}), "application/json"),
        (json.dumps({"mac": "ab"}), "application/json"),
        (json.dumps({"data": {"app_trans_id": "x"}, "mac": "ab"}), "application/json"),
        (json.dumps({"data": 12, "mac": 12}), "application/json"),
        (json.dumps(signed("not json")), "application/json"),
        (json.dumps(signed("[1, 2]")), "application/json"),
        (json.dumps(signed('{"amount": 59000}')), "application/json"),
        (json.dumps(signed('{"app_trans_id": 12}')), "application/json"),
        (json.dumps(signed('{"app_trans_id": "' + "9" * 500 + '"}')), "application/json"),
        (json.dumps(signed('{"app_trans_id": "240101_unknown", "amount": 59000}')), "application/json"),
        ("\xff\xfe garbage", "application/octet-stream"),
        ("<xml/>", "application/xml"),
    ],
)
def test_garbage_never_500s_and_answers_zalopay_style(zalopay, body, content_type):
    response = APIClient().generic("POST", CALLBACK, body.encode("latin-1"), content_type=content_type)
    assert response.status_code == 200
    answer = response.json()
    assert answer["return_code"] in (-1, 0) and answer["return_message"]


def test_unknown_order_with_a_good_mac_is_refused(zalopay):
    text = json.dumps({"app_id": 9999, "app_trans_id": "240101_unknown", "amount": 59000})
    assert deliver(signed(text)).json() == {"return_code": -1, "return_message": "order not found"}


@pytest.mark.parametrize("how", ["text_plain", "form", "bad_credentials", "html_accept"])
def test_callbacks_need_no_credentials_and_take_any_reasonable_body(user, plans, zalopay, how):
    order = checkout(user)
    body = zalopay.pay(order.app_trans_id)
    client = APIClient()
    if how == "text_plain":
        response = client.generic("POST", CALLBACK, json.dumps(body), content_type="text/plain")
    elif how == "form":
        response = client.post(CALLBACK, body, format="multipart")
    elif how == "bad_credentials":
        response = client.post(CALLBACK, body, format="json", HTTP_AUTHORIZATION="Bearer forged.token.here")
    else:
        response = client.post(CALLBACK, body, format="json", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response.json() == SUCCESS
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_callbacks_are_not_rate_limited(zalopay):
    for _ in range(40):
        response = deliver({"data": "{}", "mac": "00"})
        assert response.status_code == 200 and response.json() == BAD_MAC


def test_a_csrf_checking_client_can_still_post_callbacks(user, plans, zalopay):
    order = checkout(user)
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(CALLBACK, zalopay.pay(order.app_trans_id), format="json")
    assert response.status_code == 200 and response.json() == SUCCESS


def test_a_payment_for_an_order_whose_create_seemed_to_fail_still_counts(user, plans, zalopay):
    # ZaloPay created the order but its answer was lost (timeout): the buyer paid all the same.
    order = checkout(user)
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.FAILED, failure_reason="timeout")
    assert deliver(zalopay.pay(order.app_trans_id)).json() == SUCCESS
    order.refresh_from_db()
    user.refresh_from_db()
    assert order.status == OrderStatus.PAID and user.premium_until is not None
