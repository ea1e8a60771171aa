"""The admin area's browser-direct calls (app/admin/components/*, components/dialogs/*).

They are built with `Authorization: Bearer ${getCookie('session_token')}`, and that cookie is
HttpOnly, so the header is `Bearer undefined`: reads answer as to anyone; writes are refused
with 401 (a client bug, listed in /tmp/webclient_client_bugs.md). Each refused write is also
replayed with a real admin token, to show the call itself is one the API serves.
"""

import pytest

from catalog.models import Artist, Song
from collections_app.models import Collection
from tests.factories import CollectionFactory, SongFactory, UserFactory
from tests.helpers import signed_in_client
from tests.media import image_file
from tests.webclient.conftest import BEARER_UNDEFINED, NO_CACHE, Browser
from tests.webclient.shapes import (
    ADMIN_ALBUMS,
    ADMIN_ARTISTS,
    ADMIN_PLAYLISTS,
    ADMIN_SEARCH_ALBUMS,
    ADMIN_SEARCH_ARTISTS,
    ADMIN_SEARCH_PLAYLISTS,
    ADMIN_SEARCH_SONGS,
    ADMIN_SEARCH_USERS,
    ADMIN_SONGS,
    ADMIN_SONGS_EDITABLE,
    ADMIN_USERS,
    COLLECTION_DETAIL,
    CREATED,
    DIALOG_SONG_SEARCH,
    ERROR,
    assert_image_urls_are_strings,
    parse,
)

pytestmark = pytest.mark.django_db

ADMIN_READ = {**BEARER_UNDEFINED, **NO_CACHE}


def as_admin_browser(admin) -> Browser:
    """The same browser call with the token the client cannot read: what a fixed client would send."""
    return Browser(signed_in_client(admin))


def assert_refused_unauthenticated(response):
    """401 in the contract's envelope, with the CORS header so the browser can read the message."""
    assert response.status_code == 401, response.content
    body = parse(ERROR, response.json())
    assert body["code"] == "not_authenticated"
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"


# --- users tab -------------------------------------------------------------------------------


def test_users_table(browser, catalogue):
    """app/admin/components/UsersTable.tsx: GET /v1/user?page=1&limit=10 with `Bearer undefined`,
    read as {data: [{id, username, role}], count}."""
    response = browser.get("/v1/user?page=1&limit=10", headers=BEARER_UNDEFINED)
    assert response.status_code == 200
    body = parse(ADMIN_USERS, response.json())
    assert body["count"] == 2
    assert {user["username"] for user in body["data"]} == {"Quản Trị", "Nguyễn Thu Trang"}
    assert_image_urls_are_strings(body)


def test_users_table_search(browser, catalogue):
    """app/admin/components/UsersTable.tsx: GET /v1/search/{raw term}/users with `Bearer undefined`,
    read as data.data.users (the raw term: `fetch` sends the space as %20)."""
    response = browser.get("/v1/search/thu trang/users", headers=BEARER_UNDEFINED)
    assert response.status_code == 200
    body = parse(ADMIN_SEARCH_USERS, response.json())
    assert [user["username"] for user in body["data"]["users"]] == ["Nguyễn Thu Trang"]


# --- artists tab -----------------------------------------------------------------------------


def test_artists_table(browser, catalogue):
    """app/admin/components/ArtistTable.tsx: GET /v1/artist?page=1&limit=10 with `Bearer undefined`,
    read as {data, count}; pages = ceil(count / 10)."""
    for n in range(9):
        Artist.objects.create(name=f"Ca sĩ {n}")
    first = parse(ADMIN_ARTISTS, browser.get("/v1/artist?page=1&limit=10", headers=BEARER_UNDEFINED).json())
    second = parse(ADMIN_ARTISTS, browser.get("/v1/artist?page=2&limit=10", headers=BEARER_UNDEFINED).json())
    assert first["count"] == second["count"] == 12
    assert len(first["data"]) == 10 and len(second["data"]) == 2
    assert not {a["id"] for a in first["data"]} & {a["id"] for a in second["data"]}


