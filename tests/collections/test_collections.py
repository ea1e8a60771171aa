"""Every Collections row: visibility, type rules, ordered songs, idempotent edits, query counts."""

import pytest

from collections_app.models import Collection, CollectionSong
from tests.factories import ArtistFactory, CollectionFactory, SongFactory, UserFactory
from tests.helpers import assert_query_count, signed_in_client
from tests.media import image_file
from users.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def private_playlist(owner):
    return CollectionFactory(owner=owner, title="Nhạc buồn của tôi", visibility="Private", songs=[SongFactory()])


def test_list_item_shape(api_client, owner):
    playlist = CollectionFactory(owner=owner, title="Chill cuối tuần", thumbnail_url="https://cdn.example/c.jpg")
    body = api_client.get("/v1/collection").json()
    assert body["count"] == 1
    assert body["data"][0] == {
        "id": str(playlist.pk),
        "title": "Chill cuối tuần",
        "type": "Playlist",
        "thumbnailurl": "https://cdn.example/c.jpg",
        "visibility": "Public",
        "owner": {"id": str(owner.pk), "username": owner.username},
    }


def test_playlists_and_albums_lists(api_client):
    playlist = CollectionFactory(type="Playlist")
    mix = CollectionFactory(type="Mix")
    releases = {CollectionFactory(type=kind).pk for kind in ("Album", "EP", "Single")}
    assert [c["id"] for c in api_client.get("/v1/collection/playlists").json()["data"]] == [str(playlist.pk)]
    assert {c["id"] for c in api_client.get("/v1/collection/albums").json()["data"]} == {str(pk) for pk in releases}
    assert api_client.get("/v1/collection").json()["count"] == 5
    assert str(mix.pk) in {c["id"] for c in api_client.get("/v1/collection").json()["data"]}


@pytest.mark.parametrize("path", ["/v1/collection", "/v1/collection/playlists", "/v1/collection/albums"])
def test_list_query_counts_do_not_grow_with_page_size(api_client, path):
    CollectionFactory(type="Album")
    CollectionFactory(type="Playlist")
    assert_query_count(lambda: api_client.get(f"{path}?limit=1"), 2)
    for kind in ("Album", "Playlist") * 10:
        CollectionFactory(type=kind)
    assert_query_count(lambda: api_client.get(f"{path}?limit=20"), 2)


def test_detail_holds_songs_in_stored_order_with_a_fixed_query_count(api_client, owner):
    artists = [ArtistFactory(name="Đen Vâu"), ArtistFactory(name="MIN")]
    songs = [SongFactory(title=f"Bài {n}", artists=artists) for n in range(3)]
    playlist = CollectionFactory(owner=owner, songs=[songs[2], songs[0], songs[1]])
    body = assert_query_count(lambda: api_client.get(f"/v1/collection/{playlist.pk}"), 3).json()["data"]
    assert [entry["song"]["id"] for entry in body["songs"]] == [str(songs[2].pk), str(songs[0].pk), str(songs[1].pk)]
    assert body["songs"][0]["song"]["artists"] == [{"id": str(a.pk), "name": a.name} for a in artists]
    assert body["owner"] == {
        "id": str(owner.pk),
        "username": owner.username,
        "avatarurl": "http://testserver/static/defaults/user.png",
        "role": "User",
    }
    assert set(body) >= {"description", "created_at", "thumbnailurl", "visibility", "type"}
    big = CollectionFactory(owner=owner, songs=[SongFactory(artists=artists) for _ in range(15)])
    assert len(assert_query_count(lambda: api_client.get(f"/v1/collection/{big.pk}"), 3).json()["data"]["songs"]) == 15


# --- private collections --------------------------------------------------------------------------


def test_private_collections_are_invisible_to_others(api_client, client_as, owner, private_playlist):
    stranger = client_as(Role.USER)
    for client in (api_client, stranger):
        assert client.get(f"/v1/collection/{private_playlist.pk}").status_code == 404
        for path in ("/v1/collection", "/v1/collection/playlists"):
            assert str(private_playlist.pk) not in {c["id"] for c in client.get(path).json()["data"]}
    song = SongFactory()
    assert stranger.post(f"/v1/collection/{private_playlist.pk}/songs/{song.pk}").status_code == 404
    assert stranger.post(f"/v1/collection/{private_playlist.pk}", {"title": "x"}).status_code == 404
    assert stranger.delete(f"/v1/collection/{private_playlist.pk}").status_code == 404


def test_owner_and_admins_see_private_collections(client_as, owner, private_playlist):
    assert signed_in_client(owner).get(f"/v1/collection/{private_playlist.pk}").status_code == 200
    assert str(private_playlist.pk) in {c["id"] for c in signed_in_client(owner).get("/v1/collection").json()["data"]}
    assert client_as(Role.ADMIN).get(f"/v1/collection/{private_playlist.pk}").status_code == 200


