"""The two Premium plans the service sells at launch (prices in VND; curated in the admin afterwards)."""

from django.db import migrations

PLANS = [
    {"code": "premium_monthly", "name": "Premium - 1 month", "price": 59_000, "duration_days": 30},
    {"code": "premium_yearly", "name": "Premium - 12 months", "price": 590_000, "duration_days": 365},
]


def seed_plans(apps, schema_editor):
    Plan = apps.get_model("payments", "Plan")
    for plan in PLANS:
        # A plan already curated under this code keeps its name and price.
        Plan.objects.get_or_create(code=plan["code"], defaults={**plan, "active": True})


def unseed_plans(apps, schema_editor):
    Plan = apps.get_model("payments", "Plan")
    # Plans that were sold stay: their orders point at them.
    Plan.objects.filter(code__in=[plan["code"] for plan in PLANS], order_items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(seed_plans, unseed_plans)]