@pytest.mark.parametrize(
    "caller",
    [
        "ArtistTable.tsx",
        "AddSongDialog.tsx",
        "EditSongDialog.tsx (cache-control: no-cache)",
        "add-album.jsx",
    ],
)
def test_artist_search_of_the_admin_dialogs(browser, catalogue, caller):
    """app/admin/components/ArtistTable.tsx, components/dialogs/AddSongDialog.tsx, EditSongDialog.tsx, add-album.jsx:
    GET /v1/search/{raw term}/artists with `Bearer undefined` (EditSongDialog adds `cache-control: no-cache`),
    read as data.data.artists; the picked ids become the song's `artists` form field."""
    headers = ADMIN_READ if "no-cache" in caller else BEARER_UNDEFINED
    response = browser.get("/v1/search/Sơn Tùng/artists", headers=headers)
    assert response.status_code == 200
    body = parse(ADMIN_SEARCH_ARTISTS, response.json())
    assert body["data"]["artists"][0]["id"] == str(catalogue.son_tung.pk)


def test_delete_artist_from_the_browser(browser, catalogue, admin):
    """app/admin/components/ArtistTable.tsx deleteMutation: DELETE /v1/artist/{id} with `Bearer undefined` is
    refused (client bug: it cannot read its own token); the same call with the admin's token deletes."""
    path = f"/v1/artist/{catalogue.no_avatar.pk}"
    assert_refused_unauthenticated(browser.delete(path, headers=BEARER_UNDEFINED))
    assert Artist.objects.filter(pk=catalogue.no_avatar.pk).exists()
    assert as_admin_browser(admin).delete(path).status_code == 204
    assert not Artist.objects.filter(pk=catalogue.no_avatar.pk).exists()


def test_add_artist_from_the_browser(browser, admin):
    """components/dialogs/add-artist-dialog.tsx: POST /v1/artist, multipart name, description, country (upper-case
    alpha-2), file (the avatar), `Bearer undefined`: refused (client bug); with the admin's token it answers
    201 with a JSON body (the dialog calls response.json())."""

    def form():
        return {"name": "Hoàng Thùy Linh", "description": "Ca sĩ", "country": "VN", "file": image_file("htl.png")}

    assert_refused_unauthenticated(browser.post_form("/v1/artist", form(), headers=BEARER_UNDEFINED))
    assert not Artist.objects.filter(name="Hoàng Thùy Linh").exists()
    created = as_admin_browser(admin).post_form("/v1/artist", form())
    assert created.status_code == 201, created.content
    body = parse(CREATED, created.json())
    artist = Artist.objects.get(pk=body["data"]["id"])
    assert artist.country == "VN" and artist.avatar.name


# --- songs tab -------------------------------------------------------------------------------


def test_songs_table(browser, catalogue):
    """app/admin/components/SongsTable.tsx: GET /v1/song?page=1&limit=10 with `Bearer undefined` and
    `cache-control: no-cache`; rows read artists flat (a.name) and EditSongDialog.tsx nested (a.artist.id)."""
    response = browser.get("/v1/song?page=1&limit=10", headers=ADMIN_READ)
    assert response.status_code == 200
    body = parse(ADMIN_SONGS, response.json())
    parse(ADMIN_SONGS_EDITABLE, body)
    duet = next(song for song in body["data"] if song["title"] == "Đi Về Nhà")
    assert [artist["name"] for artist in duet["artists"]] == ["Đen Vâu", "Justatee"]
    assert [artist["artist"]["id"] for artist in duet["artists"]] == [artist["id"] for artist in duet["artists"]]


def test_songs_table_search_box(browser, catalogue):
    """app/admin/components/SongsTable.tsx: `&search=${search}` appended raw to /v1/song?page=&limit=10;
    accent-folded, combined with the pagination."""
    for n in range(11):
        SongFactory(title=f"Lạc Lối {n}", artists=[catalogue.den_vau])
    first = browser.get("/v1/song?page=1&limit=10&search=lac", headers=ADMIN_READ)
    assert first.status_code == 200
    first = parse(ADMIN_SONGS, first.json())
    second = parse(ADMIN_SONGS, browser.get("/v1/song?page=2&limit=10&search=lac", headers=ADMIN_READ).json())
    assert first["count"] == second["count"] == 12  # 11 "Lạc Lối" and "Lạc Trôi"
    titles = [song["title"] for song in first["data"] + second["data"]]
    assert len(titles) == 12 and all(title.startswith("Lạc") for title in titles)
    exact = parse(ADMIN_SONGS, browser.get("/v1/song?page=1&limit=10&search=lạc trôi", headers=ADMIN_READ).json())
    assert [song["title"] for song in exact["data"]] == ["Lạc Trôi"]


