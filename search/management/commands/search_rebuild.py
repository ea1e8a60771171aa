"""Recompute every song's search document (artists' names, releases' titles), the posting lists
and the vocabulary.

Generated columns and triggers keep them current by themselves; run this after a bulk load
that disabled the triggers, or to repair documents written outside PostgreSQL's triggers.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from search.bulk_load import FILL_VOCABULARY
from search.services import search_postings_rebuild

REBUILD = """
WITH credits AS (
    SELECT sa.song_id, string_agg(a.name, ' ' ORDER BY sa."order", sa.id) AS names
      FROM catalog_songartist sa JOIN catalog_artist a ON a.id = sa.artist_id
     GROUP BY sa.song_id
), releases AS (
    SELECT cs.song_id, string_agg(c.title, ' ' ORDER BY c.created_at, c.id) AS titles
      FROM collections_app_collectionsong cs JOIN collections_app_collection c ON c.id = cs.collection_id
     WHERE c.type IN ('Album', 'EP', 'Single') AND c.visibility = 'Public'
     GROUP BY cs.song_id
), documents AS (
    SELECT s.id, coalesce(hm_fold(concat_ws(' ', credits.names, releases.titles)), '') AS extra
      FROM catalog_song s
      LEFT JOIN credits ON credits.song_id = s.id
      LEFT JOIN releases ON releases.song_id = s.id
)
UPDATE catalog_song s SET search_extra = documents.extra
  FROM documents
 WHERE s.id = documents.id AND s.search_extra IS DISTINCT FROM documents.extra
"""


class Command(BaseCommand):
    help = "Rebuild the search documents of songs, the posting lists and the vocabulary; refresh planner statistics."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(REBUILD)
            changed = cursor.rowcount
            cursor.execute(FILL_VOCABULARY)
            search_postings_rebuild()
        with connection.cursor() as cursor:
            for table in (
                "catalog_song",
                "catalog_artist",
                "collections_app_collection",
                "users_user",
                "search_posting",
            ):
                cursor.execute(f"ANALYZE {table}")
        self.stdout.write(f"Rebuilt {changed} song document(s) in {time.monotonic() - started:.1f}s.")
