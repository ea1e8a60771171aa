"""Upkeep of the search structures that triggers cannot keep exact by themselves.

The posting lists (`search_posting`) are kept exact on every write by the row triggers of
migration 0005. The vocabulary's counts (`search_term.docs`, and a `top_rank` that fell) would
make every write of a common word wait on the same row, so a job recounts them
(`search_terms_refresh`, hourly); until then they only steer which completions a prefix stands
for and which list a walk reads, never what matches.
"""

from django.db import connection

# kind code, table, rank of a row of alias `t` (as migration 0005 defines them)
KINDS = [
    (1, "catalog_song", "hm_popularity_rank(t.views)"),
    (2, "catalog_artist", "0"),
    (3, "collections_app_collection", "0"),
    (4, "users_user", "0"),
]

# Every word of every document and every pair of neighbouring words (`hm_search_words`, as the
# triggers of migrations 0005 and 0007 write them). In index order, so a list's rows share heap pages (an index-only scan then checks few
# visibility-map pages).
REBUILD_POSTINGS = "TRUNCATE search_posting;" + "".join(
    f"INSERT INTO search_posting (kind, word, rank, doc) SELECT {kind}, w, {rank}, t.id"
    f" FROM {table} t, unnest(hm_search_words(t.search_vector)) AS w ORDER BY 1, 2, 3 DESC, 4;"
    for kind, table, rank in KINDS
)

REFRESH_TERMS = """
WITH counted AS MATERIALIZED (
    SELECT kind, word, count(*)::integer AS docs, max(rank) AS top_rank FROM search_posting GROUP BY kind, word
), updated AS (
    UPDATE search_term s SET docs = c.docs, top_rank = c.top_rank
      FROM counted c
     WHERE s.kind = c.kind AND s.word = c.word AND (s.docs, s.top_rank) IS DISTINCT FROM (c.docs, c.top_rank)
), added AS (
    INSERT INTO search_term (kind, word, docs, top_rank) SELECT kind, word, docs, top_rank FROM counted
    ON CONFLICT DO NOTHING
)
DELETE FROM search_term s
 WHERE NOT EXISTS (SELECT 1 FROM search_posting p WHERE p.kind = s.kind AND p.word = s.word)
"""


def search_postings_rebuild() -> None:
    """Every posting list from the documents: after a bulk load that disabled the triggers."""
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_POSTINGS)
    search_terms_refresh()


def search_terms_refresh() -> None:
    """Recount how many documents hold each word, and the best rank among them."""
    with connection.cursor() as cursor:
        cursor.execute(REFRESH_TERMS)