def test_songs_table_search_results(browser, catalogue):
    """app/admin/components/SongsTable.tsx: GET /v1/search/{raw term}/songs with `Bearer undefined`, rows from
    data.data.songs with flat artists."""
    response = browser.get("/v1/search/đi về nhà/songs", headers=BEARER_UNDEFINED)
    assert response.status_code == 200
    body = parse(ADMIN_SEARCH_SONGS, response.json())
    assert body["data"]["songs"][0]["title"] == "Đi Về Nhà"
    assert [a["name"] for a in body["data"]["songs"][0]["artists"]] == ["Đen Vâu", "Justatee"]


def test_delete_song_from_the_browser(browser, catalogue, admin):
    """app/admin/components/SongsTable.tsx deleteMutation: DELETE /v1/song/{id} with `Bearer undefined` and
    `cache-control: no-cache`: refused (client bug); the admin's token deletes (204: the body is ignored)."""
    path = f"/v1/song/{catalogue.di_ve_nha.pk}"
    assert_refused_unauthenticated(browser.delete(path, headers=ADMIN_READ))
    assert Song.objects.filter(pk=catalogue.di_ve_nha.pk).exists()
    assert as_admin_browser(admin).delete(path, headers=NO_CACHE).status_code == 204
    assert not Song.objects.filter(pk=catalogue.di_ve_nha.pk).exists()


# --- albums tab ------------------------------------------------------------------------------


def test_albums_table(browser, catalogue):
    """app/admin/components/AlbumsTable.tsx: GET /v1/collection/albums?page=1&limit=10 with
    `cache-control: no-cache` and no Authorization; a row opens EditAlbumDialog with type and visibility."""
    response = browser.get("/v1/collection/albums?page=1&limit=10", headers=NO_CACHE)
    assert response.status_code == 200
    body = parse(ADMIN_ALBUMS, response.json())
    assert [(a["title"], a["type"], a["visibility"]) for a in body["data"]] == [("Sky Decade", "Album", "Public")]


def test_albums_table_search(browser, catalogue):
    """app/admin/components/AlbumsTable.tsx: GET /v1/search/{raw term}/albums with `Bearer undefined`,
    read as data.data.albums."""
    response = browser.get("/v1/search/sky decade/albums", headers=BEARER_UNDEFINED)
    assert response.status_code == 200
    body = parse(ADMIN_SEARCH_ALBUMS, response.json())
    assert [album["title"] for album in body["data"]["albums"]] == ["Sky Decade"]


def test_edit_album_dialog_loads_the_album(browser, catalogue):
    """components/dialogs/EditAlbumDialog.tsx: the dialog loads the album with fetchAlbumById
    (app/api-fetch/album-by-id.ts): GET /v1/collection/{id}, `cache-control: no-cache`."""
    response = browser.get(f"/v1/collection/{catalogue.album.pk}", headers=NO_CACHE)
    parse(COLLECTION_DETAIL, response.json())


def test_edit_album_metadata_from_the_browser(browser, catalogue, admin):
    """components/dialogs/EditAlbumDialog.tsx editMutation: POST /v1/collection/{id}, multipart title, type,
    visibility (+ file when a new cover is chosen), `Bearer undefined`: refused (client bug); with the admin's
    token the same form updates the album."""
    path = f"/v1/collection/{catalogue.album.pk}"
    form = {"title": "Sky Decade (Deluxe)", "type": "EP", "visibility": "Private"}
    assert_refused_unauthenticated(browser.post_form(path, form, headers=BEARER_UNDEFINED))
    catalogue.album.refresh_from_db()
    assert catalogue.album.title == "Sky Decade"
    response = as_admin_browser(admin).post_form(path, {**form, "file": image_file("deluxe.png")})
    assert response.status_code == 200, response.content
    catalogue.album.refresh_from_db()
    assert (catalogue.album.title, catalogue.album.type, catalogue.album.visibility) == (
        "Sky Decade (Deluxe)",
        "EP",
        "Private",
    )
    assert catalogue.album.thumbnail.name


