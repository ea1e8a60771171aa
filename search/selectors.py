"""Search in PostgreSQL: full text (prefix on the last word) plus trigram word similarity for typos.

Every kind is ranked the same way: text relevance first (exact title, title prefix,
full-text rank, word similarity), then popularity, then id, so equal scores keep a
stable order. Relevance is computed over a few hundred candidates: the most popular
matches, exact titles, and (kinds without popularity) titles beginning with the words typed.

Finding the most popular matches costs the same however many documents match, so that
every keystroke of type-ahead is answered alike (`s`, `so`, `son t`, ...):

- the last word is a prefix: it stands for its COMPLETIONS most useful completions in the
  kind's vocabulary (`search_term`: best popularity of a document holding the word, then
  document frequency), not for every word it begins. One or two letters after other words,
  it rather filters their matches by any word it begins;
- posting lists ordered by popularity (`search_posting`, btree `(kind, word, rank DESC, doc)`)
  are read from their popular end, merged across the words standing for one position and
  joined across positions (merge joins: every list is in the same order), and the walk stops
  once it has its candidates. It reads about as many rows as it keeps when the words are common;
- words that rarely meet are found by the full-text GIN index instead, which is cheap exactly
  then; or, typed next to each other, through the short lists of their pairs (`search_posting`
  holds each pair of neighbouring words too, "tim minh"): the documents holding them next to
  each other are then the candidates. `Plan.choose` weighs the ways by the vocabulary's document
  frequencies; each falls back on another when it learns it was the wrong choice (the walk kept
  too few, the GIN index found too many, no document holds the pair), and every read is capped.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection

from catalog.models import SONG_LIST_FIELDS, Artist, Song
from catalog.selectors import with_credits
from collections_app.models import Collection
from hustmusik.folding import query_tokens
from users.models import User

SIMILARITY_THRESHOLD = 0.25  # how close a known word must be to stand in for a typo
CANDIDATES = 200  # documents ranked by relevance: the most popular matches (and exact titles)
COUNT_CAP = CANDIDATES
COMPLETIONS = 16  # words a typed prefix stands for, per kind
WALK_CAP = (
    90000  # postings of its longest list a walk reads at most (half that expected) before the GIN index takes over
)
GIN_CAP = 2000  # matches the GIN index may find before a walk by popularity takes over
CHECK_CAP = 1500  # documents a walk checks against the kind's rule and the prefix filter, at most

SONG, ARTIST, COLLECTION, USER = 1, 2, 3, 4  # `search_posting.kind`, as the migration fills it
KIND_TABLES = {
    SONG: "catalog_song",
    ARTIST: "catalog_artist",
    COLLECTION: "collections_app_collection",
    USER: "users_user",
}


# The kinds, their tables and COMPLETIONS are written into the statement, not passed with it:
# as parameters, psycopg would adapt the same arrays again on every keystroke.
KINDS_SQL = f"ARRAY[{', '.join(str(kind) for kind in KIND_TABLES)}]::smallint[]"
TABLES_SQL = f"ARRAY[{', '.join(repr(table) for table in KIND_TABLES.values())}]::regclass[]"

# One statement per search term: typo corrections (against the vocabulary of every kind), and
# for each kind the document frequency of each word and the most useful completions of the last.
PARSE = """
WITH t AS (SELECT token, i FROM unnest(%(tokens)s::text[]) WITH ORDINALITY AS t(token, i)),
corrected AS (
    SELECT t.i, w.word
      FROM t CROSS JOIN LATERAL (
           SELECT v.word FROM search_searchword v
            WHERE v.word %% t.token
            ORDER BY similarity(v.word, t.token) DESC, v.word
            LIMIT 3
      ) w
     WHERE NOT EXISTS (SELECT 1 FROM search_searchword e WHERE e.word = t.token)
       AND NOT (t.i = %(last)s AND EXISTS (SELECT 1 FROM search_searchword e WHERE e.word LIKE t.token || '%%'))
),
named AS (SELECT i, token AS word, false AS corrected FROM t UNION SELECT i, word, true FROM corrected)
SELECT 'word', n.i, n.word, n.corrected, s.kind, s.docs
  FROM named n LEFT JOIN search_term s ON s.word = n.word AND s.kind = ANY({kinds})
