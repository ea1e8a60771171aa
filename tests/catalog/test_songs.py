"""Every Songs row of the contract: envelopes, filters, permissions, validation and query counts."""

import datetime

import pytest

from catalog.models import Relation, Song, SongArtist
from tests.factories import ArtistFactory, SongFactory, UserFactory
from tests.helpers import assert_query_count, signed_in_client
from tests.media import image_file
from users.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(role=Role.ARTIST_MANAGER)


@pytest.fixture
def managed_artist(manager):
    return ArtistFactory(name="Sơn Tùng M-TP", manager=manager)


# --- reading --------------------------------------------------------------------------------


def test_list_items_have_the_contract_shape_with_primary_artist_first(api_client):
    primary, featured = ArtistFactory(name="Đen Vâu"), ArtistFactory(name="Hoàng Thùy Linh")
    song = SongFactory(title="Bài Này Chill Phết", artists=[primary, featured], views=12)
    body = api_client.get("/v1/song").json()
    assert body["count"] == 1
    item = body["data"][0]
    assert item == {
        "id": str(song.pk),
        "title": "Bài Này Chill Phết",
        "thumbnailurl": "http://testserver/static/defaults/song.png",
        "duration": 215,
        "releasedate": song.release_date.isoformat(),
        "genre": "V-Pop",
        "views": 12,
        "artists": [
            {"artist": {"id": str(primary.pk), "name": "Đen Vâu"}, "id": str(primary.pk), "name": "Đen Vâu"},
            {
                "artist": {"id": str(featured.pk), "name": "Hoàng Thùy Linh"},
                "id": str(featured.pk),
                "name": "Hoàng Thùy Linh",
            },
        ],
        "audio_status": "none",
    }


def test_list_filters_by_genre_and_artist(api_client):
    artist = ArtistFactory()
    rap = SongFactory(genre="Rap", artists=[artist])
    SongFactory(genre="Ballad")
    featured_on = SongFactory(genre="Ballad", artists=[ArtistFactory(), artist])
    by_genre = api_client.get("/v1/song", {"genre": "rap"}).json()["data"]
    assert [s["id"] for s in by_genre] == [str(rap.pk)]
    by_artist = {s["id"] for s in api_client.get("/v1/song", {"artist": str(artist.pk)}).json()["data"]}
    assert by_artist == {str(rap.pk), str(featured_on.pk)}


@pytest.mark.parametrize(
    ("ordering", "key"),
    [
        ("views", "views"),
        ("-views", "views"),
        ("title", "title"),
        ("-title", "title"),
        ("releasedate", "releasedate"),
        ("-releasedate", "releasedate"),
    ],
)
def test_list_ordering(api_client, ordering, key):
    # Neither creation order (the default, newest first) nor its reverse is sorted by any key,
    # so only a working `ordering` passes.
    for title, views, year in [("Lạc Trôi", 10, 2018), ("Anh Ơi Ở Lại", 0, 2017), ("Hãy Trao Cho Anh", 20, 2019)]:
        SongFactory(title=title, views=views, release_date=datetime.date(year, 1, 1))
    unordered = [s[key] for s in api_client.get("/v1/song").json()["data"]]
    assert unordered not in (sorted(unordered), sorted(unordered, reverse=True))
    values = [s[key] for s in api_client.get("/v1/song", {"ordering": ordering}).json()["data"]]
    assert values == sorted(unordered, reverse=ordering.startswith("-"))


def test_unfiltered_list_is_newest_first_and_pages_never_overlap(api_client):
    songs = [SongFactory() for _ in range(5)]
    Song.objects.filter(pk__in=[s.pk for s in songs[:2]]).update(created_at=songs[2].created_at)  # ties
    pages = [api_client.get("/v1/song", {"limit": 2, "page": page}).json()["data"] for page in (1, 2, 3)]
    ids = [song["id"] for page in pages for song in page]
    assert sorted(ids) == sorted(str(s.pk) for s in songs)
    stored = {str(s.pk): s.created_at for s in Song.objects.all()}
    assert [stored[i] for i in ids] == sorted(stored.values(), reverse=True)


@pytest.mark.parametrize("query", [{"ordering": "password"}, {"artist": "not-a-uuid"}, {"limit": "x"}])
def test_bad_list_parameters_are_400(api_client, query):
    response = api_client.get("/v1/song", query)
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


