"""Posting lists of word pairs: two words next to each other in a document ("lac troi").

Typing a title or a name, words are typed in their order; two common words that rarely meet
("tim minh", of a million songs holding either) are a short list as a pair, where intersecting
their single-word lists costs as much as both lists are long. A pair is a "word" with a space
in `search_posting` and `search_term`, kept by the same triggers: `hm_search_words(vector)` is
every word of a document and every pair of neighbours (by their positions in the vector).
The first-letter indexes of the vocabulary keep to single words.
"""

from django.db import migrations

KINDS = [
    (1, "catalog_song", "hm_popularity_rank({row}.views)"),
    (2, "catalog_artist", "0"),
    (3, "collections_app_collection", "0"),
    (4, "users_user", "0"),
]

FUNCTIONS = """
CREATE FUNCTION hm_word_pairs(v tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT ARRAY(
        SELECT DISTINCT a.lexeme || ' ' || b.lexeme
          FROM unnest(v) a, unnest(a.positions) pa, unnest(v) b, unnest(b.positions) pb
         WHERE pb = pa + 1 AND length(a.lexeme) + length(b.lexeme) < 200
    )
    $$;

CREATE FUNCTION hm_search_words(v tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ARRAY(SELECT w FROM unnest(tsvector_to_array(v)) AS w WHERE length(w) <= 200) || hm_word_pairs(v) $$;
"""
DROP_FUNCTIONS = "DROP FUNCTION hm_search_words(tsvector); DROP FUNCTION hm_word_pairs(tsvector);"


def posting_function(kind: int, table: str, rank: str, words: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION hm_{table}_postings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_words text[] := '{{}}';
    new_words text[] := '{{}}';
    old_rank integer;
    new_rank integer;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_words := {words.format(vector="OLD.search_vector")};
        old_rank := {rank.format(row="OLD")};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_words := {words.format(vector="NEW.search_vector")};
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
"""


WITH_PAIRS = "".join(posting_function(*kind, words="hm_search_words({vector})") for kind in KINDS)
WITHOUT_PAIRS = "".join(
    posting_function(
        *kind, words="ARRAY(SELECT w FROM unnest(tsvector_to_array({vector})) AS w WHERE length(w) <= 200)"
    )
    for kind in KINDS
)

# Built again after the fill: far faster than growing it by tens of millions of rows.
FILL = (
    "DROP INDEX search_posting_walk_idx;"
    + "".join(
        f"INSERT INTO search_posting (kind, word, rank, doc) SELECT {kind}, w, {rank.format(row='t')}, t.id"
        f" FROM {table} t, unnest(hm_word_pairs(t.search_vector)) AS w ORDER BY 1, 2, 3 DESC, 4;"
        for kind, table, rank in KINDS
    )
    + "CREATE INDEX search_posting_walk_idx ON search_posting (kind, word, rank DESC, doc);"
    + """
INSERT INTO search_term (kind, word, docs, top_rank)
SELECT kind, word, count(*), max(rank) FROM search_posting WHERE strpos(word, ' ') > 0 GROUP BY kind, word
ON CONFLICT DO NOTHING;
"""
)
UNFILL = (
    "DELETE FROM search_posting WHERE strpos(word, ' ') > 0; DELETE FROM search_term WHERE strpos(word, ' ') > 0;"
)

SINGLE_WORD_INDEXES = """
DROP INDEX search_term_first_letter_idx;
DROP INDEX search_term_first_two_idx;
CREATE INDEX search_term_first_letter_idx ON search_term (kind, left(word, 1), top_rank DESC, docs DESC)
    WHERE strpos(word, ' ') = 0;
CREATE INDEX search_term_first_two_idx ON search_term (kind, left(word, 2), top_rank DESC, docs DESC)
    WHERE strpos(word, ' ') = 0;
"""
ANY_WORD_INDEXES = """
DROP INDEX search_term_first_letter_idx;
DROP INDEX search_term_first_two_idx;
CREATE INDEX search_term_first_letter_idx ON search_term (kind, left(word, 1), top_rank DESC, docs DESC);
CREATE INDEX search_term_first_two_idx ON search_term (kind, left(word, 2), top_rank DESC, docs DESC);
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0006_title_prefix_indexes")]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.RunSQL(WITH_PAIRS, WITHOUT_PAIRS),
        migrations.RunSQL(SINGLE_WORD_INDEXES, ANY_WORD_INDEXES),
        migrations.RunSQL(FILL, UNFILL),
    ]
