"""Calls present in the client's code that no page makes (dead code, an inactive middleware). They would hit
the API if wired up; each test pins what the API answers them (see /tmp/webclient_client_bugs.md)."""

import pytest

from tests.factories import UserFactory
from tests.helpers import signed_in_client
from tests.webclient.conftest import BEARER_UNDEFINED, NO_CACHE, Browser
from tests.webclient.shapes import ERROR, parse
from users.models import Role

pytestmark = pytest.mark.django_db


def test_verify_auth_posts_a_token_to_the_user_list(browser):
    """app/services/auth.service.ts verifyAuth(token) (never called): POST /v1/user/ {token}. There is no such
    operation: 405 in the error envelope, never a session."""
    response = browser.post_json("/v1/user/", {"token": "whatever"})
    assert response.status_code == 405
    parse(ERROR, response.json())


def test_fetch_user_by_id_uses_the_token_as_the_id(browser):
    """app/api-fetch/user-by-id.ts fetchUserById(access_token) (only its test file calls it): GET
    /v1/user/{access_token}: not a user id, so 404 in the error envelope."""
    user = UserFactory()
    token = signed_in_client(user).session_tokens["access_token"]
    response = browser.get(f"/v1/user/{token}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    parse(ERROR, response.json())


def test_manager_middleware_reads_a_top_level_role(next_server):
    """app/middleware.ts (inactive: Next only loads the root middleware): GET /v1/user/{user_id} with the token,
    then reads a top-level `role`; the API answers {"data": {..., "role"}} as the contract says."""
    manager = UserFactory(role=Role.ARTIST_MANAGER)
    response = next_server.as_(manager).get(f"/v1/user/{manager.pk}", headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["role"] == "Artist Manager" and "role" not in body


def test_add_collection_helper_posts_no_body(browser):
    """app/api-fetch/add-collection.ts addCollection() (imported, never called) and AlbumsTable.tsx addMutation
    (never invoked): POST /v1/collection/ with `Bearer undefined`, `cache-control: no-cache`: 401, nothing created."""
    response = Browser().post_empty("/v1/collection/", headers={**BEARER_UNDEFINED, **NO_CACHE})
    assert response.status_code == 401
    assert parse(ERROR, response.json())["code"] == "not_authenticated"