def test_edit_album_adds_and_removes_songs_from_the_browser(browser, catalogue, admin):
    """components/dialogs/EditAlbumDialog.tsx: POST then DELETE /v1/collection/{id}/songs/{songId}, no body,
    `Bearer undefined`: both refused (client bug); with the admin's token they add and remove the song."""
    path = f"/v1/collection/{catalogue.album.pk}/songs/{catalogue.di_ve_nha.pk}"
    assert_refused_unauthenticated(browser.post_empty(path, headers=BEARER_UNDEFINED))
    assert_refused_unauthenticated(browser.delete(path, headers=BEARER_UNDEFINED))
    assert catalogue.album.songs.count() == 2
    fixed = as_admin_browser(admin)
    assert fixed.post_empty(path).status_code == 204
    assert list(catalogue.album.entries.values_list("song__title", flat=True).order_by("position")) == [
        "Lạc Trôi",
        "Nơi Này Có Anh",
        "Đi Về Nhà",
    ]
    assert fixed.delete(path).status_code == 204
    assert catalogue.album.songs.count() == 2


def test_edit_album_song_search(browser, catalogue):
    """components/dialogs/EditAlbumDialog.tsx handleSearch: axios GET
    /v1/search/{encodeURIComponent(q.trim().replace(/\\s+/g,'+'))}/songs?page=1&limit=10, no Authorization,
    reading the top-level `response.data.songs`."""
    response = browser.get("/v1/search/n%C6%A1i%2Bn%C3%A0y/songs?page=1&limit=10")
    assert response.status_code == 200
    body = parse(DIALOG_SONG_SEARCH, response.json())
    assert body["songs"][0]["title"] == "Nơi Này Có Anh"
    parse(ADMIN_SEARCH_SONGS, body)  # and the same list where SongsTable reads it
    assert body["songs"] == body["data"]["songs"]
    assert body["count"] == 1 and body["page"] == 1 and body["limit"] == 10


# --- playlists tab ---------------------------------------------------------------------------


def test_playlists_table(browser, catalogue):
    """app/admin/components/PlaylistsTable.tsx: GET /v1/collection?page=1&limit=10 (no trailing slash) with
    `Bearer undefined` and `cache-control: no-cache`; keeps type === "Playlist" rows, renders owner.username,
    and pages by `total` (PlaylistsResponse in app/model/playlist.ts)."""
    response = browser.get("/v1/collection?page=1&limit=10", headers=ADMIN_READ)
    assert response.status_code == 200
    body = parse(ADMIN_PLAYLISTS, response.json())
    playlists = [row for row in body["data"] if row["type"] == "Playlist"]
    assert [(p["title"], p["owner"]["username"]) for p in playlists] == [("Chill Cuối Tuần", "Nguyễn Thu Trang")]
    assert body["total"] == body["count"] == len(body["data"])


def test_playlists_table_search_box(browser, catalogue):
    """app/admin/components/PlaylistsTable.tsx: `&search=${search}` raw on /v1/collection?page=&limit=10,
    accent-folded, with the pagination."""
    owner = UserFactory()
    for n in range(10):
        CollectionFactory(title=f"Chill Buổi Sáng {n}", owner=owner)
    first = parse(
        ADMIN_PLAYLISTS, browser.get("/v1/collection?page=1&limit=10&search=chill", headers=ADMIN_READ).json()
    )
    second = parse(
        ADMIN_PLAYLISTS, browser.get("/v1/collection?page=2&limit=10&search=chill", headers=ADMIN_READ).json()
    )
    titles = [row["title"] for row in first["data"] + second["data"]]
    assert len(titles) == 11 and len(set(titles)) == 11 and all(t.startswith("Chill") for t in titles)
    exact = parse(
        ADMIN_PLAYLISTS, browser.get("/v1/collection?page=1&limit=10&search=cuoi tuan", headers=ADMIN_READ).json()
    )
    assert [row["title"] for row in exact["data"]] == ["Chill Cuối Tuần"]


