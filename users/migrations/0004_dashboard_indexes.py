"""An index on users.created_at: the default order of user lists and the dashboard's new
listeners per day. Built concurrently, so sign-ups go on while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("users", "0003_translatable_labels"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="user",
            index=models.Index(fields=["created_at"], name="users_user_created_idx"),
        ),
    ]