# --- writing ------------------------------------------------------------------------------------


def test_listener_creates_a_private_playlist_with_case_insensitive_enums(owner):
    response = signed_in_client(owner).post(
        "/v1/collection",
        {"title": "Đi làm", "type": "playlist", "visibility": "PRIVATE", "file": image_file()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["type"] == "Playlist" and data["visibility"] == "Private" and data["songs"] == []
    collection = Collection.objects.get(pk=data["id"])
    assert collection.owner == owner and collection.thumbnail.name == f"collections/{collection.pk}/thumbnail.png"


def test_defaults_are_a_public_playlist(owner):
    data = signed_in_client(owner).post("/v1/collection", {"title": "Mặc định"}).json()["data"]
    assert (data["type"], data["visibility"]) == ("Playlist", "Public")


@pytest.mark.parametrize("kind", ["Album", "EP", "Single"])
def test_releases_need_an_admin_or_artist_manager(client_as, kind):
    assert client_as(Role.USER).post("/v1/collection", {"title": "X", "type": kind}).status_code == 403
    assert client_as(Role.ARTIST_MANAGER).post("/v1/collection", {"title": "X", "type": kind}).status_code == 201
    assert client_as(Role.ADMIN).post("/v1/collection", {"title": "X", "type": kind}).status_code == 201
    assert Collection.objects.filter(type=kind).count() == 2


def test_a_listener_cannot_turn_a_playlist_into_an_album(owner):
    playlist = CollectionFactory(owner=owner)
    assert signed_in_client(owner).post(f"/v1/collection/{playlist.pk}", {"type": "Album"}).status_code == 403
    playlist.refresh_from_db()
    assert playlist.type == "Playlist"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": "X", "type": "Podcast"}, "type"),
        ({"title": "X", "visibility": "Friends"}, "visibility"),
    ],
)
def test_create_validation(owner, body, field):
    response = signed_in_client(owner).post("/v1/collection", body)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_create_needs_a_signed_in_user(api_client):
    assert api_client.post("/v1/collection", {"title": "X"}).status_code == 401


@pytest.mark.parametrize("method", ["post", "patch"])
def test_owner_updates_others_cannot(owner, client_as, method):
    playlist = CollectionFactory(owner=owner, description="cũ")
    response = getattr(signed_in_client(owner), method)(f"/v1/collection/{playlist.pk}", {"title": "Mới"})
    assert response.status_code == 200 and response.json()["data"]["title"] == "Mới"
    assert response.json()["data"]["description"] == "cũ"
    assert (
        getattr(client_as(Role.USER), method)(f"/v1/collection/{playlist.pk}", {"title": "Hijack"}).status_code == 403
    )
    assert (
        getattr(client_as(Role.ADMIN), method)(f"/v1/collection/{playlist.pk}", {"title": "Admin"}).status_code == 200
    )


def test_delete_answers_the_contracts_message(owner, client_as):
    playlist = CollectionFactory(owner=owner)
    assert client_as(Role.USER).delete(f"/v1/collection/{playlist.pk}").status_code == 403
    response = signed_in_client(owner).delete(f"/v1/collection/{playlist.pk}")
    assert response.status_code == 200 and response.json() == {"message": f"Collection {playlist.pk} is being deleted"}
    assert not Collection.objects.filter(pk=playlist.pk).exists()


def uploaded_thumbnail(owner, settings, capture_on_commit):
    """A playlist of `owner` with an uploaded picture, and the picture's path on disk."""
    with capture_on_commit(execute=True):
        data = signed_in_client(owner).post(
            "/v1/collection", {"title": "Ảnh", "file": image_file()}, format="multipart"
        )
    playlist = Collection.objects.get(pk=data.json()["data"]["id"])
    picture = settings.MEDIA_ROOT / playlist.thumbnail.name
    assert picture.exists()
    return playlist, picture


