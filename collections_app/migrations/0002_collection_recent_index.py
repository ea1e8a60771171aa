from django.db import migrations, models


class Migration(migrations.Migration):
    """Newest-first pages of all visible collections without sorting the table."""

    dependencies = [("collections_app", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="collection",
            index=models.Index(fields=["-created_at", "id"], name="collections_recent_idx"),
        ),
    ]
