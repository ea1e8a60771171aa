"""The posting lists behind type-ahead: exact after every write path, in popularity order."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import services as catalog_services
from catalog.models import Play, Song
from collections_app import services as collection_services
from search import selectors
from search.services import KINDS, search_terms_refresh
from tests.factories import ArtistFactory, CollectionFactory, SongFactory, UserFactory

pytestmark = pytest.mark.django_db

# What the posting lists must hold: a row per word (and pair of neighbouring words) of each
# document, with its rank.
EXPECTED = " UNION ALL ".join(
    f"SELECT {kind}::smallint AS kind, w AS word, {rank} AS rank, t.id AS doc"
    f" FROM {table} t, unnest(hm_search_words(t.search_vector)) AS w"
    for kind, table, rank in KINDS
)
DIFFERENCES = f"""
WITH expected AS ({EXPECTED})
SELECT 'missing', * FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM search_posting) m
UNION ALL
SELECT 'extra', * FROM (SELECT * FROM search_posting EXCEPT ALL SELECT * FROM expected) e
"""


def assert_postings_exact():
    with connection.cursor() as cursor:
        cursor.execute(DIFFERENCES)
        differences = cursor.fetchall()
    assert differences == [], differences[:10]


def postings_of(doc) -> set[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, rank FROM search_posting WHERE doc = %s", [doc])
        return set(cursor.fetchall())


def song_ids(client, term: str, **extra) -> list[str]:
    response = client.get(f"/v1/search/{quote(term, safe='')}/songs", HTTP_CACHE_CONTROL="no-cache", **extra)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["data"]["songs"]]


def test_song_create_rename_and_delete_through_the_services(api_client, admin_user):
    artist = ArtistFactory(name="Ca Sĩ Mới")
    song = catalog_services.song_create(user=admin_user, title="Bình Minh Xanh", artist_ids=[artist.pk])
    assert {word for word, _ in postings_of(song.pk)} == {
        *("binh", "minh", "xanh", "ca", "si", "moi"),
        *("binh minh", "minh xanh", "xanh ca", "ca si", "si moi"),  # neighbours, title then artists
    }
    assert str(song.pk) in song_ids(api_client, "binh m")

    catalog_services.song_update(song=song, user=admin_user, data={"title": "Hoàng Hôn Tím"})
    assert {word for word, _ in postings_of(song.pk) if " " not in word} == {"hoang", "hon", "tim", "ca", "si", "moi"}
    assert {"hoang hon", "hon tim"} <= {word for word, _ in postings_of(song.pk)}
    assert str(song.pk) in song_ids(api_client, "hoang h") and str(song.pk) not in song_ids(api_client, "binh m")
    assert_postings_exact()

    catalog_services.song_delete(song=song)
    assert postings_of(song.pk) == set()
    assert_postings_exact()


def test_credits_artists_collections_and_users_keep_their_postings(admin_user):
    artist = ArtistFactory(name="Người Cũ")
    song = SongFactory(title="Khúc Ca", artists=[artist])
    catalog_services.artist_update(artist=artist, data={"name": "Nghệ Danh"})
    assert "nghe" in {word for word, _ in postings_of(song.pk)}
    album = collection_services.collection_create(user=admin_user, title="Mùa Hạ", type="Album")
    collection_services.collection_add_song(collection=album, song=song)
    assert "mua" in {word for word, _ in postings_of(song.pk)}
    collection_services.collection_update(collection=album, user=admin_user, data={"title": "Mùa Đông"})
    assert {"mua", "dong"} <= {word for word, _ in postings_of(album.pk)}
    collection_services.collection_remove_song(collection=album, song=song)
    assert "dong" not in {word for word, _ in postings_of(song.pk)}
    user = UserFactory(username="Thính Giả")
    assert {word for word, _ in postings_of(user.pk)} == {"thinh", "gia", "thinh gia"}
    collection_services.collection_delete(collection=album)
    catalog_services.artist_delete(artist=artist)
    assert_postings_exact()


def test_folded_plays_move_a_song_up_the_lists(api_client):
    artist = ArtistFactory()
    quiet = SongFactory(title="Giọt Nắng", views=10, artists=[artist])
    loud = SongFactory(title="Giọt Sương", views=1000, artists=[artist])
    assert song_ids(api_client, "g")[:2] == [str(loud.pk), str(quiet.pk)]
    Play.objects.bulk_create(Play(song=quiet, played_at="2025-01-01T00:00:00Z") for _ in range(5000))
    assert catalog_services.plays_fold() == 5000
    assert {rank for _, rank in postings_of(quiet.pk)} == {selectors_rank(5010)}
    assert song_ids(api_client, "g")[:2] == [str(quiet.pk), str(loud.pk)]
    assert_postings_exact()


def selectors_rank(views: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT hm_popularity_rank(%s)", [views])
        return cursor.fetchone()[0]


def postings_written() -> int:
    """Posting rows written by this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables WHERE relname = 'search_posting'"
        )
        return cursor.fetchone()[0]


