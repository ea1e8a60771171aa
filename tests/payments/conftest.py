import socket

import pytest

from payments.models import Plan
from tests.payments.fake_zalopay import FakeZaloPay

APP_ID = 9999
KEY1 = "test-key1-9f8e7d6c5b4a"
KEY2 = "test-key2-0a1b2c3d4e5f"
CALLBACK = "/v1/order/checkout/callback"


@pytest.fixture
def zalopay(settings):
    """A fake ZaloPay on loopback, with the app pointed at it (own app id and keys)."""
    with FakeZaloPay(app_id=APP_ID, key1=KEY1, key2=KEY2) as fake:
        settings.ZALOPAY_ENDPOINT = fake.base_url
        settings.ZALOPAY_APP_ID = APP_ID
        settings.ZALOPAY_KEY1 = KEY1
        settings.ZALOPAY_KEY2 = KEY2
        settings.ZALOPAY_TIMEOUT_SECONDS = 2.0
        yield fake


@pytest.fixture
def zalopay_down(settings):
    """The app pointed at a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.ZALOPAY_ENDPOINT = f"http://127.0.0.1:{port}"
    settings.ZALOPAY_APP_ID = APP_ID
    settings.ZALOPAY_KEY1 = KEY1
    settings.ZALOPAY_KEY2 = KEY2
    settings.ZALOPAY_TIMEOUT_SECONDS = 2.0
    return settings.ZALOPAY_ENDPOINT


@pytest.fixture
def plans(db):
    """The plans on sale, at known prices (whatever a transactional test's flush left)."""
    monthly, _ = Plan.objects.update_or_create(
        code="premium_monthly",
        defaults={"name": "Premium - 1 month", "price": 59_000, "duration_days": 30, "active": True},
    )
    yearly, _ = Plan.objects.update_or_create(
        code="premium_yearly",
        defaults={"name": "Premium - 12 months", "price": 590_000, "duration_days": 365, "active": True},
    )
    return {"monthly": monthly, "yearly": yearly}