def test_list_query_count_is_independent_of_page_size(api_client):
    SongFactory(artists=[ArtistFactory(), ArtistFactory()])
    assert_query_count(lambda: api_client.get("/v1/song?limit=1"), 3)
    for _ in range(20):
        SongFactory(artists=[ArtistFactory(), ArtistFactory()])
    response = assert_query_count(lambda: api_client.get("/v1/song?limit=20"), 3)
    assert len(response.json()["data"]) == 20


def test_detail_shape_and_query_count(api_client):
    primary = ArtistFactory(name="Mỹ Tâm", avatar_url="https://cdn.example/mytam.jpg")
    song = SongFactory(title="Đừng Hỏi Em", artists=[primary, ArtistFactory()])
    body = assert_query_count(lambda: api_client.get(f"/v1/song/{song.pk}"), 3).json()
    data = body["data"]
    assert data["id"] == str(song.pk) and data["title"] == "Đừng Hỏi Em"
    assert data["artists"][0] == {"id": str(primary.pk), "name": "Mỹ Tâm", "avatarurl": "https://cdn.example/mytam.jpg"}
    assert len(data["artists"]) == 2 and data["albums"] == []


def test_unknown_song_is_404(api_client):
    response = api_client.get("/v1/song/6f1c9a4e-0000-4000-8000-000000000000")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- creating ---------------------------------------------------------------------------------