def test_small_changes_of_views_leave_the_postings_alone():
    song = SongFactory(title="Ngày Mai", views=100_000)
    before = postings_written()
    Song.objects.filter(pk=song.pk).update(views=100_001)  # the same rank: no posting rewritten
    assert postings_written() == before
    Song.objects.filter(pk=song.pk).update(views=200_000)  # a rank further: each posting rewritten
    assert postings_written() == before + 2 * len(postings_of(song.pk))
    assert_postings_exact()


def test_the_vocabulary_learns_new_words_at_once_and_recounts_them_by_job():
    SongFactory(title="Quasar Tím", views=50)
    SongFactory(title="Quasar Xanh", views=70_000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT docs, top_rank FROM search_term WHERE kind = 1 AND word = 'quasar'")
        docs, top_rank = cursor.fetchone()
        assert docs == 1 and top_rank == selectors_rank(70_000)  # known at once, counted later
        search_terms_refresh()
        cursor.execute("SELECT docs, top_rank FROM search_term WHERE kind = 1 AND word = 'quasar'")
        assert cursor.fetchone() == (2, selectors_rank(70_000))
    Song.objects.filter(title__startswith="Quasar").delete()
    search_terms_refresh()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_term WHERE kind = 1 AND word = 'quasar'")
        assert cursor.fetchone()[0] == 0


def test_rebuild_command_restores_postings():
    song = SongFactory(title="Bài Gốc")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_posting WHERE doc = %s", [song.pk])
        cursor.execute("INSERT INTO search_posting VALUES (1, 'rac', 0, %s)", [CollectionFactory().pk])
    call_command("search_rebuild", verbosity=0)
    assert_postings_exact()


def posting_rows_read(plan: dict) -> int:
    own = (
        plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1) if plan.get("Relation Name") == "search_posting" else 0
    )
    return own + sum(posting_rows_read(child) for child in plan.get("Plans", []))


def test_a_common_prefix_reads_no_more_postings_than_it_keeps():
    """The cost of a one-letter prefix does not grow with how many documents it matches."""
    artist = ArtistFactory(name="Ban Nhạc")
    for n in range(2 * selectors.SONGS.walked + 100):
        SongFactory(title=f"Sóng {n}", views=n, artists=[artist])
    with CaptureQueriesContext(connection) as captured:
        ids, count = selectors.ranked_ids(selectors.SONGS, selectors.Query.parse("s"), user=AnonymousUser(), limit=5)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + captured.captured_queries[-1]["sql"])
        plan = cursor.fetchone()[0][0]["Plan"]
    assert posting_rows_read(plan) <= selectors.SONGS.walked + selectors.COMPLETIONS
    assert count == selectors.COUNT_CAP
    assert [Song.objects.get(pk=pk).views for pk in ids] == [499, 498, 497, 496, 495]


def test_words_typed_next_to_each_other_are_found_through_their_pair(api_client):
    """Two common words that rarely meet: their pair's short list finds the documents holding them
    next to each other, instead of intersecting both long lists."""
    artist = ArtistFactory(name="Dàn Nhạc")
    for n in range(300):
        SongFactory(title=f"Alpha {n}", views=n, artists=[artist])
        SongFactory(title=f"Beta {n}", views=n, artists=[artist])
    together = [SongFactory(title="Alpha Beta Gamma", views=views, artists=[artist]) for views in (5, 7)]
    SongFactory(title="Beta Gamma Alpha", views=9, artists=[artist])  # both words, not next to each other
    search_terms_refresh()
    for term in ("alpha beta", "alpha bet"):
        plan = selectors.Plan.choose(selectors.SONGS, selectors.Query.parse(term))
        assert plan.way == "phrase", (term, plan)
        assert song_ids(api_client, term) == [str(together[1].pk), str(together[0].pk)]
    # Words apart are still found when no document holds them next to each other.
    assert len(song_ids(api_client, "gamma alpha")) == 3