def test_playlists_table_search(browser, catalogue):
    """app/admin/components/PlaylistsTable.tsx: GET /v1/search/{raw term}/playlists with `Bearer undefined`,
    read as data.data.playlists (owner.username rendered); another user's private playlist is not there."""
    response = browser.get("/v1/search/nhạc/playlists", headers=BEARER_UNDEFINED)
    assert response.status_code == 200
    assert parse(ADMIN_SEARCH_PLAYLISTS, response.json())["data"]["playlists"] == []
    found = parse(ADMIN_SEARCH_PLAYLISTS, browser.get("/v1/search/chill/playlists", headers=BEARER_UNDEFINED).json())
    assert [p["owner"]["username"] for p in found["data"]["playlists"]] == ["Nguyễn Thu Trang"]


def test_delete_playlist_from_the_browser(browser, catalogue, admin):
    """app/admin/components/PlaylistsTable.tsx deleteMutation: DELETE /v1/collection/{id} with `Bearer undefined`:
    refused (client bug); with the admin's token it is deleted."""
    path = f"/v1/collection/{catalogue.playlist.pk}"
    assert_refused_unauthenticated(browser.delete(path, headers=BEARER_UNDEFINED))
    assert Collection.objects.filter(pk=catalogue.playlist.pk).exists()
    assert as_admin_browser(admin).delete(path).status_code == 200
    assert not Collection.objects.filter(pk=catalogue.playlist.pk).exists()


def test_add_playlist_from_the_browser(browser, admin):
    """components/dialogs/AddPlaylistDialog.tsx: POST /v1/collection (no trailing slash), JSON
    {title, description, type: "Playlist"}, `Bearer undefined` + `Content-Type: application/json`: refused
    (client bug); with the admin's token it answers 201 with JSON (the dialog calls response.json())."""
    body = {"title": "Nhạc Mới", "description": "", "type": "Playlist"}
    assert_refused_unauthenticated(browser.post_json("/v1/collection", body, headers=BEARER_UNDEFINED))
    assert not Collection.objects.filter(title="Nhạc Mới").exists()
    created = as_admin_browser(admin).post_json("/v1/collection", body)
    assert created.status_code == 201, created.content
    playlist = Collection.objects.get(pk=parse(CREATED, created.json())["data"]["id"])
    assert (playlist.type, playlist.visibility, playlist.owner) == ("Playlist", "Public", admin)


# --- list search on every admin table's endpoint ----------------------------------------------


@pytest.mark.parametrize(
    "path, term, expected",
    [
        ("/v1/song", "noi nay", ["Nơi Này Có Anh"]),
        ("/v1/artist", "den vau", ["Đen Vâu"]),
        ("/v1/collection", "sky", ["Sky Decade"]),
        ("/v1/user", "nguyen thu", ["Nguyễn Thu Trang"]),
    ],
)
def test_search_parameter_of_the_admin_lists(browser, catalogue, path, term, expected):
    """The admin tables' lists (SongsTable.tsx, ArtistTable.tsx, PlaylistsTable.tsx, UsersTable.tsx) take
    `search`, folded (no accents needed), with page and limit."""
    response = browser.get(f"{path}?page=1&limit=10&search={term}", headers=ADMIN_READ)
    assert response.status_code == 200
    body = response.json()
    assert [row.get("title") or row.get("name") or row.get("username") for row in body["data"]] == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize(
    "kind, term",
    [
        ("songs", "lac"),
        ("artists", "son tung"),
        ("albums", "sky"),
        ("playlists", "chill"),
        ("users", "thu trang"),
    ],
)
def test_search_kind_pages_carry_both_copies(browser, catalogue, kind, term):
    """The admin tables read data.data.<kind> (SongsTable.tsx, ArtistTable.tsx, AlbumsTable.tsx, PlaylistsTable.tsx,
    UsersTable.tsx) and EditAlbumDialog.tsx reads the top-level <kind>: each kind's page has both, with
    count, page and limit."""
    response = browser.get(f"/v1/search/{term}/{kind}?page=1&limit=10", headers=BEARER_UNDEFINED)
    assert response.status_code == 200
    body = response.json()
    assert body["data"][kind] and body[kind] == body["data"][kind]
    assert (body["count"], body["page"], body["limit"]) == (len(body[kind]), 1, 10)
