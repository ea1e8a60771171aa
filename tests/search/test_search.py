"""Search endpoints: shapes, visibility, hostile input, document upkeep, caching and query counts."""

from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.models import Artist, Relation, Song, SongArtist
from collections_app.models import CollectionSong
from hustmusik.folding import COMBINING_MARKS, FOLD_FROM, fold
from tests.factories import ArtistFactory, CollectionFactory, SongFactory, UserFactory
from tests.helpers import assert_query_count, signed_in_client
from tests.search import catalogue

pytestmark = pytest.mark.django_db


def hits(response) -> list[dict]:
    """The items of a per-kind search page, under `data.<kind>` (the kind is the path's last segment)."""
    assert response.status_code == 200, response.content
    kind = response.wsgi_request.path.rstrip("/").rsplit("/", 1)[-1]
    return response.json()["data"][kind]


def ids(response) -> list[str]:
    return [item["id"] for item in hits(response)]


def test_sql_folding_matches_python_folding_for_every_letter():
    with connection.cursor() as cursor:
        cursor.execute("SELECT hm_fold(%s)", [FOLD_FROM + COMBINING_MARKS + "Sơn Tùng — M-TP 🎵"])
        assert cursor.fetchone()[0] == fold(FOLD_FROM + COMBINING_MARKS + "Sơn Tùng — M-TP 🎵")
    assert fold("ĐÊM ƯỚC Đường") == "dem uoc duong"


def test_default_search_has_every_kind(api_client):
    objects = catalogue.build()
    body = api_client.get("/v1/search/son").json()["data"]
    assert set(body) == {"songs", "artists", "albums", "playlists", "users"}
    assert str(objects["Sơn Tùng M-TP"].pk) in [a["id"] for a in body["artists"]]
    assert all(len(hits) <= 5 for hits in body.values())
    song = body["songs"][0]
    assert set(song) == {
        "id",
        "title",
        "thumbnailurl",
        "duration",
        "releasedate",
        "genre",
        "views",
        "artists",
        "audio_status",
    }
    assert set(song["artists"][0]) == {"id", "name"}


def test_per_kind_shapes(api_client):
    catalogue.build()
    assert set(hits(api_client.get("/v1/search/sky/albums"))[0]) == {
        "id",
        "title",
        "description",
        "thumbnailurl",
        "type",
        "owner",
    }
    assert set(hits(api_client.get("/v1/search/chill/playlists"))[0]) == {
        "id",
        "title",
        "type",
        "thumbnailurl",
        "visibility",
        "owner",
    }
    assert set(hits(api_client.get("/v1/search/den/artists"))[0]) == {"id", "name", "avatarurl"}
    assert set(hits(api_client.get("/v1/search/trang/users"))[0]) == {"id", "username", "avatarurl", "role"}


def test_hits_carry_their_items_values(api_client):
    owner = UserFactory(username="Chủ Sở Hữu")
    playlist = CollectionFactory(
        title="Giai Điệu Xanh", type="Playlist", owner=owner, thumbnail_url="https://a.vn/p.png"
    )
    album = CollectionFactory(title="Giai Điệu Vàng", type="EP", description="Năm bài.", owner=owner)
    artist = ArtistFactory(name="Giai Điệu Band", avatar_url="https://a.vn/a.png")
    listener = UserFactory(username="Giai Điệu Fan", role="Artist Manager")
    assert hits(api_client.get("/v1/search/giai dieu xanh/playlists"))[0] == {
        "id": str(playlist.pk),
        "title": "Giai Điệu Xanh",
        "type": "Playlist",
        "thumbnailurl": "https://a.vn/p.png",
        "visibility": "Public",
        "owner": {"id": str(owner.pk), "username": "Chủ Sở Hữu"},
    }
    found = hits(api_client.get("/v1/search/giai dieu vang/albums"))[0]
    assert found["id"] == str(album.pk) and found["description"] == "Năm bài." and found["type"] == "EP"
    assert hits(api_client.get("/v1/search/giai dieu band/artists"))[0] == {
        "id": str(artist.pk),
        "name": "Giai Điệu Band",
        "avatarurl": "https://a.vn/a.png",
    }
    user = hits(api_client.get("/v1/search/giai dieu fan/users"))[0]
    assert user["id"] == str(listener.pk) and user["username"] == "Giai Điệu Fan" and user["role"] == "Artist Manager"


