"""The table of throttle counters without Redis: Django's database cache (`CACHES["throttle"]`).

The same schema as `manage.py createcachetable` makes, created by `migrate` so that every
deployment (and the test database) has it, whichever cache the settings chose.
"""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS hustmusik_throttle (
    cache_key varchar(255) NOT NULL PRIMARY KEY,
    value text NOT NULL,
    expires timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS hustmusik_throttle_expires ON hustmusik_throttle (expires);
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunSQL(CREATE, reverse_sql="DROP TABLE IF EXISTS hustmusik_throttle")]
