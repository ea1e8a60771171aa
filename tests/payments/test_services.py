"""The payment rules, called directly: `order_apply_callback` decides alone whether a callback pays an
order (the HTTP view only hands it the body), so its rules are pinned here without HTTP in between.

Callbacks are signed here with key2 as ZaloPay signs them (`fake_zalopay.sign`, not the app's code);
no network is involved: a callback is checked against the keys and the order alone.
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from payments.models import Order, OrderStatus
from payments.services import (
    CALLBACK_BAD_MAC,
    CALLBACK_FLAGGED,
    CALLBACK_INVALID,
    CALLBACK_SUCCESS,
    CALLBACK_UNKNOWN_ORDER,
    order_apply_callback,
)
from payments.zalopay import new_app_trans_id
from tests.factories import UserFactory
from tests.payments.conftest import APP_ID, KEY1, KEY2
from tests.payments.fake_zalopay import sign

pytestmark = pytest.mark.django_db

PRICE, DAYS = 59_000, 30


@pytest.fixture(autouse=True)
def _merchant_keys(settings):
    """The app's ZaloPay app id and keys: the callback service reads them from the settings."""
    settings.ZALOPAY_APP_ID, settings.ZALOPAY_KEY1, settings.ZALOPAY_KEY2 = APP_ID, KEY1, KEY2


def pending_order(buyer, **fields) -> Order:
    return Order.objects.create(
        user=buyer,
        app_user=str(buyer.pk) if buyer else "a-deleted-account",
        app_trans_id=new_app_trans_id(),
        amount=PRICE,
        premium_days=DAYS,
        description="Hust Musik - Premium",
        **fields,
    )


def callback_data(order: Order, **overrides) -> str:
    """The `data` text of ZaloPay's callback for `order` once paid; overrides change (or, as None, drop) fields."""
    data = {
        "app_id": APP_ID,
        "app_trans_id": order.app_trans_id,
        "app_user": order.app_user,
        "amount": order.amount,
        "zp_trans_id": 250101000000123,
        "server_time": 1735689600000,
        **overrides,
    }
    return json.dumps({name: value for name, value in data.items() if value is not None}, separators=(",", ":"))


def deliver(data: str, mac: str | None = None) -> dict:
    return order_apply_callback(data=data, mac=sign(KEY2, data) if mac is None else mac)


def settled(order: Order) -> tuple:
    order.refresh_from_db()
    return order.status, order.flagged, order.paid_at, order.zp_trans_id, order.callback_payload, order.updated_at


# --- paid once ------------------------------------------------------------------------------


def test_a_good_callback_pays_the_order_and_extends_premium_from_its_current_end():
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=10)
    buyer = UserFactory(premium_until=current_end)
    order = pending_order(buyer)
    data = callback_data(order)
    mac = sign(KEY2, data)

    assert order_apply_callback(data=data, mac=mac) == CALLBACK_SUCCESS

    order.refresh_from_db()
    buyer.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None and not order.flagged
    assert order.zp_trans_id == "250101000000123"
    assert order.callback_payload["data"] == data and order.callback_payload["mac"] == mac
    assert buyer.premium_until == current_end + timedelta(days=DAYS)


def test_a_replayed_or_repeated_callback_changes_nothing_more():
    current_end = timezone.now().replace(microsecond=0) + timedelta(days=1)
    buyer = UserFactory(premium_until=current_end)
    order = pending_order(buyer)
    data = callback_data(order)
    assert deliver(data) == CALLBACK_SUCCESS
    after_first = settled(order)

    # The same callback again, and ZaloPay's retry of it (another server_time, signed anew).
    for repeat in (data, data, callback_data(order, server_time=1735689660000)):
        assert deliver(repeat) == CALLBACK_SUCCESS

    buyer.refresh_from_db()
    assert settled(order) == after_first
    assert buyer.premium_until == current_end + timedelta(days=DAYS)  # extended once