@pytest.mark.parametrize("kind", ["songs", "artists", "albums", "playlists", "users"])
def test_per_kind_page_has_the_original_envelope(api_client, kind):
    """The list envelope with `data` = `{kind: [...]}` (and `kind: [...]`), as the web client reads it."""
    catalogue.build()
    term = {"songs": "son", "artists": "den", "albums": "sky", "playlists": "chill", "users": "trang"}[kind]
    body = api_client.get(f"/v1/search/{term}/{kind}?limit=2").json()
    assert set(body) == {"data", kind, "count", "page", "limit", "next", "previous", "total"}
    assert set(body["data"]) == {kind} and body["data"][kind] and body[kind] == body["data"][kind]
    assert body["page"] == 1 and body["limit"] == 2 and body["count"] >= len(body[kind])


def test_popularity_breaks_ties_and_order_is_deterministic(api_client):
    artist = ArtistFactory(name="Ca Sĩ")
    quiet = SongFactory(title="Mưa", views=1, artists=[artist])
    loud = SongFactory(title="Mưa", views=1000, artists=[artist])
    assert ids(api_client.get("/v1/search/mua/songs"))[:2] == [str(loud.pk), str(quiet.pk)]
    twins = [SongFactory(title="Gió", views=5, artists=[artist]) for _ in range(3)]
    expected = sorted(str(s.pk) for s in twins)
    assert ids(api_client.get("/v1/search/gio/songs", HTTP_CACHE_CONTROL="no-cache")) == expected


def test_pagination_and_count(api_client):
    artist = ArtistFactory()
    for n in range(12):
        SongFactory(title=f"Mùa Xuân {n}", artists=[artist])
    first = api_client.get("/v1/search/mua xuan/songs?limit=5").json()
    assert first["count"] == 12 and len(first["data"]["songs"]) == 5
    third = api_client.get("/v1/search/mua xuan/songs?limit=5&page=3").json()
    assert len(third["data"]["songs"]) == 2
    beyond = api_client.get("/v1/search/mua xuan/songs?limit=5&page=9").json()
    assert beyond["data"]["songs"] == [] and beyond["count"] == 12
    assert api_client.get("/v1/search/mua/songs?page=zero").status_code == 400


@pytest.mark.parametrize("kind", ["songs", "artists", "albums", "playlists", "users"])
def test_per_kind_query_count_is_independent_of_page_size(api_client, kind):
    owner = UserFactory(username="Chủ Nhân")
    artist = ArtistFactory(name="Nhóm Nhạc")
    for n in range(20):
        song = SongFactory(title=f"Nhạc {n}", artists=[artist, ArtistFactory(name=f"Nhạc sĩ {n}")])
        CollectionFactory(title=f"Nhạc tuyển {n}", type="Album" if n % 2 else "Playlist", owner=owner, songs=[song])
        UserFactory(username=f"Nhạc fan {n}")
    expected = {"songs": 4, "artists": 3, "albums": 3, "playlists": 3, "users": 3}[kind]  # + typo corrections
    small = assert_query_count(
        lambda: api_client.get(f"/v1/search/nhac/{kind}?limit=1", HTTP_CACHE_CONTROL="no-cache"), expected
    )
    large = assert_query_count(
        lambda: api_client.get(f"/v1/search/nhac/{kind}?limit=10", HTTP_CACHE_CONTROL="no-cache"), expected
    )
    assert len(hits(small)) == 1 and len(hits(large)) == 10


# --- visibility -------------------------------------------------------------------------------------


