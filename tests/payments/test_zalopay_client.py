"""The ZaloPay client on its own: ids, MACs, and how it reports a ZaloPay it cannot use."""

import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from payments import zalopay
from payments.zalopay import ZaloPayClient, ZaloPayUnavailable, macs_equal, new_app_trans_id
from tests.payments.conftest import KEY1, KEY2


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2025, 1, 31, 16, 59, tzinfo=UTC), "250131"),  # 23:59 in Hanoi
        (datetime(2025, 1, 31, 17, 0, tzinfo=UTC), "250201"),  # already 1 February in Hanoi
        (datetime(2024, 12, 31, 20, 0, tzinfo=UTC), "250101"),
    ],
)
def test_app_trans_ids_carry_the_vietnam_date(now, day):
    app_trans_id = new_app_trans_id(now=now)
    assert app_trans_id.startswith(f"{day}_")
    assert len(app_trans_id) <= 40  # ZaloPay's limit
    assert new_app_trans_id(now=now) != app_trans_id


def test_create_mac_is_hmac_sha256_of_the_documented_fields_with_key1():
    form = {
        "app_id": 2553,
        "app_trans_id": "250131_x",
        "app_user": "u",
        "amount": 59000,
        "app_time": 1738339200000,
        "embed_data": '{"redirecturl":"https://x"}',
        "item": "[]",
    }
    message = '2553|250131_x|u|59000|1738339200000|{"redirecturl":"https://x"}|[]'
    assert zalopay.create_mac(form, KEY1) == hmac.new(KEY1.encode(), message.encode(), hashlib.sha256).hexdigest()


def test_query_mac_is_hmac_sha256_of_app_id_app_trans_id_and_key1():
    expected = hmac.new(KEY1.encode(), f"2553|250131_x|{KEY1}".encode(), hashlib.sha256).hexdigest()
    assert zalopay.query_mac(app_id=2553, app_trans_id="250131_x", key1=KEY1) == expected


def test_callback_macs_are_checked_with_key2_in_constant_time(settings, monkeypatch):
    settings.ZALOPAY_KEY2 = KEY2
    data = '{"app_trans_id":"250131_x"}'
    good = hmac.new(KEY2.encode(), data.encode(), hashlib.sha256).hexdigest()
    compared = []
    real_compare = hmac.compare_digest
    monkeypatch.setattr(zalopay.hmac, "compare_digest", lambda a, b: compared.append(1) or real_compare(a, b))

    client = ZaloPayClient()
    assert client.callback_mac_is_valid(data=data, mac=good)
    assert client.callback_mac_is_valid(data=data, mac=good.upper())
    assert not client.callback_mac_is_valid(data=data + " ", mac=good)
    assert not client.callback_mac_is_valid(data=data, mac=hmac.new(KEY1.encode(), data.encode(), "sha256").hexdigest())
    assert compared == [1, 1, 1, 1]


@pytest.mark.parametrize("given", ["", "ñ" * 64, "\x00", "a" * 10_000])
def test_mac_comparison_accepts_any_text(given):
    assert macs_equal("ab" * 32, given) is False


def test_settings_are_read_when_the_client_is_made(settings):
    settings.ZALOPAY_ENDPOINT = "http://127.0.0.1:1/"
    settings.ZALOPAY_APP_ID = 42
    config = ZaloPayClient().config
    assert config.endpoint == "http://127.0.0.1:1" and config.app_id == 42


def test_unreachable_zalopay_raises_zalopay_unavailable(zalopay_down):
    with pytest.raises(ZaloPayUnavailable):
        ZaloPayClient().query_order(app_trans_id="250131_x")


@pytest.mark.parametrize("trouble", ["http_502", "slow"])
def test_a_failing_zalopay_raises_zalopay_unavailable(zalopay, settings, trouble):
    if trouble == "http_502":
        zalopay.http_status = 502
    else:
        settings.ZALOPAY_TIMEOUT_SECONDS = 0.2
        zalopay.delay_seconds = 1.0
    with pytest.raises(ZaloPayUnavailable):
        ZaloPayClient().query_order(app_trans_id="250131_x")


def test_a_query_for_an_order_zalopay_does_not_know_is_its_answer(zalopay):
    answer = ZaloPayClient().query_order(app_trans_id="250131_unknown")
    assert answer["return_code"] == 2 and zalopay.rejected == [("/v2/query", "unknown order")]
