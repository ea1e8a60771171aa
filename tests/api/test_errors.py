"""The one error envelope, for every error DRF or Django can raise."""

import pytest

from tests.factories import UserFactory
from users.models import Role

pytestmark = pytest.mark.django_db

TEST_URLS = "tests.api.urls"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    return body


def test_unknown_api_path_is_a_json_404(api_client):
    body = assert_error(api_client.get("/v1/nope"), 404, "not_found")
    assert "fields" not in body


def test_unknown_api_path_is_json_even_with_debug_on(api_client, settings):
    settings.DEBUG = True
    assert_error(api_client.get("/v1/nope/deeper"), 404, "not_found")


@pytest.mark.urls(TEST_URLS)
def test_malformed_json_body(client_as):
    client = client_as(Role.ADMIN)
    body = assert_error(
        client.post("/v1/account", data='{"email": "a@b.c",', content_type="application/json"), 400, "parse_error"
    )
    assert "JSON" in body["error"]


@pytest.mark.urls(TEST_URLS)
def test_validation_error_lists_every_field(client_as):
    client = client_as(Role.ADMIN)
    body = assert_error(
        client.post("/v1/account", {"email": "not-an-email", "username": "taken"}), 400, "validation_error"
    )
    assert set(body["fields"]) == {"email", "username"}
    assert body["fields"]["username"] == ["That username is reserved."]


@pytest.mark.urls(TEST_URLS)
def test_unsupported_media_type(client_as):
    client = client_as(Role.ADMIN)
    assert_error(client.post("/v1/account", data="email=a", content_type="text/plain"), 415, "unsupported_media_type")


@pytest.mark.urls(TEST_URLS)
def test_method_not_allowed(client_as):
    client = client_as(Role.ADMIN)
    account = UserFactory()
    assert_error(client.put(f"/v1/account/{account.pk}", {"username": "x"}), 405, "method_not_allowed")


@pytest.mark.urls(TEST_URLS)
def test_missing_token_on_a_write_is_401(api_client):
    response = api_client.post("/v1/account", {"email": "a@b.cd"})
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.urls(TEST_URLS)
def test_signed_in_without_the_right_role_or_ownership_is_403(client_as):
    client = client_as(Role.USER)
    someone_else = UserFactory()
    assert_error(client.post(f"/v1/account/{someone_else.pk}", {"username": "x"}), 403, "permission_denied")


@pytest.mark.urls(TEST_URLS)
def test_non_uuid_item_id_is_404_not_500(api_client):
    assert_error(api_client.get("/v1/account/123"), 404, "not_found")


@pytest.mark.urls(TEST_URLS)
def test_unknown_item_is_404(api_client):
    assert_error(api_client.get("/v1/account/00000000-0000-0000-0000-000000000000"), 404, "not_found")


@pytest.mark.urls(TEST_URLS)
def test_throttled_answers_429_with_retry_after(api_client):
    for _ in range(2):
        assert api_client.post("/v1/account/knock", {}).status_code == 200
    response = api_client.post("/v1/account/knock", {})
    body = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) == body["retryAfter"] > 0


@pytest.mark.urls(TEST_URLS)
def test_account_throttle_counts_per_email_across_addresses(api_client):
    for n in range(2):
        response = api_client.post("/v1/account/knock", {"email": "Fan@Example.com"}, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 200
    # Same mailbox, other case, third address: still the same account bucket.
    response = api_client.post("/v1/account/knock", {"email": "fan@example.com "}, REMOTE_ADDR="10.0.0.9")
    assert_error(response, 429, "throttled")


@pytest.mark.urls(TEST_URLS)
def test_unexpected_error_in_an_api_view_is_json_500_without_details(api_client):
    response = api_client.get("/v1/account/explode")
    body = assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body["error"]


@pytest.mark.urls(TEST_URLS)
def test_unexpected_error_in_a_plain_django_view_under_v1_is_json_500(api_client, settings):
    settings.DEBUG = True  # even a developer machine answers API clients in JSON
    response = api_client.get("/v1/plain-failure")
    assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()
