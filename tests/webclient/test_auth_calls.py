"""Sign-up, sign-in, Google sign-in, password reset and email verification, as the client sends them
(app/services/auth.service.ts, app/(auth)/*)."""

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from allauth.socialaccount.providers.google import views as google_views
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from django.core import mail

from tests.factories import PASSWORD, UserFactory
from tests.fakes.google import FakeGoogle
from tests.helpers import signed_in_client
from tests.media import image_file
from tests.webclient.conftest import Browser
from tests.webclient.shapes import ERROR, ME, OAUTH_START, SIGN_IN, parse
from users.models import User

pytestmark = pytest.mark.django_db

# app/(auth)/sign-up/page.jsx accepts /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{10,}$/; this one passes the API's rules too.
CLIENT_PASSWORD = "Nhac-Hay-2025"
CALLBACK = "http://localhost:3000/auth/callback"


def sign_up_form(**overrides) -> dict:
    """The FormData of signUp(): email, password, name, country ("" when geolocation is denied), file if chosen."""
    return {
        "email": "thu.trang@example.com",
        "password": CLIENT_PASSWORD,
        "name": "Thu Trang",
        "country": "",
        **overrides,
    }


def test_sign_up_as_the_form_sends_it(browser, jobs):
    """app/services/auth.service.ts signUp(): POST /v1/auth/signup, multipart email, password, name, country,
    no avatar; anything but exactly 200 is treated as a failure. `name` becomes the username."""
    # (The code also sets Accept-Encoding and Connection, which browsers drop as forbidden header names.)
    response = browser.post_form("/v1/auth/signup", sign_up_form(country="vn"))
    assert response.status_code == 200, response.content
    user = User.objects.get(email="thu.trang@example.com")
    assert user.username == "Thu Trang" and user.country.upper() == "VN"
    session = parse(SIGN_IN, response.json())  # the session object, as sign-in answers it
    assert session["user"]["id"] == str(user.pk) and session["user"]["username"] == "Thu Trang"
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    jobs.run()  # account mail is sent by the job worker
    assert re.search(r"/verify-email\?key=\S+", mail.outbox[0].body)  # the page it routes to says "check your email"


def test_sign_up_with_an_avatar_and_no_country(browser):
    """app/services/auth.service.ts signUp(): `file` is appended when an avatar was chosen; `country` is ""
    when geolocation is denied (headless browsers). The avatar is stored and shown by /v1/user/me."""
    response = browser.post_form("/v1/auth/signup", sign_up_form(file=image_file("me.png")))
    assert response.status_code == 200, response.content
    user = User.objects.get(email="thu.trang@example.com")
    assert user.avatar.name and user.country == ""
    me = signed_in_client(user).get("/v1/user/me").json()
    assert me["data"]["avatarurl"].endswith(user.avatar.name)


def test_sign_up_with_a_taken_email_shows_the_apis_message(browser):
    """app/services/auth.service.ts signUp(): on a non-2xx it shows `data.message || data.error`."""
    UserFactory(email="thu.trang@example.com")
    response = browser.post_form("/v1/auth/signup", sign_up_form())
    assert response.status_code == 409
    assert parse(ERROR, response.json())["code"] == "email_taken"
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"


def test_sign_up_with_a_password_the_form_allows_but_the_api_refuses(browser):
    """app/(auth)/sign-up/page.jsx lets through a password without a symbol (the API requires one): the API answers
    400 with a sentence in `error` (shown by signUp()) and the failed rule in fields.password."""
    response = browser.post_form("/v1/auth/signup", sign_up_form(password="Matkhau2025x"))
    assert response.status_code == 400
    body = parse(ERROR, response.json())
    assert body["fields"]["password"] and body["error"]
    assert not User.objects.exists()