UNION ALL
SELECT 'completion', %(last)s, c.word, false, k.kind, c.docs
  FROM unnest({kinds}) AS k(kind) CROSS JOIN LATERAL (
       SELECT s.word, s.docs FROM search_term s
        WHERE s.kind = k.kind AND {completion_range} AND strpos(s.word, ' ') = 0
        ORDER BY s.top_rank DESC, s.docs DESC, s.word LIMIT {completions}
  ) c
UNION ALL
SELECT 'pair', p.i, p.word, false, s.kind, s.docs
  FROM unnest(%(pairs)s::text[]) WITH ORDINALITY AS p(word, i)
  JOIN search_term s ON s.word = p.word AND s.kind = ANY({kinds})
UNION ALL
SELECT 'pair completion', %(last)s - 1, c.word, false, k.kind, c.docs
  FROM unnest({kinds}) AS k(kind) CROSS JOIN LATERAL (
       SELECT s.word, s.docs FROM search_term s
        WHERE s.kind = k.kind AND s.word >= %(pair_prefix)s AND s.word < %(pair_prefix)s || chr(1114111)
        ORDER BY s.top_rank DESC, s.docs DESC, s.word LIMIT {completions}
  ) c
 WHERE %(pair_prefix)s <> ''
UNION ALL
SELECT 'size', NULL, NULL, NULL, k.kind, greatest(c.reltuples, 1)::bigint
  FROM unnest({kinds}, {tables}) AS k(kind, relation) JOIN pg_class c ON c.oid = k.relation
