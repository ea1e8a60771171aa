"""Throttle counters in PostgreSQL, for deployments without Redis: one table every app server shares.

Django's database cache, with a write that suits counters: one upsert instead of a count of the
table, a savepoint, a read and a write, and no culling of live entries (an attacker filling the
table must not flush a victim's counters). Expired rows are purged now and then.
"""

import base64
import pickle
import random
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router

PURGE_ONE_WRITE_IN = 1000


class CounterDatabaseCache(DatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        expires = self.get_backend_timeout(timeout)
        expires = datetime.max.replace(tzinfo=UTC) if expires is None else datetime.fromtimestamp(int(expires), tz=UTC)
        value = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        connection = connections[router.db_for_write(self.cache_model_class)]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) ON CONFLICT (cache_key)"
                " DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires",
                [key, value, expires],
            )
            if random.randrange(PURGE_ONE_WRITE_IN) == 0:
                cursor.execute(f"DELETE FROM {table} WHERE expires < now()")
