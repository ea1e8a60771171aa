"""Search documents: accent-folded text, tsvectors and trigram indexes, kept current by PostgreSQL.

- `hm_fold(text)`: the project's accent and case folding (see search/folding.py, whose table this is),
  the same on PostgreSQL 15 and the embedded 18, with no `unaccent` extension.
- Generated columns `search_title`/`search_text`/`search_vector` on artists, collections and users:
  PostgreSQL recomputes them on every write, whatever writes (API, admin, bulk loads).
- Songs also match their artists' names and their releases' titles: `catalog_song.search_extra`,
  kept current by triggers on credits, artists, collection entries and collections. Bulk loaders may
  disable the triggers and run `manage.py search_rebuild` afterwards.
"""

from django.db import migrations

FOLD_FROM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹĐđÐðØøŁł̴̵̶̷̸̡̢̧̨̛̖̗̘̙̜̝̞̟̠̣̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ͏͓͔͕͖͙͚͐͑͒͗͛ͣͤͥͦͧͨͩͪͫͬͭͮͯ͘͜͟͢͝͞͠͡'
FOLD_TO = 'abcdefghijklmnopqrstuvwxyzaaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyyddddooll'

FOLD_FUNCTION = f"""
CREATE FUNCTION hm_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate($1, '{FOLD_FROM}', '{FOLD_TO}') $$;
"""

SONG_FUNCTIONS = """
CREATE FUNCTION hm_song_extra(song uuid) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT hm_fold(concat_ws(' ',
        (SELECT string_agg(a.name, ' ' ORDER BY sa."order", sa.id)
           FROM catalog_songartist sa JOIN catalog_artist a ON a.id = sa.artist_id
          WHERE sa.song_id = song),
        (SELECT string_agg(c.title, ' ' ORDER BY c.created_at, c.id)
           FROM collections_app_collectionsong cs JOIN collections_app_collection c ON c.id = cs.collection_id
          WHERE cs.song_id = song AND c.type IN ('Album', 'EP', 'Single') AND c.visibility = 'Public')))
    $$;

CREATE FUNCTION hm_refresh_songs(songs uuid[]) RETURNS void
    LANGUAGE sql
    AS $$
    UPDATE catalog_song s SET search_extra = coalesce(hm_song_extra(s.id), '')
     WHERE s.id = ANY(songs) AND s.search_extra IS DISTINCT FROM coalesce(hm_song_extra(s.id), '')
    $$;

CREATE FUNCTION hm_credit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM hm_refresh_songs(ARRAY[OLD.song_id]); END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM hm_refresh_songs(ARRAY[NEW.song_id]); END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION hm_artist_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hm_refresh_songs(ARRAY(SELECT song_id FROM catalog_songartist WHERE artist_id = NEW.id));
    RETURN NULL;
END $$;

CREATE FUNCTION hm_collection_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hm_refresh_songs(ARRAY(SELECT song_id FROM collections_app_collectionsong WHERE collection_id = NEW.id));
    RETURN NULL;
END $$;
"""

DROP_SONG_FUNCTIONS = """
DROP FUNCTION hm_collection_changed();
DROP FUNCTION hm_artist_renamed();
DROP FUNCTION hm_credit_changed();
DROP FUNCTION hm_refresh_songs(uuid[]);
DROP FUNCTION hm_song_extra(uuid);
"""


def documents(table: str, column: str) -> tuple[str, str]:
    """Folded text, its tsvector and both GIN indexes for a one-field document."""
    forward = f"""
    ALTER TABLE {table}
        ADD COLUMN search_text text GENERATED ALWAYS AS (hm_fold({column})) STORED,
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', hm_fold({column}))) STORED;
    CREATE INDEX {table}_search_vector_idx ON {table} USING gin (search_vector);
    CREATE INDEX {table}_search_trgm_idx ON {table} USING gin (search_text gin_trgm_ops);
    """
    backward = f"ALTER TABLE {table} DROP COLUMN search_vector, DROP COLUMN search_text;"
    return forward, backward


SONGS = """
ALTER TABLE catalog_song
    ADD COLUMN search_extra text NOT NULL DEFAULT '',
    ADD COLUMN search_title text GENERATED ALWAYS AS (hm_fold(title)) STORED,
    ADD COLUMN search_text text GENERATED ALWAYS AS (hm_fold(title) || ' ' || search_extra) STORED,
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', hm_fold(title)), 'A') || setweight(to_tsvector('simple', search_extra), 'B')
    ) STORED;
CREATE INDEX catalog_song_search_vector_idx ON catalog_song USING gin (search_vector);
CREATE INDEX catalog_song_search_trgm_idx ON catalog_song USING gin (search_text gin_trgm_ops);
"""
FILL_SONGS = "UPDATE catalog_song s SET search_extra = coalesce(hm_song_extra(s.id), '');"
DROP_SONGS = "ALTER TABLE catalog_song DROP COLUMN search_vector, DROP COLUMN search_text, DROP COLUMN search_title, DROP COLUMN search_extra;"

TRIGGERS = """
CREATE TRIGGER hm_credit_changed AFTER INSERT OR UPDATE OR DELETE ON catalog_songartist
    FOR EACH ROW EXECUTE FUNCTION hm_credit_changed();
CREATE TRIGGER hm_artist_renamed AFTER UPDATE OF name ON catalog_artist
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION hm_artist_renamed();
CREATE TRIGGER hm_entry_changed AFTER INSERT OR UPDATE OR DELETE ON collections_app_collectionsong
    FOR EACH ROW EXECUTE FUNCTION hm_credit_changed();
CREATE TRIGGER hm_collection_changed AFTER UPDATE OF title, type, visibility ON collections_app_collection
    FOR EACH ROW EXECUTE FUNCTION hm_collection_changed();
"""
DROP_TRIGGERS = """
DROP TRIGGER hm_collection_changed ON collections_app_collection;
DROP TRIGGER hm_entry_changed ON collections_app_collectionsong;
DROP TRIGGER hm_artist_renamed ON catalog_artist;
DROP TRIGGER hm_credit_changed ON catalog_songartist;
"""

ARTISTS = documents("catalog_artist", "name")
COLLECTIONS = documents("collections_app_collection", "title")
USERS = documents("users_user", "username")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_pg_trgm"),
        ("catalog", "0002_follow_listenhistory"),
        ("collections_app", "0001_initial"),
        ("users", "0002_oauth_exchange_code"),
    ]

    operations = [
        migrations.RunSQL(FOLD_FUNCTION, "DROP FUNCTION hm_fold(text);"),
        migrations.RunSQL(ARTISTS[0], ARTISTS[1]),
        migrations.RunSQL(COLLECTIONS[0], COLLECTIONS[1]),
        migrations.RunSQL(USERS[0], USERS[1]),
        migrations.RunSQL(SONGS, DROP_SONGS),
        migrations.RunSQL(SONG_FUNCTIONS, DROP_SONG_FUNCTIONS),
        migrations.RunSQL(FILL_SONGS, migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