"""
# Completions of a prefix: the short ones (most of the vocabulary) read an index on their first
# letters in order of usefulness; longer ones are few, and a range of the primary key has them.
COMPLETION_RANGES = {
    1: "left(s.word, 1) = %(prefix)s",
    2: "left(s.word, 2) = %(prefix)s",
}
LONG_COMPLETION_RANGE = "s.word >= %(prefix)s AND s.word < %(prefix)s || chr(1114111)"
PARSES = {
    length: PARSE.format(completion_range=completion_range, kinds=KINDS_SQL, tables=TABLES_SQL, completions=COMPLETIONS)
    for length, completion_range in COMPLETION_RANGES.items()
}
LONG_PREFIX_PARSE = PARSE.format(
    completion_range=LONG_COMPLETION_RANGE, kinds=KINDS_SQL, tables=TABLES_SQL, completions=COMPLETIONS
)


@dataclass(frozen=True)
class Query:
    """A search term, folded and parsed once for every kind.

    Words found nowhere in the vocabulary of documents are typos: each gets the closest
    known words (trigram similarity) as alternatives. The last word is a prefix while typing.
    `docs[kind][word]` is how many documents of a kind hold a word (as last counted), and
    `completions[kind]` the words the last one most usefully completes to in that kind.
    """

    tokens: tuple[str, ...]
    corrections: tuple[tuple[str, ...], ...] = ()  # per position
    docs: dict = field(default_factory=dict, compare=False)
    completions: dict = field(default_factory=dict, compare=False)
    sizes: dict = field(default_factory=dict, compare=False)
    # Neighbouring words typed ("tim minh"): per kind, {first position: documents holding the pair};
    # and the pairs the last two words complete to, most useful first, with their documents.
    pairs: dict = field(default_factory=dict, compare=False)
    pair_completions: dict = field(default_factory=dict, compare=False)

    @classmethod
    def parse(cls, term: str) -> Query:
        tokens = tuple(query_tokens(term))
        if not tokens:
            return cls(tokens)
        prefix = tokens[-1]
        alternatives: list[list[str]] = [[] for _ in tokens]
        docs: dict = {kind: {} for kind in KIND_TABLES}
        completions: dict = {kind: [] for kind in KIND_TABLES}
        pairs: dict = {kind: {} for kind in KIND_TABLES}
        pair_completions: dict = {kind: [] for kind in KIND_TABLES}
        sizes: dict = {}
        sql = PARSES.get(len(prefix), LONG_PREFIX_PARSE)
        params = {
            "tokens": list(tokens),
            "last": len(tokens),
            "prefix": prefix,
            "pairs": [f"{first} {second}" for first, second in zip(tokens[:-2], tokens[1:-1], strict=True)],
            "pair_prefix": f"{tokens[-2]} {prefix}" if len(tokens) > 1 else "",
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for role, position, word, corrected, kind, count in cursor.fetchall():
                if role == "size":
                    sizes[kind] = count
                elif role == "pair":
                    pairs[kind][position - 1] = count
                elif role == "pair completion":
                    pair_completions[kind].append((word, count))
                else:
                    if corrected and word not in alternatives[position - 1]:
                        alternatives[position - 1].append(word)
                    if kind is not None:
                        docs[kind][word] = count
                        if role == "completion":
                            completions[kind].append(word)
        alternatives_ = tuple(tuple(words) for words in alternatives)
        return cls(tokens, alternatives_, docs, completions, sizes, pairs, pair_completions)

    @property
    def is_empty(self) -> bool:
        return not self.tokens

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @staticmethod
    def text_of(term: str) -> str:
        """`parse(term).text` without asking the database: what an answer is cached under."""
        return " ".join(query_tokens(term))

    def word_sets(self, kind: int) -> list[list[str]]:
        """For each position, the words of `kind`'s documents that may stand there, most useful
        first: the word typed and its typo corrections; for the last one, its completions."""
        known = self.docs.get(kind, {})
        sets = []
        for position, token in enumerate(self.tokens):
            words = [token, *self.corrections[position]]
            if position == len(self.tokens) - 1:
                words = self.completions.get(kind, []) + words
            sets.append([word for word in dict.fromkeys(words) if known.get(word)])
        return sets

    def frequency(self, kind: int, words: list[str]) -> int:
        """How many documents of `kind` hold one of `words` (at most; as last counted)."""
        known = self.docs.get(kind, {})
        return sum(known.get(word, 0) for word in words)

    def finding_term(self, kind: int, position: int) -> str:
        """A position as a full-text term finding `kind`'s documents: one of its words.

        The last word stands for its completions; a typo correction of it, or a last word
        completing to nothing known (yet), is a prefix (`:*`).
        """
        # Tokens and vocabulary words are letters and digits only: quoting is all the escaping needed.
        token, corrections = self.tokens[position], self.corrections[position]
        words = self.word_sets(kind)[position]
        if position < len(self.tokens) - 1:
            alternatives = [f"'{word}'" for word in words or [token, *corrections]]
        else:
            completed = [word for word in words if word not in corrections]
            alternatives = [f"'{word}'" for word in completed] or [f"'{token}':*"]
            alternatives += [f"'{word}':*" for word in corrections]
        return "(" + " | ".join(alternatives) + ")"

    def filtering_term(self, position: int) -> str:
        """A position as a term checked on documents found otherwise: the word or a correction;
        the last word as a prefix of any word, not only of its top completions."""
        suffix = ":*" if position == len(self.tokens) - 1 else ""
        words = (self.tokens[position], *self.corrections[position])
        return "(" + " | ".join(f"'{word}'{suffix}" for word in words) + ")"


@dataclass(frozen=True)
class Kind:
    posting_kind: int  # `search_posting.kind`
    title_column: str  # folded title, for exact and prefix bonuses
    popularity: str  # SQL expression, higher is better
    rows: Callable  # rows(user) -> the ORM queryset of what `user` may find: the apps' own rules
    # Kinds without popularity: their most "popular" matches are any matches, so a few do, and
    # titles beginning with the words typed (the best matches while typing) are candidates too.
    walked: int = CANDIDATES  # candidates the walk (or the GIN index) brings
    title_prefix: bool = False

    @property
    def table(self) -> str:
        return KIND_TABLES[self.posting_kind]


UNRANKED = {"popularity": "0::bigint", "walked": CANDIDATES // 4, "title_prefix": True}
SONGS = Kind(SONG, "search_title", "t.views", lambda user: Song.objects.all())
ARTISTS = Kind(ARTIST, "search_text", rows=lambda user: Artist.objects.all(), **UNRANKED)
USERS = Kind(USER, "search_text", rows=lambda user: User.objects.filter(is_active=True), **UNRANKED)
ALBUMS = Kind(COLLECTION, "search_text", rows=lambda user: Collection.objects.visible_to(user).releases(), **UNRANKED)
PLAYLISTS = Kind(
    COLLECTION, "search_text", rows=lambda user: Collection.objects.visible_to(user).playlists(), **UNRANKED
)

TSQUERY = "to_tsquery('simple', %(tsquery)s)"
# Filters: a function, so that the GIN index is not asked to expand a prefix or read a list.
FILTER = "ts_match_vq(t.search_vector, to_tsquery('simple', %(filter)s))"
WALK_FILTER = "ts_match_vq(t.search_vector, to_tsquery('simple', %(walk_filter)s))"
# A first keystroke or three says little about words: the title beginning with it, then popularity.
SCORE = """(CASE WHEN c.title = %(text)s THEN 3 WHEN c.title LIKE %(prefix)s THEN 1 ELSE 0 END)
          + %(text_weight)s * (ts_rank(c.search_vector, to_tsquery('simple', %(score_tsquery)s))
                               + word_similarity(%(text)s, c.search_text))"""
SHORT_TERM = 3  # letters of a one-word term that rank by title prefix and popularity alone
# Candidates carry what ranking needs, so no row is read twice.
COLUMNS = "t.id, {popularity} AS popularity, t.{title} AS title, t.search_vector, t.search_text"

# The posting list of one word, most popular first; a position's words merged into one list;
# the lists of all positions joined (a merge join: all are in the same order); each document
# checked against the kind's rule (and the filters). The walk ends when enough documents passed,
# when the longest list ran WALK_CAP rows deep (the others are then at most as deep), or when
# CHECK_CAP documents were checked: what it keeps are the most popular matches, maybe fewer.
POSTINGS = "(SELECT rank, doc FROM search_posting WHERE kind = {kind} AND word = %({word})s ORDER BY rank DESC, doc)"
POSITION = "SELECT rank, doc FROM ({postings}) m ORDER BY rank DESC, doc"
WALK = (
    """