def test_private_collections_are_found_only_by_their_owner(api_client, client_as):
    owner = UserFactory()
    secret = CollectionFactory(title="Bí Mật Của Tôi", visibility="Private", owner=owner)
    for client in (api_client, signed_in_client(UserFactory())):
        assert str(secret.pk) not in ids(client.get("/v1/search/bi mat/playlists"))
        assert str(secret.pk) not in [c["id"] for c in client.get("/v1/search/bi mat").json()["data"]["playlists"]]
    assert str(secret.pk) in ids(signed_in_client(owner).get("/v1/search/bi mat/playlists"))
    assert str(secret.pk) in ids(client_as("Admin").get("/v1/search/bi mat/playlists"))


def test_private_albums_do_not_leak_into_song_matches():
    song = SongFactory(title="Bài Thường")
    CollectionFactory(title="Album Bí Mật", type="Album", visibility="Private", songs=[song])
    song.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_text FROM catalog_song WHERE id = %s", [song.pk])
        assert "bi mat" not in cursor.fetchone()[0]


# --- hostile input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term",
    [
        "+",
        "++son++tung++",
        '"',
        "'; DROP TABLE catalog_song; --",
        "%",
        "_",
        "\\",
        "\\\\%_",
        "100%",
        "a_b",
        "🎵🎶",
        "🎵 lạc",
        "x" * 500,
        "lạc " * 200,
        "&|!():*",
        "<%",
        "null",
        "   ",
        "日本語",
        "Ωμέγα",
        "\u0301\u0301",
    ],
)
@pytest.mark.parametrize("kind", ["", "/songs", "/artists", "/albums", "/playlists", "/users"])
def test_hostile_terms_are_answered_sensibly(api_client, term, kind):
    SongFactory(title="Lạc Trôi")
    response = api_client.get(f"/v1/search/{quote(term, safe='')}{kind}")
    assert response.status_code == 200, response.content
    assert "data" in response.json()


def test_a_term_with_a_slash_is_a_json_404_not_a_500(api_client):
    response = api_client.get("/v1/search/a/b/c/d")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- documents kept current on every write path -------------------------------------------------------


def test_renaming_an_artist_updates_their_songs_documents(api_client, client_as):
    artist = ArtistFactory(name="Tên Cũ")
    song = SongFactory(title="Bài Hát Bình Thường", artists=[artist])
    client_as("Admin").post(f"/v1/artist/{artist.pk}", {"name": "Nghệ Danh Mới"})
    assert str(song.pk) in ids(api_client.get("/v1/search/nghe danh moi/songs"))
    assert str(song.pk) not in ids(api_client.get("/v1/search/ten cu/songs"))


def test_credits_and_albums_added_in_bulk_are_searchable(api_client):
    song = Song.objects.create(title="Khúc Hát")
    artist = Artist.objects.create(name="Người Hát Rong")
    SongArtist.objects.bulk_create([SongArtist(song=song, artist=artist, relation=Relation.PRIMARY)])
    album = CollectionFactory(title="Hành Trình", type="Album")
    CollectionSong.objects.bulk_create([CollectionSong(collection=album, song=song, position=1)])
    assert str(song.pk) in ids(api_client.get("/v1/search/nguoi hat rong/songs"))
    assert str(song.pk) in ids(api_client.get("/v1/search/hanh trinh/songs"))
    album.title = "Chặng Đường"
    album.save()
    assert str(song.pk) in ids(api_client.get("/v1/search/chang duong/songs", HTTP_CACHE_CONTROL="no-cache"))


