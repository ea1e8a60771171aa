from rest_framework.test import APIClient

from payments.models import Order
from tests.helpers import signed_in_client
from tests.payments.conftest import CALLBACK


def checkout(user, plan: str = "premium_monthly") -> Order:
    """An order opened through the API, as the buyer's app does."""
    response = signed_in_client(user).post("/v1/order/checkout", {"plan": plan}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["return_code"] == 1, response.json()
    return Order.objects.get(app_trans_id=response.json()["app_trans_id"])


def deliver(body, **extra):
    """ZaloPay posting its callback to the app (no credentials)."""
    return APIClient().post(CALLBACK, body, format="json", **extra)