@pytest.mark.parametrize("status", [OrderStatus.FAILED, OrderStatus.CANCELLED])
def test_a_payment_counts_even_for_an_order_closed_here(status):
    # Closed here (ZaloPay's answer to /v2/create was lost, or it looked expired), yet the buyer paid.
    buyer = UserFactory()
    order = pending_order(buyer, status=status)
    assert deliver(callback_data(order)) == CALLBACK_SUCCESS
    order.refresh_from_db()
    buyer.refresh_from_db()
    assert order.status == OrderStatus.PAID and buyer.premium_until is not None


def test_the_order_of_a_deleted_account_is_paid_for_the_books():
    order = pending_order(None)
    assert deliver(callback_data(order)) == CALLBACK_SUCCESS
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.user_id is None


def flip_last_digit(mac: str) -> str:
    return mac[:-1] + ("0" if mac[-1] != "0" else "1")


# --- refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda data: sign(KEY1, data), id="signed-with-key1"),
        pytest.param(lambda data: sign("guessed-key", data), id="signed-with-a-guessed-key"),
        pytest.param(lambda data: flip_last_digit(sign(KEY2, data)), id="one-digit-changed"),
        pytest.param(lambda data: sign(KEY2, data.replace("59000", "1000")), id="mac-of-other-data"),
        pytest.param(lambda data: "", id="empty"),
        pytest.param(lambda data: "ñ" * 64, id="not-hex"),
    ],
)
def test_a_bad_mac_changes_nothing(forge):
    buyer = UserFactory()
    order = pending_order(buyer)
    before = settled(order)
    data = callback_data(order)
    mac = forge(data)
    assert mac != sign(KEY2, data)

    assert order_apply_callback(data=data, mac=mac) == CALLBACK_BAD_MAC

    buyer.refresh_from_db()
    assert settled(order) == before and buyer.premium_until is None


def test_a_well_signed_callback_for_an_unknown_order_changes_nothing():
    buyer = UserFactory()
    order = pending_order(buyer)
    before = settled(order)
    stranger = Order(app_trans_id=new_app_trans_id(), app_user=order.app_user, amount=PRICE)

    assert deliver(callback_data(stranger)) == CALLBACK_UNKNOWN_ORDER

    buyer.refresh_from_db()
    assert settled(order) == before and buyer.premium_until is None
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        "[1, 2]",
        '"a string"',
        '{"amount": 59000}',
        '{"app_trans_id": 12}',
        '{"app_trans_id": ""}',
        '{"app_trans_id": "' + "9" * 41 + '"}',
    ],
)
def test_a_well_signed_callback_without_a_readable_order_id_is_invalid(data):
    assert deliver(data) == CALLBACK_INVALID


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"amount": 1_000}, "amount"),
        ({"amount": PRICE + 1}, "amount"),
        ({"amount": str(PRICE)}, "amount"),  # the right number, as text
        ({"amount": float(PRICE)}, "amount"),
        ({"amount": None}, "amount"),  # missing
        ({"app_id": APP_ID + 1}, "app_id"),
        ({"app_user": "someone-else"}, "app_user"),
        ({"app_id": None}, "app_id"),  # ZaloPay's callbacks always name the app and the buyer
        ({"app_user": None}, "app_user"),
    ],
    ids=["less", "one-more", "text", "float", "missing", "another-app", "another-buyer", "no-app", "no-buyer"],
)
def test_a_well_signed_callback_disagreeing_with_the_order_flags_it_unpaid(overrides, named):
    buyer = UserFactory()
    order = pending_order(buyer)
    data = callback_data(order, **overrides)

    assert deliver(data) == CALLBACK_FLAGGED

    order.refresh_from_db()
    buyer.refresh_from_db()
    assert order.flagged and named in order.flag_reason
    assert order.status == OrderStatus.PENDING and order.paid_at is None and buyer.premium_until is None
    assert order.callback_payload["data"] == data  # kept for the person who reviews it


def test_a_flagged_order_waits_for_a_person_even_when_a_matching_callback_comes():
    buyer = UserFactory()
    order = pending_order(buyer)
    assert deliver(callback_data(order, amount=1_000)) == CALLBACK_FLAGGED
    flagged = settled(order)

    assert deliver(callback_data(order)) == CALLBACK_FLAGGED

    buyer.refresh_from_db()
    assert settled(order) == flagged and buyer.premium_until is None