def test_rebuild_command_restores_documents():
    song = SongFactory(title="Bài Gốc", artists=[ArtistFactory(name="Ca Sĩ Gốc")])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_song SET search_extra = '' WHERE id = %s", [song.pk])
    call_command("search_rebuild", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_extra FROM catalog_song WHERE id = %s", [song.pk])
        assert cursor.fetchone()[0] == "ca si goc"


# --- caching -----------------------------------------------------------------------------------------


def test_answers_are_cached_and_no_cache_bypasses(api_client):
    SongFactory(title="Hoa Nở Không Màu")
    assert len(ids(api_client.get("/v1/search/hoa no/songs"))) == 1
    SongFactory(title="Hoa Nở Về Đêm")
    assert len(ids(api_client.get("/v1/search/hoa no/songs"))) == 1  # cached answer
    assert len(ids(api_client.get("/v1/search/hoa no/songs", HTTP_CACHE_CONTROL="no-cache"))) == 2
    assert len(ids(api_client.get("/v1/search/hoa no/songs"))) == 2  # the fresh answer was stored


@pytest.mark.parametrize("path", ["/v1/search/hoa no", "/v1/search/hoa no/songs"])
def test_a_cached_answer_costs_no_sql(api_client, path):
    """Type-ahead repeats itself: a cached answer must not even read the vocabulary."""
    SongFactory(title="Hoa Nở Không Màu")
    fresh = api_client.get(path)
    cached = assert_query_count(lambda: api_client.get(path.replace("hoa no", "Hoa  Nở")), 0)
    assert cached.json() == fresh.json()


def test_cached_answers_are_per_viewer(api_client):
    owner = UserFactory()
    CollectionFactory(title="Riêng Tư", visibility="Private", owner=owner)
    assert len(ids(signed_in_client(owner).get("/v1/search/rieng tu/playlists"))) == 1
    assert ids(api_client.get("/v1/search/rieng tu/playlists")) == []


def test_overview_query_count_does_not_grow_with_the_hits(api_client):
    def grow(n):
        owner = UserFactory(username=f"Nhạc fan {n}")
        artist = ArtistFactory(name=f"Nhạc sĩ {n}")
        song = SongFactory(title=f"Nhạc {n}", artists=[artist, ArtistFactory()])
        for kind in ("Album", "Playlist"):
            CollectionFactory(title=f"Nhạc tuyển {kind} {n}", type=kind, owner=owner, songs=[song])

    grow(0)
    few = assert_query_count(lambda: api_client.get("/v1/search/nhac", HTTP_CACHE_CONTROL="no-cache"), 12)
    for n in range(1, 12):
        grow(n)
    full = assert_query_count(lambda: api_client.get("/v1/search/nhac", HTTP_CACHE_CONTROL="no-cache"), 12)
    assert all(len(hits) <= 1 for hits in few.json()["data"].values())
    assert len(full.json()["data"]["songs"]) == 5 and len(full.json()["data"]["users"]) == 5


def test_search_and_the_collection_lists_agree_on_what_a_playlist_is(api_client):
    owner = UserFactory()
    playlist = CollectionFactory(title="Giai Điệu Chill", type="Playlist", owner=owner)
    mix = CollectionFactory(title="Giai Điệu Mix", type="Mix", owner=owner)
    listed = {c["id"] for c in api_client.get("/v1/collection/playlists").json()["data"]}
    found = set(ids(api_client.get("/v1/search/giai dieu/playlists")))
    assert listed == found == {str(playlist.pk)}
    assert str(mix.pk) in {c["id"] for c in api_client.get("/v1/collection").json()["data"]}


@pytest.mark.parametrize("path", ["/v1/search/hoa no", "/v1/search/hoa no/songs"])
def test_a_catalogue_write_retires_cached_search_answers(api_client, django_capture_on_commit_callbacks, path):
    def titles():
        body = api_client.get(path).json()["data"]
        return sorted(song["title"] for song in body["songs"])

    SongFactory(title="Hoa Nở Không Màu")
    assert titles() == ["Hoa Nở Không Màu"]
    with django_capture_on_commit_callbacks(execute=True):
        SongFactory(title="Hoa Nở Về Đêm")
    assert titles() == ["Hoa Nở Không Màu", "Hoa Nở Về Đêm"]


def test_a_collection_write_retires_cached_search_answers(api_client, django_capture_on_commit_callbacks):
    playlist = CollectionFactory(title="Nhạc Sáng")
    assert ids(api_client.get("/v1/search/nhac sang/playlists")) == [str(playlist.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        playlist.title = "Nhạc Tối"
        playlist.save()
    assert ids(api_client.get("/v1/search/nhac sang/playlists")) == []
