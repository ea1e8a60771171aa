"""The seed migration and the rules the database keeps."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from payments.models import Order, Plan
from tests.payments.helpers import checkout

pytestmark = pytest.mark.django_db

seed = importlib.import_module("payments.migrations.0002_seed_plans")


def test_the_seed_creates_both_plans_and_its_reverse_removes_them():
    Plan.objects.all().delete()
    seed.seed_plans(apps, None)
    assert dict(Plan.objects.values_list("code", "price")) == {"premium_monthly": 59_000, "premium_yearly": 590_000}
    assert dict(Plan.objects.values_list("code", "duration_days")) == {"premium_monthly": 30, "premium_yearly": 365}
    seed.unseed_plans(apps, None)
    assert not Plan.objects.exists()


def test_the_seed_keeps_curated_plans_and_the_reverse_keeps_sold_ones(user, zalopay):
    Plan.objects.all().delete()
    Plan.objects.create(code="premium_monthly", name="Curated", price=49_000, duration_days=30)
    seed.seed_plans(apps, None)
    assert Plan.objects.get(code="premium_monthly").price == 49_000
    checkout(user, "premium_monthly")
    seed.unseed_plans(apps, None)
    assert list(Plan.objects.values_list("code", flat=True)) == ["premium_monthly"]


@pytest.mark.parametrize("fields", [{"price": 0}, {"duration_days": 0}])
def test_plans_cost_something_and_last_some_days(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(**{"code": "free", "name": "Free", "price": 1, "duration_days": 1, **fields})


def test_app_trans_ids_are_unique(user):
    fields = {
        "user": user,
        "app_user": str(user.pk),
        "app_trans_id": "250101_a",
        "amount": 1,
        "premium_days": 1,
        "description": "x",
    }
    Order.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(**fields)


def test_orders_outlive_their_buyer(user, plans, zalopay):
    order = checkout(user)
    user.delete()
    order.refresh_from_db()
    assert order.user is None and order.app_user and order.amount == 59_000
