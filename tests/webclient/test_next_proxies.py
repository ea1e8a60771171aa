"""Calls the Next.js server's route handlers (app/api/**) make with the user's real token
(the `session_token` cookie), bodies forwarded as the browser built them."""

import base64
import io
import json

import pytest

from catalog.models import Song
from collections_app.models import Collection
from tests.factories import PASSWORD, UserFactory
from tests.media import image_file, silent_mp3
from tests.webclient.conftest import NO_CACHE
from tests.webclient.shapes import CREATED, ERROR, HISTORY, ME, MY_PLAYLISTS, PROFILE_SAVED, SONG_DETAIL, parse
from users.models import Role, User

pytestmark = pytest.mark.django_db

# app/api/song/route.ts sends these beside Authorization (harmless junk; they must not break the request).
ADD_SONG_HEADERS = {
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-cache",
    "boundary": "----WebKitFormBoundary7MA4YWxkTrZu0gW",
    "access-control-allow-origin": "*",
}


def audio_file(name="bai-hat.mp3") -> io.BytesIO:
    buffer = io.BytesIO(silent_mp3(2))
    buffer.name = name
    return buffer


# --- the signed-in user -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "caller, headers",
    [
        ("app/api/auth/user-info/route.ts", {"Accept": "application/json"}),
        ("app/api/auth/admin/route.ts", {"Accept": "application/json"}),
        ("app/api/user/profile/route.ts", {"Content-Type": "application/json"}),
        ("app/api/user/history/route.ts (step 1)", {"Accept": "application/json"}),
    ],
)
def test_me(next_server, caller, headers):
    """app/api/auth/user-info, admin, user/profile and user/history route handlers: GET /v1/user/me, reading
    body.data.{id, username, email, role, country, avatarurl} (`data` is required)."""
    user = UserFactory(role=Role.ADMIN, username="Quản Trị", country="VN")
    response = next_server.as_(user).get("/v1/user/me", headers=headers)
    assert response.status_code == 200
    me = parse(ME, response.json())["data"]
    assert (me["id"], me["role"], me["email"], me["country"]) == (str(user.pk), "Admin", user.email, "VN")


def test_account_settings_save(next_server):
    """app/api/user/settings/route.ts (settings/account.tsx): POST /v1/user/me, the browser's multipart forwarded
    (username, upper-case country, file), `cache-control: no-cache`; reads body.data.username."""
    user = UserFactory(username="cu")
    response = next_server.as_(user).post_form(
        "/v1/user/me", {"username": "Tên Mới", "country": "JP", "file": image_file("me.jpg", "JPEG")}, headers=NO_CACHE
    )
    assert response.status_code == 200, response.content
    assert parse(PROFILE_SAVED, response.json())["data"]["username"] == "Tên Mới"
    user.refresh_from_db()
    assert (user.username, user.country) == ("Tên Mới", "JP") and user.avatar.name


def test_account_settings_cannot_raise_the_role(next_server):
    """app/api/user/settings/route.ts forwards whatever the form holds: a `role` field is never applied."""
    user = UserFactory()
    response = next_server.as_(user).post_form("/v1/user/me", {"username": "x", "role": "Admin"}, headers=NO_CACHE)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.role == Role.USER


