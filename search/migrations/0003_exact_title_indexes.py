from django.db import migrations

TABLES = {
    "catalog_song": "search_title",
    "catalog_artist": "search_text",
    "collections_app_collection": "search_text",
    "users_user": "search_text",
}


class Migration(migrations.Migration):
    """B-tree indexes for exact-title matches, which full-text candidates always include."""

    dependencies = [("search", "0002_search_documents")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_search_exact_idx ON {table} ({column});",
            f"DROP INDEX {table}_search_exact_idx;",
        )
        for table, column in TABLES.items()
    ]
