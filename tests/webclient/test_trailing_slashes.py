"""The client sends some paths with a trailing slash and some without (POST /v1/collection from the browser,
POST /v1/collection/ from its proxy, GET /v1/auth/oauth/): every /v1 path answers the same both ways,
for every method, without a redirect (a redirected POST loses its body)."""

import pytest

from catalog.models import Song
from collections_app.models import Collection
from tests.factories import PASSWORD
from tests.webclient.conftest import NO_CACHE, Browser
from tests.webclient.shapes import CREATED, parse

pytestmark = pytest.mark.django_db


def spellings(path: str) -> tuple[str, str]:
    route, _, query = path.partition("?")
    other = route[:-1] if route.endswith("/") else f"{route}/"
    return path, f"{other}?{query}" if query else other


READS = [
    ("app/admin/components/PlaylistsTable.tsx", "/v1/collection?page=1&limit=10"),
    ("app/api-fetch/fetch-playlists.ts (dead code)", "/v1/collection/"),
    ("app/services/auth.service.ts signInWithGoogle", "/v1/auth/oauth/"),
    ("app/api-fetch/all-songs.ts", "/v1/song?page=1&limit=30"),
    ("app/api-fetch/song-by-id.ts", "/v1/song/{song}"),
    ("app/api-fetch/all-albums.ts", "/v1/collection/albums?page=1&limit=10"),
    ("app/api-fetch/album-by-id.ts", "/v1/collection/{album}"),
    ("app/api-fetch/albums-from-artist.ts", "/v1/artist/{artist}/albums"),
    ("app/api-fetch/artist-by-id.ts", "/v1/artist/{artist}"),
    ("app/api-fetch/search.ts", "/v1/search/l%E1%BA%A1c%2Btr%C3%B4i"),
    ("components/dialogs/EditAlbumDialog.tsx handleSearch", "/v1/search/lac/songs?page=1&limit=10"),
    ("app/admin/components/UsersTable.tsx", "/v1/user?page=1&limit=10"),
]


@pytest.mark.parametrize("caller, path", READS)
def test_reads_answer_the_same_with_and_without_the_slash(browser, catalogue, caller, path):
    """Every GET the client makes (caller in the parameters) answers alike in both spellings, no redirect."""
    path = path.format(song=catalogue.lac_troi.pk, album=catalogue.album.pk, artist=catalogue.son_tung.pk)
    as_sent, other = spellings(path)
    sent, mirrored = browser.get(as_sent, headers=NO_CACHE), browser.get(other, headers=NO_CACHE)
    assert sent.status_code == mirrored.status_code == 200, (sent.content, mirrored.content)
    assert sent.json() == mirrored.json()


def test_me_both_ways(next_server, catalogue):
    """app/api/auth/user-info/route.ts: GET /v1/user/me (and /v1/user/me/) with the real token."""
    proxy = next_server.as_(catalogue.listener)
    assert proxy.get("/v1/user/me").json() == proxy.get("/v1/user/me/").json()


@pytest.mark.parametrize("path", ["/v1/collection", "/v1/collection/"])
def test_create_collection_both_ways(next_server, catalogue, path):
    """components/dialogs/AddPlaylistDialog.tsx posts JSON to /v1/collection; app/api/collection/route.ts posts
    multipart to /v1/collection/: both create, neither redirects."""
    proxy = next_server.as_(catalogue.listener)
    json_made = proxy.post_json(path, {"title": "JSON", "description": "", "type": "Playlist"})
    form_made = proxy.post_form(path, {"title": "Form", "description": "", "type": "Playlist"})
    assert json_made.status_code == form_made.status_code == 201, (json_made.content, form_made.content)
    ids = {parse(CREATED, r.json())["data"]["id"] for r in (json_made, form_made)}
    assert set(Collection.objects.filter(pk__in=ids).values_list("title", flat=True)) == {"JSON", "Form"}


def test_writes_with_a_trailing_slash(next_server, catalogue, admin):
    """The writes the client sends without a slash also work with one (POST, DELETE; sign-in, song edit, song add
    to a collection, song delete), never answering a redirect."""
    staff = next_server.as_(admin)
    signin = Browser().post_json("/v1/auth/signin/", {"email": admin.email, "password": PASSWORD})
    assert signin.status_code == 200
    edited = staff.post_form(f"/v1/song/{catalogue.lac_troi.pk}/", {"title": "Lạc Trôi 2", "duration": "0"})
    assert edited.status_code == 200, edited.content
    added = staff.post_empty(f"/v1/collection/{catalogue.album.pk}/songs/{catalogue.di_ve_nha.pk}/")
    assert added.status_code == 204
    removed = staff.delete(f"/v1/collection/{catalogue.album.pk}/songs/{catalogue.di_ve_nha.pk}/")
    assert removed.status_code == 204
    deleted = staff.delete(f"/v1/song/{catalogue.di_ve_nha.pk}/")
    assert deleted.status_code == 204
    assert list(Song.objects.values_list("title", flat=True).order_by("title")) == ["Lạc Trôi 2", "Nơi Này Có Anh"]