SELECT c.* FROM ({positions} LIMIT %(check_cap)s) p
 CROSS JOIN LATERAL (SELECT """
    + COLUMNS
    + """ FROM {table} t WHERE t.id = p.doc AND {condition} AND {walk_filter} LIMIT 1) c
 WHERE {gate}
 ORDER BY p.rank DESC, p.doc
 LIMIT %(walked)s
"""
)
# Every match, through the GIN index: cheap when the words are rare or rarely meet.
GIN = (
    "SELECT "
    + COLUMNS
    + " FROM {table} t WHERE {condition} AND t.search_vector @@ "
    + TSQUERY
    + " AND {gin_filter} AND {gate} LIMIT {cap}"
)
# Exact titles; and titles beginning with the words typed (a range of the folded titles in byte order).
EXACT = (
    "SELECT " + COLUMNS + ' FROM {table} t WHERE {condition} AND t.{title} COLLATE "C" = %(text)s LIMIT %(candidates)s'
)
TITLE_PREFIX = (
    "SELECT "
    + COLUMNS
    + ' FROM {table} t WHERE {condition} AND t.{title} COLLATE "C" >= %(text)s'
    + ' AND t.{title} COLLATE "C" < %(text)s || chr(1114111) LIMIT %(walked)s'
)
RANKED = (
    """
