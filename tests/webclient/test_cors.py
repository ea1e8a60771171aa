"""CORS for the browser-direct calls: the app on http://localhost:3000 calls NEXT_PUBLIC_API_URL cross-origin.

Preflights are triggered by the headers the client's code sets (Authorization, Content-Type on GETs and
POSTs, cache-control); answers, errors included, carry Access-Control-Allow-Origin so axios/fetch can
read them; the stream URL that playSong() fetch()es answers with CORS too.
"""

from urllib.parse import urlsplit

import pytest

from tests.webclient.conftest import BEARER_UNDEFINED, NO_CACHE, WEB_ORIGIN, give_audio

pytestmark = pytest.mark.django_db


def preflight(browser, path: str, method: str, headers: str):
    return browser.options(
        path, headers={"Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers}
    )


@pytest.mark.parametrize(
    "caller, method, path, headers",
    [
        ("app/api-fetch/all-artists.ts fetchArtists", "GET", "/v1/artist", "content-type"),
        ("app/api-fetch/all-songs.ts fetchAllSongs", "GET", "/v1/song?page=1&limit=30", "cache-control"),
        (
            "app/api-fetch/album-by-id.ts fetchAlbumById",
            "GET",
            "/v1/collection/00000000-0000-0000-0000-000000000000",
            "cache-control",
        ),
        ("app/api-fetch/search.ts search", "GET", "/v1/search/love%2Bstory", "content-type"),
        ("app/admin/components/SongsTable.tsx", "GET", "/v1/song?page=1&limit=10", "authorization,cache-control"),
        (
            "app/admin/components/SongsTable.tsx deleteMutation",
            "DELETE",
            "/v1/song/00000000-0000-0000-0000-000000000000",
            "authorization,cache-control",
        ),
        ("components/dialogs/AddPlaylistDialog.tsx", "POST", "/v1/collection", "authorization,content-type"),
        ("app/services/auth.service.ts login", "POST", "/v1/auth/signin", "content-type"),
        ("app/(auth)/forgot-password/page.tsx", "POST", "/v1/auth/forgot-password", "content-type"),
        (
            "app/api-fetch/get-history.ts's header set (Cache-Control, Pragma, Content-Type)",
            "GET",
            "/v1/user/me/history",
            "authorization,cache-control,pragma,content-type",
        ),
        ("conditional GETs and localised clients", "GET", "/v1/song", "if-none-match,accept-language"),
        ("reference password API (apikey header)", "POST", "/v1/auth/register/update-password", "apikey,authorization"),
    ],
)
def test_preflight_allows_what_the_call_sends(browser, caller, method, path, headers):
    """Each browser-direct call of the client (named in the parameters) passes its preflight."""
    response = preflight(browser, path, method, headers)
    assert response.status_code in {200, 204}
    assert response["Access-Control-Allow-Origin"] == WEB_ORIGIN
    allowed_headers = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert set(headers.split(",")) <= allowed_headers
    assert method in {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}


def test_answers_expose_the_headers_clients_read(browser, catalogue):
    """app/admin/components/SongsTable.tsx (any browser-direct read): ETag, Retry-After and X-Request-ID are
    readable cross-origin."""
    response = browser.get("/v1/song?page=1&limit=10", headers=NO_CACHE)
    assert response["Access-Control-Allow-Origin"] == WEB_ORIGIN
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "retry-after", "x-request-id"} <= exposed


@pytest.mark.parametrize(
    "caller, request_it",
    [
        (
            "app/admin/components/ArtistTable.tsx deleteMutation (401)",
            lambda b: b.delete("/v1/artist/00000000-0000-0000-0000-000000000000", headers=BEARER_UNDEFINED),
        ),
        ("app/api-fetch/song-by-id.ts (404)", lambda b: b.get("/v1/song/00000000-0000-0000-0000-000000000000")),
        ("app/services/auth.service.ts signUp (400)", lambda b: b.post_form("/v1/auth/signup", {"email": "x"})),
    ],
)
def test_errors_carry_the_cors_header(browser, caller, request_it):
    """auth.service.ts shows `error.response.data.error`: without Access-Control-Allow-Origin on the error, axios
    reports a network error instead. Every error answer is readable cross-origin."""
    response = request_it(browser)
    assert response.status_code >= 400
    assert response["Access-Control-Allow-Origin"] == WEB_ORIGIN
    assert set(response.json()) >= {"error", "code"}


def test_stream_url_answers_with_cors(browser, catalogue, admin):
    """contexts/media-context.tsx playSong(): fetch(<presigned stream url>) from the browser, then blob()."""
    give_audio(catalogue.lac_troi, admin)
    url = browser.get(f"/v1/song/{catalogue.lac_troi.pk}/presigned/stream").json()["url"]
    parts = urlsplit(url)
    response = browser.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == WEB_ORIGIN


def test_other_origins_are_not_allowed(browser):
    """Only the configured client origin gets CORS headers."""
    response = preflight(browser.__class__(origin="https://evil.example"), "/v1/song", "GET", "authorization")
    assert "Access-Control-Allow-Origin" not in response