def test_sign_in(browser):
    """app/services/auth.service.ts login(): POST /v1/auth/signin JSON {email, password}; needs
    session.access_token, then app/api/auth/signin/route.ts keeps user.id, username, role and expires_in."""
    user = UserFactory(username="Thu Trang")
    response = browser.post_json(
        "/v1/auth/signin", {"email": user.email, "password": PASSWORD}, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    body = parse(SIGN_IN, response.json())
    assert body["user"]["id"] == str(user.pk) and body["user"]["role"] == "User"
    assert body["session"]["expires_in"] > 0
    # The cookie's token is what every Next.js proxy sends back (app/api/auth/user-info/route.ts).
    me = Browser(origin=None).get("/v1/user/me", headers={"Authorization": f"Bearer {body['session']['access_token']}"})
    assert parse(ME, me.json())["data"]["id"] == str(user.pk)


def test_sign_in_with_a_wrong_password_shows_the_apis_message(browser):
    """app/services/auth.service.ts login(): the error message shown is `data.message || data.error`."""
    user = UserFactory()
    response = browser.post_json("/v1/auth/signin", {"email": user.email, "password": "Sai-mat-khau-1"})
    assert response.status_code == 401
    assert parse(ERROR, response.json())["code"] == "invalid_credentials"
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"


# --- Google sign-in ----------------------------------------------------------------------------


def test_google_button(browser):
    """app/services/auth.service.ts signInWithGoogle() without returnUrl (login/google-login.jsx):
    GET /v1/auth/oauth/ (trailing slash), no headers; needs exactly 200 and an absolute {url}."""
    response = browser.get("/v1/auth/oauth/")
    assert response.status_code == 200
    assert urlsplit(parse(OAUTH_START, response.json())["url"]).path == "/accounts/google/login/"


def test_google_button_with_a_return_url(browser, settings):
    """app/services/auth.service.ts signInWithGoogle(returnUrl): GET /v1/auth/oauth?returnUrl=<encoded>;
    an allow-listed URL is where the sign-in comes back to, another one is refused with 400."""
    settings.OAUTH_REDIRECT_ALLOWLIST = [CALLBACK, "http://localhost:3000/login"]
    response = browser.get(f"/v1/auth/oauth?returnUrl={quote('http://localhost:3000/login', safe='')}")
    assert response.status_code == 200
    start = urlsplit(parse(OAUTH_START, response.json())["url"])
    completion = urlsplit(parse_qs(start.query)["next"][0])
    assert parse_qs(completion.query)["redirect_to"] == ["http://localhost:3000/login"]
    refused = browser.get(f"/v1/auth/oauth?returnUrl={quote('https://evil.example/', safe='')}")
    assert refused.status_code == 400 and parse(ERROR, refused.json())["code"] == "redirect_not_allowed"


@pytest.fixture
def google(settings, monkeypatch):
    client_id, secret = "hust-webclient.apps.googleusercontent.com", "fake-secret"
    provider = settings.SOCIALACCOUNT_PROVIDERS["google"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {**provider, "APPS": [{"client_id": client_id, "secret": secret, "key": ""}]}
    }
    settings.OAUTH_REDIRECT_ALLOWLIST = [CALLBACK]
    with FakeGoogle(client_id, secret) as fake:
        monkeypatch.setattr(GoogleOAuth2Adapter, "authorize_url", fake.authorize_url)
        monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", fake.token_url)
        monkeypatch.setattr(google_views, "CERTS_URL", fake.certs_url)
        yield fake


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_google_sign_in_lands_on_the_callback_page_with_a_code(browser, client, google):
    """app/(auth)/auth/callback/page.tsx: the browser comes back from Google to /auth/callback?code=…, and the page
    never exchanges the code (client bug). What the API does: a one-time code, no tokens in the URL, which
    GET /v1/auth/oauth/callback?code= would trade for the session object exactly once."""
    url = parse(OAUTH_START, browser.get("/v1/auth/oauth/").json())["url"]
    to_google = client.get(_local(url))
    assert to_google.status_code == 302
    back = requests.get(to_google["Location"], allow_redirects=False, timeout=5)
    landing = client.get(_local(back.headers["Location"]))
    while not landing["Location"].startswith(CALLBACK):
        landing = client.get(_local(landing["Location"]))
    query = parse_qs(urlsplit(landing["Location"]).query)
    assert set(query) == {"code"}
    exchanged = browser.get(f"/v1/auth/oauth/callback?code={query['code'][0]}")
    assert exchanged.status_code == 200
    parse(SIGN_IN, exchanged.json())
    assert browser.get(f"/v1/auth/oauth/callback?code={query['code'][0]}").status_code == 400


# --- forgot / reset password, email verification -------------------------------------------------


def test_forgot_and_reset_password(browser, jobs):
    """app/(auth)/forgot-password/page.tsx and app/(auth)/new-password/page.tsx (both render blank: client bug):
    POST /v1/auth/forgot-password {email}, then the link's `token` as POST /v1/auth/reset-password {token, password};
    each only checks response.ok."""
    user = UserFactory(email="quen@example.com")
    forgot = browser.post_json("/v1/auth/forgot-password", {"email": "quen@example.com"})
    assert forgot.status_code == 200
    jobs.run()
    link = re.search(r"http://localhost:3000/new-password\?\S+", mail.outbox[0].body).group(0)
    token = parse_qs(urlsplit(link).query)["token"][0]  # the only parameter the page reads
    reset = browser.post_json("/v1/auth/reset-password", {"token": token, "password": "Mat-khau-moi-9"})
    assert reset.status_code == 200, reset.content
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-9")


def test_reset_password_page_opened_without_a_token(browser):
    """app/(auth)/new-password/page.tsx: searchParams.get('token') is null without the query parameter, and the page
    posts {token: null, password}: 400 with the field named, nothing changes."""
    response = browser.post_json("/v1/auth/reset-password", {"token": None, "password": "Mat-khau-moi-9"})
    assert response.status_code == 400
    assert "token" in parse(ERROR, response.json())["fields"]


def test_forgot_password_for_an_unknown_email(browser, jobs):
    """app/(auth)/forgot-password/page.tsx: the page says "check your email" on response.ok; an unknown email
    answers the same 200 (no account enumeration) and sends nothing."""
    response = browser.post_json("/v1/auth/forgot-password", {"email": "ai@example.com"})
    jobs.run()
    assert response.status_code == 200 and mail.outbox == []


def test_verify_email_with_token(next_server, jobs):
    """app/services/auth.service.ts verifyEmail(token) (never called; it posts to process.env.API_URL, undefined in
    the browser): POST /v1/auth/verify-email {token}; `token` is the alias of `key`."""
    Browser().post_form("/v1/auth/signup", sign_up_form())
    jobs.run()
    link = re.search(r"http://localhost:3000/verify-email\?\S+", mail.outbox[0].body).group(0)
    key = parse_qs(urlsplit(link).query)["key"][0]
    response = next_server.ssr.post_json(
        "/v1/auth/verify-email", {"token": key}, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    assert User.objects.get(email="thu.trang@example.com").email_verified is True