SELECT c.id, count(*) OVER () AS matches
  FROM (SELECT DISTINCT ON (id) * FROM ({candidates}) u ORDER BY id) c
 ORDER BY """
    + SCORE
    + """ DESC, c.popularity DESC, c.id
 LIMIT %(limit)s OFFSET %(offset)s
"""
)
# The ways to candidates: the walk first, with the GIN index for when it kept too few; or the GIN
# index first (capped), with the walk for when it found too many; or the GIN index alone when
# no known word stands for some position (then nothing, or only words unknown yet, may match);
# or a phrase: the walk of a pair's list, with the GIN index for when no document holds the pair.
PLANS = {
    "walk": """
WITH walk AS MATERIALIZED ({walk}),
gin AS MATERIALIZED ({gin_after_walk})
SELECT * FROM walk UNION ALL (SELECT * FROM gin ORDER BY popularity DESC, id LIMIT %(walked)s)""",
    "gin": """
WITH gin AS MATERIALIZED ({gin_capped}),
walk AS MATERIALIZED ({walk_after_gin})
SELECT * FROM walk
 UNION ALL (SELECT * FROM gin ORDER BY popularity DESC, id LIMIT %(walked)s)""",
    "gin alone": """
(SELECT * FROM ({gin_capped}) gin ORDER BY popularity DESC, id LIMIT %(walked)s)""",
    "phrase": """
