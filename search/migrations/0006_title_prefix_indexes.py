from django.db import migrations

TABLES = {
    "catalog_song": "search_title",
    "catalog_artist": "search_text",
    "collections_app_collection": "search_text",
    "users_user": "search_text",
}


class Migration(migrations.Migration):
    """Folded titles in byte order: exact titles, and titles beginning with what was typed (a range).

    They replace the exact-title indexes, whose collation cannot answer a prefix.
    """

    dependencies = [("search", "0005_ranked_postings")]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX {table}_search_title_idx ON {table} ({column} COLLATE "C");'
            f" DROP INDEX {table}_search_exact_idx;",
            f"CREATE INDEX {table}_search_exact_idx ON {table} ({column}); DROP INDEX {table}_search_title_idx;",
        )
        for table, column in TABLES.items()
    ]
