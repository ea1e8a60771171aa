"""The Authorization headers the client sends without a token it can read.

`getCookie('session_token')` on an HttpOnly cookie gives undefined (`Bearer undefined`); a signed-out
store gives `Bearer null`; an empty variable gives a bare `Bearer`. They mean "no credentials":
public reads answer as to anyone, protected endpoints 401 `not_authenticated`. A token that looks
like a JWT and fails verification stays 401 everywhere, public reads included.
"""

import pytest

from tests.webclient.conftest import NO_CACHE
from tests.webclient.shapes import ERROR, parse

pytestmark = pytest.mark.django_db

NOT_A_TOKEN = ["Bearer undefined", "Bearer null", "Bearer", "Bearer "]


@pytest.mark.parametrize("authorization", NOT_A_TOKEN)
@pytest.mark.parametrize(
    "path",
    [
        "/v1/song?page=1&limit=10",  # app/admin/components/SongsTable.tsx
        "/v1/artist?page=1&limit=10",  # app/admin/components/ArtistTable.tsx
        "/v1/collection?page=1&limit=10",  # app/admin/components/PlaylistsTable.tsx
        "/v1/user?page=1&limit=10",  # app/admin/components/UsersTable.tsx
        "/v1/search/chill/playlists",  # app/admin/components/PlaylistsTable.tsx (search)
    ],
)
def test_public_reads_with_no_token_answer_as_to_anyone(browser, catalogue, authorization, path):
    """app/admin/components/*Table.tsx: the admin tables' reads with `Authorization: Bearer ${undefined}`
    answer exactly what an anonymous visitor gets."""
    anonymous = browser.get(path, headers=NO_CACHE)
    response = browser.get(path, headers={"Authorization": authorization, **NO_CACHE})
    assert response.status_code == anonymous.status_code == 200
    assert response.json() == anonymous.json()


@pytest.mark.parametrize("authorization", NOT_A_TOKEN)
def test_protected_endpoint_with_no_token_is_401_not_authenticated(browser, authorization):
    """app/api/auth/user-info/route.ts (and the other proxies) turn a non-ok /v1/user/me into "not signed in":
    no token is a 401 `not_authenticated` in the error envelope, never a 500."""
    response = browser.get("/v1/user/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert parse(ERROR, response.json())["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "token",
    [
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",  # a forged HS256 JWT
        "aaa.bbb.ccc",
    ],
)
@pytest.mark.parametrize("path", ["/v1/song?page=1&limit=30", "/v1/artist", "/v1/search/lac"])
def test_a_token_that_fails_verification_is_401_even_on_public_reads(browser, catalogue, token, path):
    """app/api-fetch/all-songs.ts, all-artists.ts, search.ts send no token; a client that sends a broken or forged
    one gets 401 on every endpoint (the old service accepted unchecked signatures)."""
    response = browser.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    parse(ERROR, response.json())
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