WITH walk AS MATERIALIZED ({walk}),
gin AS MATERIALIZED ({gin_after_phrase})
SELECT * FROM walk UNION ALL (SELECT * FROM gin ORDER BY popularity DESC, id LIMIT %(walked)s)""",
}
# Relative costs, per row: a walk reading a posting (index only, in order) and checking a document
# (by primary key); the GIN index decoding a posting and fetching a match (in page order).
WALK_ROW_COST = 1.0
CHECK_COST = 40.0
GIN_ENTRY_COST = 0.17
GIN_MATCH_COST = 6.0
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


def kind_condition(kind: Kind, user) -> tuple[str, dict]:
    """`sql_condition` of what `user` may find of `kind`, built once per kind and kind of viewer:
    anonymous, an administrator, or this signed-in user (what the rules look at)."""
    if not user.is_authenticated:
        viewer = "anonymous"
    else:
        viewer = "admin" if user.has_admin_role else str(user.pk)
    key = (kind, viewer)
    if key not in _CONDITIONS:
        if len(_CONDITIONS) >= 4096:
            _CONDITIONS.clear()
        _CONDITIONS[key] = sql_condition(kind.rows(user))
    return _CONDITIONS[key]


_CONDITIONS: dict = {}


@dataclass(frozen=True)
class Plan:
    """How one kind finds its candidates for one query: which positions find documents (through
    posting lists or the GIN index), which are checked on the documents found (filters), and
    which way goes first."""

    way: str  # a key of PLANS
    finding: tuple  # positions finding documents
    filtering: tuple  # positions checked on documents
    sets: tuple  # per list walked: its words (single words, or pairs of neighbours)
    frequencies: tuple  # per list walked: how many documents hold one of its words
    cost: float = 0.0
    fallback: Plan | None = None  # a phrase's: how to find the words wherever they are

    @classmethod
    def choose(cls, kind: Kind, query: Query) -> Plan:
        """The cheapest plan, by document frequencies f_i over n documents (words independent).

        Positions I find documents, the others filter them (each keeps a share p_j = f_j / n);
        about m = n * prod_I(f_i / n) documents hold the words of I, m * prod(p_j) pass.
        The GIN index decodes the lists of I and fetches the m documents. A walk reads the lists
        of I, merged and joined, as deep as it takes to find the w candidates it wants
        (w / prod(p_j) joined rows), and checks each joined row's document.
        """
        sets = query.word_sets(kind.posting_kind)
        frequencies = [query.frequency(kind.posting_kind, words) for words in sets]
        positions = range(len(sets))
        if not all(sets):  # a position no known word stands for: nothing, or only unknown words, may match
            return cls("gin alone", tuple(positions), (), tuple(sets), tuple(frequencies))
        # A position standing for the same words as an earlier one ("tam tam") asks nothing more.
        positions = [position for position in positions if sets[position] not in sets[:position]]
        if len(positions) == 1:
            return cls("walk", (0,), (), (sets[0],), (frequencies[0],))
        size = max(query.sizes.get(kind.posting_kind, 1), 1, *frequencies)
        best = None
        for count in range(1, len(positions) + 1):
            for finding in itertools.combinations(positions, count):
                filtering = tuple(position for position in positions if position not in finding)
                found = [frequencies[position] for position in finding]
                matches = size * math.prod(frequency / size for frequency in found)
                kept = math.prod(frequencies[position] / size for position in filtering)
                gin = GIN_ENTRY_COST * sum(found) + GIN_MATCH_COST * matches
                options = [(gin, "gin")]
                joined = kind.walked / max(kept, 1e-9)  # joined rows to read for w candidates
                depth = min(1.0, joined / max(matches, 1))
                if matches * kept >= 2 * kind.walked and max(found) * depth <= WALK_CAP / 2 and joined <= CHECK_CAP / 2:
                    options.append((WALK_ROW_COST * sum(found) * depth + CHECK_COST * joined, "walk"))
                for cost, way in options:
                    if best is None or cost < best[0]:
                        best = (cost, way, finding, filtering)
        cost, way, finding, filtering = best
        plan = cls(
            way, finding, filtering, tuple(sets[p] for p in finding), tuple(frequencies[p] for p in finding), cost
        )
        return plan.phrase(kind, query, positions, size)

    def phrase(self, kind: Kind, query: Query, positions: list, size: int) -> Plan:
        """Words typed next to each other whose single lists rarely meet ("tim minh do"): the
        lists of pairs of them (and of the pairs the last two complete to) are short, and the
        documents holding the words next to each other are the candidates, when there are some.
        The walk reads the lists of some of the pairs, joined, checking the other positions on each
        document; costed as if it read the lists to the end."""
        frequencies = [query.frequency(kind.posting_kind, words) for words in query.word_sets(kind.posting_kind)]
        last = len(query.tokens) - 1
        units = [
            ((f"{query.tokens[first]} {query.tokens[first + 1]}",), docs, first)
            for first, docs in sorted(query.pairs.get(kind.posting_kind, {}).items())
            if 0 < docs <= WALK_CAP
        ]
        completed = query.pair_completions.get(kind.posting_kind, [])
        if completed and 0 < sum(docs for _, docs in completed) <= WALK_CAP:
            units.append((tuple(word for word, _ in completed), sum(docs for _, docs in completed), last - 1))
        choices = (
            list(chosen) for count in range(1, len(units) + 1) for chosen in itertools.combinations(units, count)
        )
        best = self
        for chosen in choices:
            covered = {position for _, _, first in chosen for position in (first, first + 1)}
            filtering = tuple(position for position in positions if position not in covered)
            kept = math.prod(frequencies[position] / size for position in filtering)
            lists = [docs for _, docs, _ in chosen]
            checked = min(min(lists), kind.walked / max(kept, 1e-9), CHECK_CAP)
            cost = WALK_ROW_COST * sum(lists) + CHECK_COST * checked
            if cost < best.cost:
                sets = tuple(words for words, _, _ in chosen)
                best = Plan("phrase", (), filtering, sets, tuple(lists), cost, fallback=self)
        return best

    def walk_sql(self, kind: Kind, params: dict) -> str:
        """The posting lists of every position, merged and joined, most popular first; the
        longest list (by document frequency) read at most WALK_CAP rows deep."""
        positions = []
        for position in sorted(range(len(self.sets)), key=lambda position: -self.frequencies[position]):
            names = []
            for number, word in enumerate(self.sets[position]):
                names.append(f"w_{position}_{number}")
                params[names[-1]] = word
            postings = " UNION ALL ".join(POSTINGS.format(kind=kind.posting_kind, word=name) for name in names)
            positions.append(POSITION.format(postings=postings) + ("" if positions else " LIMIT %(walk_cap)s"))
        joined = f"({positions[0]}) s0"
        for number, position in enumerate(positions[1:], start=1):
            joined += f" JOIN ({position}) s{number} ON s{number}.rank = s0.rank AND s{number}.doc = s0.doc"
        return f"SELECT s0.rank, s0.doc FROM {joined} ORDER BY s0.rank DESC, s0.doc"

    def candidates_sql(self, kind: Kind, parts: dict, params: dict) -> str:
        positions = self.walk_sql(kind, params) if self.way != "gin alone" else ""

        def walk(gate: str) -> str:
            return WALK.format(positions=positions, gate=gate, **parts)

        def gin(gate: str, cap: str) -> str:
            return GIN.format(gate=gate, cap=cap, **parts)

        sql = PLANS[self.way].format(
            walk=walk("TRUE") if self.way in ("walk", "phrase") else "",
            gin_after_phrase=gin("(SELECT count(*) FROM walk) = 0", "%(gin_cap)s"),
            gin_after_walk=gin("(SELECT count(*) FROM walk) < %(walked)s", "%(gin_cap)s"),
            gin_capped=gin("TRUE", "%(gin_cap)s + 1"),
            walk_after_gin=walk("(SELECT count(*) FROM gin) > %(gin_cap)s") if self.way == "gin" else "",
        )
        sql += " UNION ALL (" + EXACT.format(**parts) + ")"
        if kind.title_prefix:
            sql += " UNION ALL (" + TITLE_PREFIX.format(**parts) + ")"
        return sql


def ranked_ids(kind: Kind, query: Query, *, user, limit: int, offset: int = 0) -> tuple[list, int]:
    """The ids of one page of matches, best first, and how many matched (at most COUNT_CAP)."""
    if query.is_empty:
        return [], 0
    plan = Plan.choose(kind, query)
    words = plan.fallback or plan  # how the GIN index finds the words wherever they are
    condition, rule = kind_condition(kind, user)
    params = dict(rule)  # a copy: the query's own parameters are added to it
    parts = {
        "table": kind.table,
        "condition": condition,
        "title": kind.title_column,
        "popularity": kind.popularity,
        "gin_filter": FILTER if words.filtering else "TRUE",
        "walk_filter": WALK_FILTER if plan.filtering else "TRUE",
    }
    finding = [query.finding_term(kind.posting_kind, position) for position in words.finding]
    filtering = [query.filtering_term(position) for position in words.filtering]
    escaped = query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params.update(
        tsquery=" & ".join(finding),
        filter=" & ".join(filtering),
        walk_filter=" & ".join(query.filtering_term(position) for position in plan.filtering),
        score_tsquery=" & ".join(finding + filtering),
        text=query.text,
        text_weight=0 if len(query.tokens) == 1 and len(query.text) <= SHORT_TERM else 1,
        prefix=f"{escaped}%",
        limit=limit,
        offset=offset,
        candidates=CANDIDATES,
        walked=kind.walked,
        walk_cap=WALK_CAP,
        check_cap=CHECK_CAP,
        gin_cap=GIN_CAP,
    )
    sql = RANKED.format(candidates=plan.candidates_sql(kind, parts, params))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows and offset:  # past the last page: still say how many there are
        return [], ranked_ids(kind, query, user=user, limit=1)[1]
    return [row[0] for row in rows], min(rows[0][1] if rows else 0, COUNT_CAP)


def _page_rows(model, fields: tuple[str, ...], ids: list, owner: tuple[str, ...] = ()) -> list[tuple]:
    """The rows of `ids` (their `fields`, then their owner's `owner` fields), in the order of `ids`:
    one statement in plain SQL, as the ORM took longer to build it than PostgreSQL to run it."""
    meta = model._meta
    columns = [f't."{meta.get_field(name).column}"' for name in fields]
    joins = ""
    if owner:
        relation = meta.get_field("owner")
        owner_meta = relation.related_model._meta
        columns += [f'o."{owner_meta.get_field(name).column}"' for name in owner]
        joins = f' JOIN "{owner_meta.db_table}" o ON o."{owner_meta.pk.column}" = t."{relation.column}"'
    sql = f'SELECT {", ".join(columns)} FROM "{meta.db_table}" t{joins} WHERE t."{meta.pk.column}" = ANY(%s)'
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids)])
        rows = cursor.fetchall()
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(rows, key=lambda row: position[row[0]])  # the primary key comes first


def rows_in_order(model, fields: tuple[str, ...], ids: list, *, owner: tuple[str, ...] = ()) -> list:
    """The page's `model` objects in the order of `ids`, loaded with `fields` only (the others
    deferred) and, given `owner` fields, each with its owner, as `select_related` would."""
    if not ids:
        return []
    # `from_db` takes a subset of the fields in the model's order.
    order = {field.name: index for index, field in enumerate(model._meta.concrete_fields)}
    fields = tuple(sorted(fields, key=order.__getitem__))
    if owner:
        owner_order = {
            field.name: index
            for index, field in enumerate(model._meta.get_field("owner").related_model._meta.concrete_fields)
        }
        owner = tuple(sorted(owner, key=owner_order.__getitem__))
    attnames = [model._meta.get_field(name).attname for name in fields]
    objects = []
    for row in _page_rows(model, fields, ids, owner):
        instance = model.from_db(connection.alias, attnames, row[: len(fields)])
        if owner:
            relation = model._meta.get_field("owner")
            relation.set_cached_value(
                instance, relation.related_model.from_db(connection.alias, list(owner), row[len(fields) :])
            )
        objects.append(instance)
    return objects


def songs_in_order(ids: list) -> list[dict]:
    """The page's songs as list rows (what `Song.objects.list_rows()` gives), in the order of `ids`."""
    if not ids:
        return []
    return [dict(zip(SONG_LIST_FIELDS, row, strict=True)) for row in _page_rows(Song, SONG_LIST_FIELDS, ids)]


