import django.contrib.postgres.indexes
from django.db import migrations, models


SEARCHABLE = ["catalog_song", "catalog_artist", "collections_app_collection", "users_user"]

COLLECT = """
CREATE FUNCTION hm_collect_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_searchword (word)
    SELECT w FROM unnest(tsvector_to_array(NEW.search_vector)) AS w WHERE length(w) <= 200
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
""" + "".join(
    f"CREATE TRIGGER hm_collect_words AFTER INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION hm_collect_words();\n"
    for table in SEARCHABLE
)
UNCOLLECT = "".join(f"DROP TRIGGER hm_collect_words ON {table};\n" for table in SEARCHABLE) + "DROP FUNCTION hm_collect_words();"
FILL = "".join(
    f"INSERT INTO search_searchword (word) SELECT DISTINCT w FROM {table}, unnest(tsvector_to_array(search_vector)) AS w"
    f" WHERE length(w) <= 200 ON CONFLICT DO NOTHING;\n"
    for table in SEARCHABLE
)


class Migration(migrations.Migration):
    """The vocabulary of all search documents, for correcting typos word by word."""

    initial = True

    dependencies = [
        ("search", "0003_exact_title_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.CharField(max_length=200, primary_key=True, serialize=False)),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass('word', name='gin_trgm_ops'), name='search_word_trgm_idx')],
            },
        ),
        migrations.RunSQL(COLLECT, UNCOLLECT),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
