"""Search in PostgreSQL: full text (prefix on the last word) plus trigram word similarity for typos.

Every kind is ranked the same way: text relevance first (exact title, title prefix,
full-text rank, word similarity), then popularity, then id, so equal scores keep a
stable order. The SQL returns the ids of one page and the number of matches
(capped, so a one-word query over a million songs never counts them all).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Case, When

from catalog.models import Artist, Song
from catalog.selectors import with_credits
from collections_app.models import Collection
from hustmusik.folding import query_tokens
from users.models import User

SIMILARITY_THRESHOLD = 0.25  # how close a known word must be to stand in for a typo
CANDIDATES = 1000
COUNT_CAP = CANDIDATES


CORRECTIONS = """
SELECT t.i, w.word
  FROM unnest(%(tokens)s::text[]) WITH ORDINALITY AS t(token, i)
 CROSS JOIN LATERAL (
       SELECT v.word FROM search_searchword v
        WHERE v.word %% t.token
        ORDER BY similarity(v.word, t.token) DESC, v.word
        LIMIT 3
 ) w
 WHERE NOT EXISTS (SELECT 1 FROM search_searchword e WHERE e.word = t.token)
   AND NOT (t.i = %(last)s AND EXISTS (SELECT 1 FROM search_searchword e WHERE e.word LIKE t.token || '%%'))
"""


@dataclass(frozen=True)
class Query:
    """A search term, folded and parsed once for every kind.

    Words found nowhere in the vocabulary of documents are typos: each gets the closest
    known words (trigram similarity) as alternatives. The last word is a prefix while typing.
    """

    tokens: tuple[str, ...]
    corrections: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def parse(cls, term: str) -> Query:
        tokens = tuple(query_tokens(term))
        if not tokens:
            return cls(tokens)
        alternatives: list[list[str]] = [[] for _ in tokens]
        with connection.cursor() as cursor:
            cursor.execute(CORRECTIONS, {"tokens": list(tokens), "last": len(tokens)})
            for position, word in cursor.fetchall():
                alternatives[position - 1].append(word)
        return cls(tokens, tuple(tuple(words) for words in alternatives))

    @property
    def is_empty(self) -> bool:
        return not self.tokens

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def tsquery(self) -> str:
        # Tokens and vocabulary words are letters and digits only: quoting is all the escaping needed.
        terms = []
        for position, token in enumerate(self.tokens):
            suffix = ":*" if position == len(self.tokens) - 1 else ""
            words = [token, *(self.corrections[position] if self.corrections else ())]
            terms.append("(" + " | ".join(f"'{word}'{suffix}" for word in words) + ")")
        return " & ".join(terms)


@dataclass(frozen=True)
class Kind:
    table: str
    title_column: str  # folded title, for exact and prefix bonuses
    popularity: str  # SQL expression, higher is better
    rows: Callable  # rows(user) -> the ORM queryset of what `user` may find: the apps' own rules


SONGS = Kind("catalog_song", "search_title", "t.views", lambda user: Song.objects.all())
ARTISTS = Kind("catalog_artist", "search_text", "0::int", lambda user: Artist.objects.all())
USERS = Kind("users_user", "search_text", "0::int", lambda user: User.objects.filter(is_active=True))
ALBUMS = Kind(
    "collections_app_collection", "search_text", "0::int", lambda user: Collection.objects.visible_to(user).releases()
)
PLAYLISTS = Kind(
    "collections_app_collection", "search_text", "0::int", lambda user: Collection.objects.visible_to(user).playlists()
)

SCORE = """(CASE WHEN c.title = %(text)s THEN 3 WHEN c.title LIKE %(prefix)s THEN 1 ELSE 0 END)
          + ts_rank(c.search_vector, q.tsq) + word_similarity(%(text)s, c.search_text)"""

# Full text (typo corrections included): the CANDIDATES most popular matches plus exact titles,
# ranked. A one-word query matching half the catalogue costs the same as a rare one. Candidates
# carry what ranking needs, so no row is read twice.
CANDIDATE_COLUMNS = "t.id, {popularity} AS popularity, t.{title} AS title, t.search_vector, t.search_text"
FULL_TEXT = (
    """
WITH q AS (SELECT to_tsquery('simple', %(tsquery)s) AS tsq),
candidates AS (
    (SELECT """
    + CANDIDATE_COLUMNS
    + """ FROM {table} t, q
      WHERE {condition} AND t.search_vector @@ q.tsq
      ORDER BY {popularity} DESC, t.id LIMIT %(candidates)s)
    UNION ALL
    (SELECT """
    + CANDIDATE_COLUMNS
    + """ FROM {table} t
      WHERE {condition} AND t.{title} = %(text)s LIMIT %(candidates)s)
)
SELECT c.id, count(*) OVER () AS matches
  FROM (SELECT DISTINCT ON (id) * FROM candidates ORDER BY id) c, q
 ORDER BY """
    + SCORE
    + """ DESC, c.popularity DESC, c.id
 LIMIT %(limit)s OFFSET %(offset)s
"""
)
PLACEHOLDER = re.compile(r"%%|%s")


def sql_condition(queryset, alias: str = "t") -> tuple[str, dict]:
    """The WHERE clause of an ORM queryset, over its table aliased `alias`, with named parameters.

    Raw search SQL uses it so that who may find what (collection visibility, what a playlist
    is, active users) is the ORM's one rule, not a copy of it.
    """
    query = queryset.query.chain()
    query.change_aliases({query.get_initial_alias(): alias})
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:
        return "TRUE", {}
    except EmptyResultSet:
        return "FALSE", {}
    names = iter(range(len(params)))
    sql = PLACEHOLDER.sub(lambda match: match.group(0) if match.group(0) == "%%" else f"%(rule_{next(names)})s", sql)
    return sql, {f"rule_{index}": value for index, value in enumerate(params)}


def ranked_ids(kind: Kind, query: Query, *, user, limit: int, offset: int = 0) -> tuple[list, int]:
    """The ids of one page of matches, best first, and how many matched (at most COUNT_CAP)."""
    if query.is_empty:
        return [], 0
    condition, params = sql_condition(kind.rows(user))
    parts = {"table": kind.table, "condition": condition, "title": kind.title_column, "popularity": kind.popularity}
    escaped = query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params.update(
        tsquery=query.tsquery,
        text=query.text,
        prefix=f"{escaped}%",
        limit=limit,
        offset=offset,
        candidates=CANDIDATES,
    )
    with connection.cursor() as cursor:
        cursor.execute(FULL_TEXT.format(**parts), params)
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
    return with_credits(in_order(Song.objects.list_rows(), ids)), count


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