def test_a_deleted_playlists_picture_goes_once_the_deletion_is_committed(
    owner, settings, django_capture_on_commit_callbacks
):
    playlist, picture = uploaded_thumbnail(owner, settings, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert signed_in_client(owner).delete(f"/v1/collection/{playlist.pk}").status_code == 200
    assert picture.exists()  # a rolled-back deletion keeps its picture
    for callback in pending:
        callback()
    assert not picture.exists()


def test_an_accounts_deletion_takes_its_playlists_pictures(
    owner, client_as, settings, django_capture_on_commit_callbacks
):
    _, picture = uploaded_thumbnail(owner, settings, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_as(Role.ADMIN).delete(f"/v1/user/{owner.pk}").status_code == 204
    assert not picture.exists()


def test_adding_appends_and_adding_twice_changes_nothing(owner):
    first, second = SongFactory(), SongFactory()
    playlist = CollectionFactory(owner=owner, songs=[first])
    client = signed_in_client(owner)
    assert client.post(f"/v1/collection/{playlist.pk}/songs/{second.pk}").status_code == 204
    assert client.post(f"/v1/collection/{playlist.pk}/songs/{first.pk}").status_code == 204
    entries = list(
        CollectionSong.objects.filter(collection=playlist).order_by("position").values_list("song_id", flat=True)
    )
    assert entries == [first.pk, second.pk]


def test_removing_is_idempotent(owner):
    song = SongFactory()
    playlist = CollectionFactory(owner=owner, songs=[song])
    client = signed_in_client(owner)
    assert client.delete(f"/v1/collection/{playlist.pk}/songs/{song.pk}").status_code == 204
    assert client.delete(f"/v1/collection/{playlist.pk}/songs/{song.pk}").status_code == 204
    assert not CollectionSong.objects.filter(collection=playlist).exists()


def test_song_edits_need_the_owner_and_a_real_song(owner, client_as, api_client):
    playlist = CollectionFactory(owner=owner)
    song = SongFactory()
    assert api_client.post(f"/v1/collection/{playlist.pk}/songs/{song.pk}").status_code == 401
    assert client_as(Role.USER).post(f"/v1/collection/{playlist.pk}/songs/{song.pk}").status_code == 403
    missing = signed_in_client(owner).post(f"/v1/collection/{playlist.pk}/songs/6f1c9a4e-0000-4000-8000-000000000000")
    assert missing.status_code == 404


# --- albums on songs and artists -----------------------------------------------------------------


def test_song_detail_lists_the_releases_holding_it(api_client):
    song = SongFactory()
    album = CollectionFactory(type="Album", title="Sky Decade", songs=[song])
    CollectionFactory(type="Playlist", songs=[song])
    CollectionFactory(type="Single", visibility="Private", songs=[song])
    albums = api_client.get(f"/v1/song/{song.pk}").json()["data"]["albums"]
    assert albums == [
        {
            "album": {
                "id": str(album.pk),
                "title": "Sky Decade",
                "type": "Album",
                "thumbnailurl": "http://testserver/static/defaults/collection.png",
            }
        }
    ]


def test_artist_albums_are_releases_with_their_primary_songs(api_client):
    artist = ArtistFactory()
    own = CollectionFactory(type="EP", songs=[SongFactory(artists=[artist])])
    CollectionFactory(type="Album", songs=[SongFactory(artists=[ArtistFactory(), artist])])  # only featured there
    CollectionFactory(type="Playlist", songs=[SongFactory(artists=[artist])])
    body = assert_query_count(lambda: api_client.get(f"/v1/artist/{artist.pk}/albums"), 3).json()
    assert body["count"] == 1
    assert body["data"][0] == {
        "id": str(own.pk),
        "title": own.title,
        "thumbnailurl": "http://testserver/static/defaults/collection.png",
        "created_at": body["data"][0]["created_at"],
        "type": "EP",
    }
    for _ in range(12):
        CollectionFactory(type="Album", songs=[SongFactory(artists=[artist])])
    assert (
        len(assert_query_count(lambda: api_client.get(f"/v1/artist/{artist.pk}/albums?limit=13"), 3).json()["data"])
        == 13
    )
    assert api_client.get("/v1/artist/6f1c9a4e-0000-4000-8000-000000000000/albums").status_code == 404


def test_song_detail_query_count_does_not_grow_with_its_releases_or_artists(api_client):
    one = SongFactory()
    CollectionFactory(type="Album", songs=[one])
    many = SongFactory(artists=[ArtistFactory() for _ in range(4)])
    for n in range(6):
        CollectionFactory(type="Album" if n % 2 else "EP", songs=[many])
    small = assert_query_count(lambda: api_client.get(f"/v1/song/{one.pk}"), 3).json()["data"]
    large = assert_query_count(lambda: api_client.get(f"/v1/song/{many.pk}"), 3).json()["data"]
    assert len(small["albums"]) == 1 and len(large["albums"]) == 6 and len(large["artists"]) == 4


# --- the caller's own: /v1/user/me/playlists ---------------------------------------------


def test_my_playlists_are_mine_private_included(user):
    mine = {CollectionFactory(owner=user, visibility=v).pk for v in ("Public", "Private")}
    CollectionFactory()
    client = signed_in_client(user)
    body = assert_query_count(lambda: client.get("/v1/user/me/playlists"), 2).json()
    assert {c["id"] for c in body["data"]} == {str(pk) for pk in mine}
    assert set(body["data"][0]) == {"id", "title", "description", "thumbnailurl", "type", "visibility"}


def test_my_playlists_need_a_signed_in_user(api_client):
    assert api_client.get("/v1/user/me/playlists").status_code == 401
