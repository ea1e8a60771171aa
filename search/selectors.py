"""Search in PostgreSQL: full text (prefix on the last word) plus trigram word similarity for typos.

Every kind is ranked the same way: text relevance first (exact title, title prefix,
full-text rank, word similarity), then popularity, then id, so equal scores keep a
stable order. The SQL returns the ids of one page and the number of matches
(capped, so a one-word query over a million songs never counts them all).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, When

from catalog.models import Artist, Song
from collections_app.models import LISTENER_TYPES, RELEASE_TYPES, Collection
from search.folding import query_tokens
from users.models import User

WORD_SIMILARITY_THRESHOLD = 0.5
COUNT_CAP = 1000


@dataclass(frozen=True)
class Query:
    """A search term, folded and parsed once for every kind."""

    tokens: tuple[str, ...]

    @classmethod
    def parse(cls, term: str) -> "Query":
        return cls(tuple(query_tokens(term)))

    @property
    def is_empty(self) -> bool:
        return not self.tokens

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def tsquery(self) -> str:
        # Tokens are letters and digits only, so quoting them is all the escaping needed.
        *complete, last = self.tokens
        return " & ".join([*(f"'{token}'" for token in complete), f"'{last}':*"])


@dataclass(frozen=True)
class Kind:
    table: str
    title_column: str  # folded title, for exact and prefix bonuses
    popularity: str  # SQL expression, higher is better
    filters: str = "TRUE"


SONGS = Kind("catalog_song", "search_title", "t.views")
ARTISTS = Kind("catalog_artist", "search_text", "0::int")
USERS = Kind("users_user", "search_text", "0::int", "t.is_active")
ALBUMS = Kind("collections_app_collection", "search_text", "0::int", "t.type = ANY(%(release_types)s)")
PLAYLISTS = Kind("collections_app_collection", "search_text", "0::int", "t.type = ANY(%(listener_types)s)")

RANKED_IDS = """
WITH q AS (SELECT to_tsquery('simple', %(tsquery)s) AS tsq)
SELECT t.id, count(*) OVER () AS matches
  FROM {table} t, q
 WHERE {filters} AND {visibility}
   AND (t.search_vector @@ q.tsq OR %(text)s <%% t.search_text)
 ORDER BY (CASE WHEN t.{title} = %(text)s THEN 3 WHEN t.{title} LIKE %(prefix)s THEN 1 ELSE 0 END)
          + ts_rank(t.search_vector, q.tsq) + word_similarity(%(text)s, t.search_text) DESC,
          {popularity} DESC, t.id
 LIMIT %(limit)s OFFSET %(offset)s
"""


def _visibility(kind: Kind, user) -> tuple[str, dict]:
    if kind.table != "collections_app_collection" or (user.is_authenticated and user.has_admin_role):
        return "TRUE", {}
    if user.is_authenticated:
        return "(t.visibility = 'Public' OR t.owner_id = %(viewer)s)", {"viewer": user.pk}
    return "t.visibility = 'Public'", {}


def ranked_ids(kind: Kind, query: Query, *, user, limit: int, offset: int = 0) -> tuple[list, int]:
    """The ids of one page of matches, best first, and how many matched (at most COUNT_CAP)."""
    if query.is_empty:
        return [], 0
    visibility, params = _visibility(kind, user)
    sql = RANKED_IDS.format(
        table=kind.table, filters=kind.filters, visibility=visibility, title=kind.title_column, popularity=kind.popularity
    )
    escaped = query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params.update(
        tsquery=query.tsquery,
        text=query.text,
        prefix=f"{escaped}%",
        limit=limit,
        offset=offset,
        release_types=list(RELEASE_TYPES),
        listener_types=list(LISTENER_TYPES),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows and offset:  # past the last page: still say how many there are
        return [], ranked_ids(kind, query, user=user, limit=1)[1]
    return [row[0] for row in rows], min(rows[0][1] if rows else 0, COUNT_CAP)


def in_order(queryset, ids: list) -> list:
    """The objects of `ids`, in that order (one query, plus the queryset's prefetches)."""
    if not ids:
        return []
    order = Case(*(When(pk=pk, then=position) for position, pk in enumerate(ids)))
    return list(queryset.filter(pk__in=ids).order_by(order))


def search_songs(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(SONGS, query, user=user, limit=limit, offset=offset)
    return in_order(Song.objects.with_artists(), ids), count


def search_artists(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(ARTISTS, query, user=user, limit=limit, offset=offset)
    return in_order(Artist.objects.all(), ids), count


def search_albums(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(ALBUMS, query, user=user, limit=limit, offset=offset)
    return in_order(Collection.objects.select_related("owner"), ids), count


def search_playlists(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(PLAYLISTS, query, user=user, limit=limit, offset=offset)
    return in_order(Collection.objects.select_related("owner"), ids), count


def search_users(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(USERS, query, user=user, limit=limit, offset=offset)
    return in_order(User.objects.all(), ids), count


SEARCHES = {
    "songs": search_songs,
    "artists": search_artists,
    "albums": search_albums,
    "playlists": search_playlists,
    "users": search_users,
}
