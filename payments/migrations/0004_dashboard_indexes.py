"""A partial index on the paid orders' payment dates, for the dashboard's revenue per day.
Built concurrently, so payments go on while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("payments", "0003_translatable_labels"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="order",
            index=models.Index(
                condition=models.Q(status="paid"), fields=["paid_at"], name="payments_order_paid_idx"
            ),
        ),
    ]