def test_my_playlists(next_server, catalogue):
    """app/api/user/playlists/route.ts (playlists-grid.tsx, playlist-selector.tsx): GET /v1/user/me/playlists,
    `Accept: application/json`; the browser reads `.data` and keeps type === "Playlist"; private ones included."""
    response = next_server.as_(catalogue.listener).get("/v1/user/me/playlists", headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = parse(MY_PLAYLISTS, response.json())
    assert sorted(p["title"] for p in body["data"] if p["type"] == "Playlist") == ["Chill Cuối Tuần", "Nhạc Riêng Tư"]


def test_play_records_history_then_home_shows_it(next_server, catalogue):
    """app/api/user/history/route.ts POST (after every playSong): POST /v1/user/me/history/{songid} with JSON
    {songid, userId}; then GET (app/api-fetch/get-history.ts via the same route): /v1/user/me/history with
    `cache-control: no-cache`, read as data[].{last_listened, songs: {id, title, artists[].artist, …}}."""
    proxy = next_server.as_(catalogue.listener)
    for song in (catalogue.lac_troi, catalogue.di_ve_nha):
        posted = proxy.post_json(
            f"/v1/user/me/history/{song.pk}",
            {"songid": str(song.pk), "userId": str(catalogue.listener.pk)},
            headers={"Content-Type": "application/json"},
        )
        assert posted.status_code in {200, 201, 204}
    response = proxy.get("/v1/user/me/history", headers=NO_CACHE)
    assert response.status_code == 200
    history = parse(HISTORY, response.json())["data"]
    assert [item["songs"]["title"] for item in history] == ["Đi Về Nhà", "Lạc Trôi"]  # newest first
    assert [c["artist"]["name"] for c in history[0]["songs"]["artists"]] == ["Đen Vâu", "Justatee"]


def test_admin_deletes_a_user(next_server, catalogue, admin):
    """app/api/user/[id]/route.ts DELETE (UsersTable.tsx delete): DELETE /v1/user/{id} with the admin's token and
    `cache-control: no-cache`; a non-ok answer becomes a 500."""
    response = next_server.as_(admin).delete(f"/v1/user/{catalogue.listener.pk}", headers=NO_CACHE)
    assert 200 <= response.status_code < 300
    assert not User.objects.filter(pk=catalogue.listener.pk, is_active=True).exists()


# --- collections through the proxies ------------------------------------------------------------


def test_create_playlist_from_the_playlist_form(next_server, catalogue):
    """app/api/collection/route.ts POST (components/playlist-form.tsx create): POST /v1/collection/ (trailing slash),
    multipart title, description "", type=Playlist, file when chosen, no visibility; `response.json()` is returned."""
    user = catalogue.listener
    response = next_server.as_(user).post_form(
        "/v1/collection/",
        {"title": "Đi Làm", "description": "", "type": "Playlist", "file": image_file("c.png")},
        headers=NO_CACHE,
    )
    assert response.status_code == 201, response.content
    playlist = Collection.objects.get(pk=parse(CREATED, response.json())["data"]["id"])
    assert (playlist.owner, playlist.visibility, playlist.type) == (user, "Public", "Playlist")
    assert playlist.thumbnail.name


@pytest.mark.parametrize("no_file", ["null", "undefined", ""])
def test_add_album_dialog_without_a_cover(next_server, admin, no_file):
    """components/dialogs/add-album.jsx → app/api/collection/route.ts: POST /v1/collection/, multipart
    file=<the string "null"> when no cover was dropped, title, description, type, visibility."""
    form = {"file": no_file, "title": "Hoàng", "description": "Album", "type": "Album", "visibility": "Private"}
    response = next_server.as_(admin).post_form("/v1/collection/", form, headers=NO_CACHE)
    assert response.status_code == 201, response.content
    album = Collection.objects.get(pk=parse(CREATED, response.json())["data"]["id"])
    assert (album.type, album.visibility, album.thumbnail.name) == ("Album", "Private", "")


def test_add_album_dialog_from_a_plain_user(next_server, catalogue):
    """components/dialogs/add-album.jsx for a user who is not staff: releases need Admin or Artist Manager,
    403 in the error envelope, nothing created."""
    form = {"file": "null", "title": "Không Được", "description": "", "type": "Album", "visibility": "Public"}
    response = next_server.as_(catalogue.listener).post_form("/v1/collection/", form, headers=NO_CACHE)
    assert response.status_code == 403
    parse(ERROR, response.json())
    assert not Collection.objects.filter(title="Không Được").exists()


@pytest.mark.parametrize(
    "form",
    [
        {"title": "Chill Tối", "description": "Mới", "visibility": "Private"},  # EditPlaylistDialog.tsx (admin)
        {"title": "Chill Tối", "description": "Mới", "type": "Playlist"},  # playlist-form.tsx edit
    ],
)
def test_edit_playlist(next_server, catalogue, form):
    """app/api/collection/[id]/route.ts POST (EditPlaylistDialog.tsx, playlist-form.tsx): POST /v1/collection/{id},
    multipart forwarded, the owner's token; the proxy answers 200 whatever happens, so the update must be stored."""
    response = next_server.as_(catalogue.listener).post_form(
        f"/v1/collection/{catalogue.playlist.pk}", form, headers=NO_CACHE
    )
    assert response.status_code == 200, response.content
    catalogue.playlist.refresh_from_db()
    assert (catalogue.playlist.title, catalogue.playlist.description) == ("Chill Tối", "Mới")
    assert catalogue.playlist.visibility == form.get("visibility", "Public")


def test_add_song_to_playlist_and_delete_the_playlist(next_server, catalogue):
    """app/api/collection/[id]/songs/[songId]/route.ts POST (api-fetch/add-song-to-collection.ts) and
    app/api/collection/[id]/route.ts DELETE (playlists-grid.tsx): no body, owner's token, `cache-control: no-cache`."""
    proxy = next_server.as_(catalogue.listener)
    added = proxy.post_empty(
        f"/v1/collection/{catalogue.playlist.pk}/songs/{catalogue.no_thumbnail.pk}", headers=NO_CACHE
    )
    assert 200 <= added.status_code < 300
    assert list(catalogue.playlist.entries.order_by("position").values_list("song__title", flat=True))[-1] == (
        "Nơi Này Có Anh"
    )
    removed = proxy.delete(
        f"/v1/collection/{catalogue.playlist.pk}/songs/{catalogue.no_thumbnail.pk}", headers=NO_CACHE
    )
    assert 200 <= removed.status_code < 300
    assert catalogue.playlist.songs.count() == 2
    deleted = proxy.delete(f"/v1/collection/{catalogue.playlist.pk}", headers=NO_CACHE)
    assert 200 <= deleted.status_code < 300
    assert not Collection.objects.filter(pk=catalogue.playlist.pk).exists()


def test_cannot_add_to_someone_elses_playlist(next_server, catalogue):
    """app/api/collection/[id]/songs/[songId]/route.ts: a non-ok answer is passed on as {error: <backend text>}."""
    stranger = UserFactory()
    response = next_server.as_(stranger).post_empty(
        f"/v1/collection/{catalogue.playlist.pk}/songs/{catalogue.no_thumbnail.pk}", headers=NO_CACHE
    )
    assert response.status_code == 403
    parse(ERROR, response.json())


# --- songs and artists through the proxies --------------------------------------------------------


def add_song_form(catalogue, **overrides) -> dict:
    """AddSongDialog.tsx's FormData after app/api/song/route.ts removed `audioFile`."""
    return {
        "title": "Chúng Ta Của Hiện Tại",
        "genre": "",
        "releasedate": "2025-03-07",
        "duration": "0",
        "artists": f"{catalogue.son_tung.pk},{catalogue.den_vau.pk}",
        "file": "null",
        **overrides,
    }


def test_add_song_metadata(next_server, catalogue, admin):
    """app/api/song/route.ts step 1 (AddSongDialog.tsx): POST /v1/song, multipart title, genre "", releasedate,
    duration "0" (metadata not loaded), artists "id1,id2", file "null" (no thumbnail), plus junk headers;
    the browser reads result.data.id."""
    response = next_server.as_(admin).post_form("/v1/song", add_song_form(catalogue), headers=ADD_SONG_HEADERS)
    assert response.status_code == 201, response.content
    song = Song.objects.get(pk=parse(CREATED, response.json())["data"]["id"])
    assert song.duration is None  # "0" means unknown
    assert not song.thumbnail.name
    assert [c.artist.name for c in song.credits.order_by("order")] == ["Sơn Tùng M-TP", "Đen Vâu"]
    assert [c.relation for c in song.credits.order_by("order")] == ["Primary", "Featured"]


def test_add_song_with_a_thumbnail(next_server, catalogue, admin):
    """app/api/song/route.ts (AddSongDialog.tsx): `file` is the thumbnail image when one was dropped."""
    form = add_song_form(catalogue, duration="215", file=image_file("cover.jpg", "JPEG"))
    response = next_server.as_(admin).post_form("/v1/song", form, headers=ADD_SONG_HEADERS)
    assert response.status_code == 201, response.content
    song = Song.objects.get(pk=response.json()["data"]["id"])
    assert song.thumbnail.name and song.duration == 215


@pytest.mark.parametrize(
    "field, value",
    [
        ("duration", "bốn phút"),
        ("artists", "not-an-id"),
        ("file", "garbage"),
    ],
)
def test_add_song_with_real_garbage_names_the_field(next_server, catalogue, admin, field, value):
    """app/api/song/route.ts: what is not "no value" but still wrong is a 400 naming the field, nothing created."""
    if field == "file":
        value = io.BytesIO(b"#!/bin/sh\nnot an image\n")
        value.name = "cover.png"
    response = next_server.as_(admin).post_form(
        "/v1/song", add_song_form(catalogue, **{field: value}), headers=ADD_SONG_HEADERS
    )
    assert response.status_code == 400
    assert field in parse(ERROR, response.json())["fields"]
    assert not Song.objects.filter(title="Chúng Ta Của Hiện Tại").exists()


def test_edit_song_dialog(next_server, catalogue, admin):
    """app/api/song/[id]/route.ts (EditSongDialog.tsx): POST /v1/song/{id}, multipart title, genre, releasedate (the
    original ISO string), duration as a string ("0" when unknown), no artists, no file; a non-ok becomes a 500."""
    song = catalogue.lac_troi
    form = {"title": "Lạc Trôi (Remix)", "genre": "V-Pop", "releasedate": "2017-01-01T00:00:00.000Z", "duration": "0"}
    response = next_server.as_(admin).post_form(f"/v1/song/{song.pk}", form, headers=NO_CACHE)
    assert response.status_code == 200, response.content
    song.refresh_from_db()
    assert (song.title, str(song.release_date), song.duration) == ("Lạc Trôi (Remix)", "2017-01-01", 215)
    assert [c.artist_id for c in song.credits.all()] == [catalogue.son_tung.pk]
    parse(SONG_DETAIL, next_server.ssr.get(f"/v1/song/{song.pk}").json())


def test_edit_song_dialog_with_an_audio_file_dropped(next_server, catalogue, admin):
    """components/dialogs/EditSongDialog.tsx: its only drop zone ("Song File", audio/*) is sent as `file`, which the
    API reads as the cover image (client bug): 400 naming `file`, the song unchanged."""
    song = catalogue.lac_troi
    form = {"title": "Đổi Tên", "genre": "V-Pop", "releasedate": "2017-01-01", "duration": "0", "file": audio_file()}
    response = next_server.as_(admin).post_form(f"/v1/song/{song.pk}", form, headers=NO_CACHE)
    assert response.status_code == 400
    assert "file" in parse(ERROR, response.json())["fields"]
    song.refresh_from_db()
    assert song.title == "Lạc Trôi"


def test_edit_artist_dialog(next_server, catalogue, admin):
    """app/api/artist/[id]/route.ts POST (edit-artist-dialog.tsx): POST /v1/artist/{id}, multipart name,
    description, country ("" when none), file when chosen; `response.json()` is returned (a JSON body is needed)."""
    artist = catalogue.son_tung
    form = {"name": "Sơn Tùng", "description": "Ca sĩ", "country": "", "file": image_file("a.png")}
    response = next_server.as_(admin).post_form(f"/v1/artist/{artist.pk}", form, headers=NO_CACHE)
    assert response.status_code == 200, response.content
    assert response.json()["data"]["name"] == "Sơn Tùng"
    artist.refresh_from_db()
    assert (artist.name, artist.country) == ("Sơn Tùng", "") and artist.avatar.name


def test_edit_artist_dialog_without_a_session(next_server, catalogue):
    """app/api/artist/[id]/route.ts forwards without Authorization when the cookie is missing: 401, unchanged."""
    response = next_server.ssr.post_form(f"/v1/artist/{catalogue.son_tung.pk}", {"name": "X"}, headers=NO_CACHE)
    assert response.status_code == 401
    assert parse(ERROR, response.json())["code"] == "not_authenticated"


def test_sign_in_token_payload_decodes_with_atob(browser):
    """app/api/artist/[id]/route.ts runs JSON.parse(atob(token.split('.')[1])) before forwarding the edit: atob knows
    only the standard base64 alphabet (no '-' or '_'; missing padding is fine), and anything else is a 500."""
    user = UserFactory()
    token = browser.post_json("/v1/auth/signin", {"email": user.email, "password": PASSWORD}).json()["session"][
        "access_token"
    ]
    parts = token.split(".")
    assert len(parts) == 3
    payload = parts[1]
    assert not set(payload) & {"-", "_", "="}, payload
    claims = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4), validate=True))
    assert isinstance(claims, dict)
