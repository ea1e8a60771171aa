"""Posting lists ordered by popularity, for type-ahead search whose cost does not grow with the matches.

- `search_posting (kind, word, rank, doc)`: one row per word of each search document, with the
  document's popularity rank; its btree `(kind, word, rank DESC, doc)` answers "the most popular
  documents holding word W" by reading an index range from its start and stopping early.
- `search_term (kind, word, docs, top_rank)`: each kind's vocabulary with document frequency and the
  best rank of a document holding the word, to expand a typed prefix into its most useful completions
  and to pick the rarest word of a query to walk. A new word is added, and `top_rank` raised, by
  the triggers; `docs` (and a `top_rank` that fell) is recounted by a job (`search_terms_refresh`).
- Row triggers on every searchable table keep the postings exact on every write path (API, admin,
  plays folded into views, audio pipeline); bulk loads disable them and rebuild the postings.
- `rank` is `hm_popularity_rank(views)`: the logarithm of the views in steps of 5%, so the minutely
  fold of plays into views rewrites a song's postings only when its popularity moves by 5%.
  Artists, collections and users have no popularity yet: rank 0, so their lists are in id order.
"""

from django.db import migrations

# kind code, table, rank of a row (SQL over the row variable `{row}`)
KINDS = [
    (1, "catalog_song", "hm_popularity_rank({row}.views)"),
    (2, "catalog_artist", "0"),
    (3, "collections_app_collection", "0"),
    (4, "users_user", "0"),
]

RANK_FUNCTION = """
CREATE FUNCTION hm_popularity_rank(views bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT floor(ln(greatest(views, 0) + 1) * 20)::integer $$;
"""

TABLES = """
CREATE TABLE search_posting (
    kind smallint NOT NULL,
    word text NOT NULL,
    rank integer NOT NULL,
    doc uuid NOT NULL
);
CREATE TABLE search_term (
    kind smallint NOT NULL,
    word text COLLATE "C" NOT NULL,
    docs integer NOT NULL,
    top_rank integer NOT NULL,
    PRIMARY KEY (kind, word)
);
"""
DROP_TABLES = "DROP TABLE search_term; DROP TABLE search_posting;"

# Built after the fill: far faster than growing them row by row.
INDEXES = """
CREATE INDEX search_posting_walk_idx ON search_posting (kind, word, rank DESC, doc);
CREATE INDEX search_term_first_letter_idx ON search_term (kind, left(word, 1), top_rank DESC, docs DESC);
CREATE INDEX search_term_first_two_idx ON search_term (kind, left(word, 2), top_rank DESC, docs DESC);
"""

MAX_WORD = 200  # as the vocabulary: longer "words" are noise and would not fit a btree entry


def fill_postings(kind: int, table: str, rank: str) -> str:
    return (
        f"INSERT INTO search_posting (kind, word, rank, doc) SELECT {kind}, w, {rank.format(row='t')}, t.id"
        f" FROM {table} t, unnest(tsvector_to_array(t.search_vector)) AS w WHERE length(w) <= {MAX_WORD}"
        " ORDER BY 1, 2, 3 DESC, 4;"
    )


FILL = "".join(fill_postings(*kind) for kind in KINDS)
COUNT_TERMS = """
INSERT INTO search_term (kind, word, docs, top_rank)
SELECT kind, word, count(*), max(rank) FROM search_posting GROUP BY kind, word;
"""


def posting_trigger(kind: int, table: str, rank: str) -> tuple[str, str]:
    """The row trigger keeping one table's postings exact, and its undoing."""
    function = f"hm_{table}_postings"
    forward = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_words text[] := '{{}}';
    new_words text[] := '{{}}';
    old_rank integer;
    new_rank integer;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_words := tsvector_to_array(OLD.search_vector);
        old_rank := {rank.format(row="OLD")};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_words := ARRAY(SELECT w FROM unnest(tsvector_to_array(NEW.search_vector)) AS w WHERE length(w) <= {MAX_WORD});
        new_rank := {rank.format(row="NEW")};
    END IF;
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_posting
         WHERE kind = {kind} AND word = ANY(old_words) AND rank = old_rank AND doc = OLD.id
           AND (new_rank IS DISTINCT FROM old_rank OR word <> ALL(new_words));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_posting (kind, word, rank, doc)
        SELECT {kind}, w, new_rank, NEW.id FROM unnest(new_words) AS w
         WHERE new_rank IS DISTINCT FROM old_rank OR w <> ALL(old_words);
        -- New words join the vocabulary without waiting on anyone (DO NOTHING takes no lock);
        -- a known word's top rank is raised only when this document beats it.
        INSERT INTO search_term (kind, word, docs, top_rank)
        SELECT {kind}, w, 1, new_rank FROM unnest(new_words) AS w ORDER BY w
        ON CONFLICT DO NOTHING;
        UPDATE search_term SET top_rank = new_rank
         WHERE kind = {kind} AND word = ANY(new_words) AND top_rank < new_rank;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION {function}_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_posting WHERE kind = {kind};
    DELETE FROM search_term WHERE kind = {kind};
    RETURN NULL;
END $$;

CREATE TRIGGER hm_postings_inserted AFTER INSERT ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
CREATE TRIGGER hm_postings_updated AFTER UPDATE ON {table}
    FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector
                       OR {rank.format(row="OLD")} <> {rank.format(row="NEW")})
    EXECUTE FUNCTION {function}();
CREATE TRIGGER hm_postings_deleted AFTER DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
CREATE TRIGGER hm_postings_truncated AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {function}_truncated();
"""
    backward = f"""
DROP TRIGGER hm_postings_truncated ON {table};
DROP TRIGGER hm_postings_deleted ON {table};
DROP TRIGGER hm_postings_updated ON {table};
DROP TRIGGER hm_postings_inserted ON {table};
DROP FUNCTION {function}_truncated();
DROP FUNCTION {function}();
"""
    return forward, backward


TRIGGERS = [posting_trigger(*kind) for kind in KINDS]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_vocabulary"),
        ("catalog", "0006_audio_pipeline"),
        ("collections_app", "0002_collection_recent_index"),
        ("users", "0002_oauth_exchange_code"),
    ]

    operations = [
        migrations.RunSQL(RANK_FUNCTION, "DROP FUNCTION hm_popularity_rank(bigint);"),
        migrations.RunSQL(TABLES, DROP_TABLES),
        migrations.RunSQL(FILL + COUNT_TERMS, migrations.RunSQL.noop),
        migrations.RunSQL(INDEXES, migrations.RunSQL.noop),
        *(migrations.RunSQL(forward, backward) for forward, backward in TRIGGERS),
    ]