def test_admin_creates_a_song_with_two_artists(client_as):
    primary, featured = ArtistFactory(), ArtistFactory()
    response = client_as(Role.ADMIN).post(
        "/v1/song",
        {
            "title": "Chúng Ta Của Hiện Tại",
            "artists": f"{primary.pk},{featured.pk}",
            "duration": 301,
            "releasedate": "2020-12-20T00:00:00Z",
            "genre": "V-Pop",
            "thumbnailurl": "https://cdn.example/ctcht.jpg",
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["releasedate"] == "2020-12-20" and data["thumbnailurl"] == "https://cdn.example/ctcht.jpg"
    credits = list(SongArtist.objects.filter(song_id=data["id"]).order_by("order").values_list("artist_id", "relation"))
    assert credits == [(primary.pk, Relation.PRIMARY), (featured.pk, Relation.FEATURED)]


def test_manager_of_the_primary_artist_creates_with_a_cover_file(manager, managed_artist):
    response = signed_in_client(manager).post(
        "/v1/song",
        {"title": "Lạc Trôi", "artists": str(managed_artist.pk), "file": image_file("x.webp", "WEBP")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    song = Song.objects.get(pk=response.json()["data"]["id"])
    assert song.thumbnail.name == f"songs/{song.pk}/thumbnail.webp"
    assert response.json()["data"]["thumbnailurl"] == f"http://testserver/media/songs/{song.pk}/thumbnail.webp"


def test_manager_cannot_publish_for_an_artist_they_do_not_manage(manager, managed_artist):
    other = ArtistFactory()
    response = signed_in_client(manager).post("/v1/song", {"title": "X", "artists": f"{other.pk},{managed_artist.pk}"})
    assert response.status_code == 403
    assert not Song.objects.exists()


def test_listeners_cannot_create_and_anonymous_gets_401(client_as, api_client):
    artist = ArtistFactory()
    assert client_as(Role.USER).post("/v1/song", {"title": "X", "artists": str(artist.pk)}).status_code == 403
    assert api_client.post("/v1/song", {"title": "X", "artists": str(artist.pk)}).status_code == 401


def test_unknown_artist_is_400_and_nothing_is_created(client_as):
    known = ArtistFactory()
    response = client_as(Role.ADMIN).post(
        "/v1/song", {"title": "X", "artists": f"{known.pk},6f1c9a4e-0000-4000-8000-000000000000"}
    )
    assert response.status_code == 400 and "artists" in response.json()["fields"]
    assert not Song.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"artists": "ID"}, "title"),
        ({"title": "X"}, "artists"),
        ({"title": "X", "artists": "not-an-id"}, "artists"),
        ({"title": "X", "artists": "ID", "duration": -5}, "duration"),
        ({"title": "X", "artists": "ID", "releasedate": "yesterday"}, "releasedate"),
        ({"title": "X", "artists": "ID", "thumbnailurl": "javascript:alert(1)"}, "thumbnailurl"),
        ({"title": "X", "artists": "ID", "thumbnailurl": "ftp://files.example/a.png"}, "thumbnailurl"),
        ({"title": "X", "artists": "ID,ID"}, "artists"),
    ],
)
def test_create_validation(client_as, body, field):
    artist = ArtistFactory()
    body = {k: v.replace("ID", str(artist.pk)) if isinstance(v, str) else v for k, v in body.items()}
    response = client_as(Role.ADMIN).post("/v1/song", body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not Song.objects.exists()


def test_a_text_file_is_not_a_cover(client_as):
    import io

    fake = io.BytesIO(b"<svg onload=alert(1)>")
    fake.name = "cover.png"
    artist = ArtistFactory()
    response = client_as(Role.ADMIN).post(
        "/v1/song", {"title": "X", "artists": str(artist.pk), "file": fake}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()["fields"]


# --- updating and deleting ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "patch"])
def test_manager_updates_their_song_partially_and_views_stay(manager, managed_artist, method):
    song = SongFactory(artists=[managed_artist], views=99, genre="Ballad")
    response = getattr(signed_in_client(manager), method)(
        f"/v1/song/{song.pk}", {"title": "Nơi Này Có Anh", "views": 10**9}
    )
    assert response.status_code == 200
    song.refresh_from_db()
    assert song.title == "Nơi Này Có Anh" and song.views == 99 and song.genre == "Ballad"


def test_featured_artists_manager_cannot_update(manager, managed_artist):
    song = SongFactory(artists=[ArtistFactory(), managed_artist])
    assert signed_in_client(manager).post(f"/v1/song/{song.pk}", {"title": "Hijack"}).status_code == 403


def test_update_can_replace_the_artists(client_as):
    song = SongFactory()
    new_primary = ArtistFactory()
    response = client_as(Role.ADMIN).patch(f"/v1/song/{song.pk}", {"artists": str(new_primary.pk)})
    assert response.status_code == 200
    assert [a["id"] for a in response.json()["data"]["artists"]] == [str(new_primary.pk)]


def test_delete_song_permissions(client_as, api_client, manager, managed_artist):
    song = SongFactory(artists=[managed_artist])
    assert api_client.delete(f"/v1/song/{song.pk}").status_code == 401
    assert client_as(Role.USER).delete(f"/v1/song/{song.pk}").status_code == 403
    assert client_as(Role.ARTIST_MANAGER).delete(f"/v1/song/{song.pk}").status_code == 403
    assert signed_in_client(manager).delete(f"/v1/song/{song.pk}").status_code == 204
    assert not Song.objects.filter(pk=song.pk).exists()
    assert client_as(Role.ADMIN).delete(f"/v1/song/{song.pk}").status_code == 404


# --- streaming and upload URLs -------------------------------------------------------------------


def test_stream_without_audio_is_404_audio_missing(api_client):
    song = SongFactory()
    response = api_client.get(f"/v1/song/{song.pk}/presigned/stream")
    assert response.status_code == 404 and response.json()["code"] == "audio_missing"
    song.refresh_from_db()
    assert song.views == 0


def test_upload_url_needs_the_songs_manager(client_as, api_client, manager, managed_artist):
    song = SongFactory(artists=[managed_artist])
    assert api_client.get(f"/v1/song/{song.pk}/presigned/upload").status_code == 401
    assert client_as(Role.ARTIST_MANAGER).get(f"/v1/song/{song.pk}/presigned/upload").status_code == 403
    response = signed_in_client(manager).get(f"/v1/song/{song.pk}/presigned/upload")
    assert response.status_code == 200
    assert response.json()["method"] == "PUT" and response.json()["headers"] == {"Content-Type": "audio/mpeg"}


def test_upload_url_is_rate_limited_per_song(client_as):
    admin = client_as(Role.ADMIN)
    song, other = SongFactory(), SongFactory()
    for _ in range(30):
        assert admin.get(f"/v1/song/{song.pk}/presigned/upload").status_code == 200
    limited = admin.get(f"/v1/song/{song.pk}/presigned/upload")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert admin.get(f"/v1/song/{other.pk}/presigned/upload").status_code == 200


def test_upload_url_refuses_a_non_audio_content_type(client_as):
    song = SongFactory()
    response = client_as(Role.ADMIN).get(f"/v1/song/{song.pk}/presigned/upload", {"content_type": "text/html"})
    assert response.status_code == 400 and "content_type" in response.json()["fields"]
