"""Google sign-in through django-allauth, against a fake Google on loopback."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.providers.google import views as google_views
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.fakes.google import FakeGoogle
from tests.helpers import signed_in_client
from users.models import User

pytestmark = pytest.mark.django_db

CLIENT_ID = "hust-test.apps.googleusercontent.com"
CLIENT_SECRET = "fake-google-secret"
CLIENT_CALLBACK = "http://localhost:3000/auth/callback"


@pytest.fixture
def google(settings, monkeypatch):
    provider = settings.SOCIALACCOUNT_PROVIDERS["google"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {**provider, "APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET, "key": ""}]}
    }
    settings.OAUTH_REDIRECT_ALLOWLIST = [CLIENT_CALLBACK]
    with FakeGoogle(CLIENT_ID, CLIENT_SECRET) as fake:
        # allauth reads these endpoints from settings at import; point them at the fake.
        monkeypatch.setattr(GoogleOAuth2Adapter, "authorize_url", fake.authorize_url)
        monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", fake.token_url)
        monkeypatch.setattr(google_views, "CERTS_URL", fake.certs_url)
        yield fake


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def run_browser_flow(client, google) -> str:
    """Drive the browser's part of the flow; returns the URL the client app receives."""
    start = APIClient().get("/v1/auth/oauth", {"redirect_to": CLIENT_CALLBACK})
    assert start.status_code == 200
    to_allauth = client.get(path_of(start.json()["url"]))
    assert to_allauth.status_code == 302 and to_allauth["Location"].startswith(google.authorize_url)
    at_google = requests.get(to_allauth["Location"], allow_redirects=False, timeout=5)
    assert at_google.status_code == 302
    back = client.get(path_of(at_google.headers["Location"]))
    assert back.status_code == 302, back.content[:500]
    if back["Location"].startswith(CLIENT_CALLBACK):
        return back["Location"]
    final = client.get(back["Location"])
    assert final.status_code == 302
    return final["Location"]


def test_redirect_flow_ends_with_a_one_time_code_exchanged_once(client, google):
    landing = run_browser_flow(client, google)
    assert landing.startswith(CLIENT_CALLBACK + "?")
    query = parse_qs(urlsplit(landing).query)
    assert set(query) == {"code"}  # never tokens in a URL
    assert "access_token" not in landing and "refresh" not in landing
    assert google.token_requests[0]["code_verifier"]  # PKCE

    exchange = APIClient().get("/v1/auth/oauth/callback", {"code": query["code"][0]})
    assert exchange.status_code == 200
    body = exchange.json()
    assert body["user"]["email"] == "listener@gmail.com" and body["user"]["email_verified"] is True
    user = User.objects.get(email="listener@gmail.com")
    assert not user.has_usable_password()
    assert signed_in_client(user).get("/v1/user/me").status_code == 200

    again = APIClient().get("/v1/auth/oauth/callback", {"code": query["code"][0]})
    assert again.status_code == 400 and again.json()["code"] == "invalid_code"
    # The server session that carried the browser through allauth was ended.
    assert "_auth_user_id" not in client.session


def test_redirect_flow_signs_into_the_existing_account_with_that_email(client, google):
    existing = UserFactory(email="listener@gmail.com")
    code = parse_qs(urlsplit(run_browser_flow(client, google)).query)["code"][0]
    body = APIClient().get("/v1/auth/oauth/callback", {"code": code}).json()
    assert body["user"]["id"] == str(existing.pk)
    assert User.objects.filter(email="listener@gmail.com").count() == 1


def test_redirect_flow_with_an_unverified_email_of_an_existing_account_goes_back_with_an_error(client, google):
    existing = UserFactory(email="listener@gmail.com")
    google.profile["email_verified"] = False
    landing = run_browser_flow(client, google)
    assert parse_qs(urlsplit(landing).query) == {"error": ["email_taken"]}
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD) and not existing.socialaccount_set.exists()


def test_expired_code_is_refused(client, google, settings):
    settings.OAUTH_CODE_SECONDS = -1
    code = parse_qs(urlsplit(run_browser_flow(client, google)).query)["code"][0]
    assert APIClient().get("/v1/auth/oauth/callback", {"code": code}).status_code == 400


def test_oauth_start_refuses_a_redirect_off_the_allow_list(api_client, google):
    response = api_client.get("/v1/auth/oauth", {"redirect_to": "https://evil.example/steal"})
    assert response.status_code == 400 and response.json()["code"] == "redirect_not_allowed"


def test_completion_view_refuses_a_redirect_off_the_allow_list(client, google):
    response = client.get("/v1/auth/oauth/complete", {"redirect_to": "https://evil.example/steal"})
    assert response.status_code == 400 and response.json()["code"] == "redirect_not_allowed"


def test_callback_needs_a_code(api_client):
    assert api_client.get("/v1/auth/oauth/callback").status_code == 400
    assert api_client.get("/v1/auth/oauth/callback", {"code": "made-up"}).status_code == 400


# --- ID tokens from native apps ---------------------------------------------------------


def test_native_id_token_creates_a_google_only_account(api_client, google):
    response = api_client.post("/v1/auth/oauth/google", {"id_token": google.id_token()})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == "listener@gmail.com" and body["user"]["email_verified"] is True
    user = User.objects.get(pk=body["user"]["id"])
    credentials = signed_in_client(user).post(
        "/v1/auth/credentials", {"current_password": "x", "password": "Aa-12345!"}
    )
    assert credentials.json()["code"] == "no_password_account"
    # Signing in again finds the same account.
    again = api_client.post("/v1/auth/oauth/google", {"id_token": google.id_token()})
    assert again.json()["user"]["id"] == body["user"]["id"]


def test_native_id_token_with_a_matching_verified_email_signs_into_that_user(api_client, google):
    existing = UserFactory(email="listener@gmail.com")
    body = api_client.post("/v1/auth/oauth/google", {"id_token": google.id_token()}).json()
    assert body["user"]["id"] == str(existing.pk)


def test_unverified_google_email_does_not_take_over_an_account(api_client, google):
    existing = UserFactory(email="listener@gmail.com")
    response = api_client.post("/v1/auth/oauth/google", {"id_token": google.id_token(email_verified=False)})
    assert response.status_code == 409 and response.json()["code"] == "email_taken"
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda g: g.id_token(aud="someone-else.apps.googleusercontent.com"), id="wrong-audience"),
        pytest.param(lambda g: g.id_token(iss="https://evil.example"), id="wrong-issuer"),
        pytest.param(lambda g: g.id_token(exp=1_600_000_000, iat=1_599_990_000), id="expired"),
        pytest.param(lambda g: g.id_token(key=g.other_key), id="wrong-key"),
        pytest.param(lambda g: g.id_token(kid="unknown-kid"), id="unknown-kid"),
        pytest.param(lambda g: g.id_token(algorithm="none"), id="alg-none"),
        pytest.param(lambda g: "not-a-jwt", id="garbage"),
    ],
)
def test_forged_id_tokens_are_401(api_client, google, forge):
    response = api_client.post("/v1/auth/oauth/google", {"id_token": forge(google)})
    assert response.status_code == 401, response.json()
    assert response.json()["code"] == "invalid_token"
    assert not User.objects.exists()
