from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for typo-tolerant search; the embedded server and PostgreSQL 15 both ship it."""

    dependencies = []
    operations = [TrigramExtension()]