ALBUM_FIELDS = ("id", "title", "description", "type", "thumbnail", "thumbnail_url")
PLAYLIST_FIELDS = ("id", "title", "type", "thumbnail", "thumbnail_url", "visibility")
OWNER_FIELDS = ("id", "username")


def search_songs(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(SONGS, query, user=user, limit=limit, offset=offset)
    return with_credits(songs_in_order(ids)), count


def search_artists(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(ARTISTS, query, user=user, limit=limit, offset=offset)
    return rows_in_order(Artist, ("id", "name", "avatar", "avatar_url"), ids), count


def search_albums(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(ALBUMS, query, user=user, limit=limit, offset=offset)
    return rows_in_order(Collection, ALBUM_FIELDS, ids, owner=OWNER_FIELDS), count


def search_playlists(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(PLAYLISTS, query, user=user, limit=limit, offset=offset)
    return rows_in_order(Collection, PLAYLIST_FIELDS, ids, owner=OWNER_FIELDS), count


def search_users(query: Query, *, user, limit: int, offset: int = 0):
    ids, count = ranked_ids(USERS, query, user=user, limit=limit, offset=offset)
    return rows_in_order(User, ("id", "username", "avatar", "role"), ids), count


SEARCHES = {
    "songs": search_songs,
    "artists": search_artists,
    "albums": search_albums,
    "playlists": search_playlists,
    "users": search_users,
}
