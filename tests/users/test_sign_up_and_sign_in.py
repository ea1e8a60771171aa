"""Every row of the contract's Auth section, with its errors."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from PIL import Image
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.helpers import signed_in_client
from users.models import Role, User

pytestmark = pytest.mark.django_db

STRONG = "Mua-he-2025!"
SESSION_KEYS = {"access_token", "token_type", "expires_in", "expires_at", "refresh_token"}


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def png_file(name="avatar.png", size=(8, 8), image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buffer, format=image_format)
    buffer.name = name
    buffer.seek(0)
    return buffer


def sign_up(client, email="an@example.com", password=STRONG, **extra):
    return client.post("/v1/auth/signup", {"email": email, "password": password, **extra})


def assert_session(body, email):
    assert set(body) == {"user", "session"}
    user = body["user"]
    assert user["email"] == email and user["aud"] == "authenticated" and user["role"] == "User"
    assert set(user) >= {"id", "username", "email_verified"}
    assert set(body["session"]) == SESSION_KEYS
    assert body["session"]["token_type"] == "bearer" and body["session"]["expires_in"] == 3600


# --- sign-up ----------------------------------------------------------------------


def test_sign_up_answers_a_session_and_sends_a_verification_email(api_client, jobs):
    response = sign_up(api_client, email="  Thu.Trang@Example.com", username="Thu Trang", country="VN")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert_session(body, "thu.trang@example.com")
    assert body["user"]["email_verified"] is False and body["user"]["username"] == "Thu Trang"

    me = bearer(body["session"]["access_token"]).get("/v1/user/me").json()["data"]
    assert me["email"] == "thu.trang@example.com" and me["country"] == "VN"

    assert mail.outbox == []  # sent by the worker, not by the request
    jobs.run()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["thu.trang@example.com"]
    assert re.search(r"http://localhost:3000/verify-email\?key=\S+", mail.outbox[0].body)
    assert mail.outbox[0].alternatives and "text/html" in mail.outbox[0].alternatives[0][1]


def test_sign_up_with_an_avatar_in_multipart(api_client):
    response = api_client.post(
        "/v1/auth/signup",
        {"email": "pic@example.com", "password": STRONG, "file": png_file("me.jpeg")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    user = User.objects.get(email="pic@example.com")
    assert user.avatar.name == f"users/{user.pk}/avatar.png"  # keyed by id, named after the real format
    avatar_url = bearer(response.json()["session"]["access_token"]).get("/v1/user/me").json()["data"]["avatarurl"]
    assert avatar_url == f"http://testserver/media/users/{user.pk}/avatar.png"


def test_sign_up_refuses_a_file_that_is_not_an_image(api_client):
    fake = io.BytesIO(b"#!/bin/sh\necho not an image\n")
    fake.name = "cover.png"
    response = api_client.post(
        "/v1/auth/signup", {"email": "x@example.com", "password": STRONG, "file": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()["fields"]
    assert not User.objects.filter(email="x@example.com").exists()


def test_sign_up_with_a_taken_email_is_409_whatever_the_case(api_client):
    UserFactory(email="taken@example.com")
    response = sign_up(api_client, email="TAKEN@example.com")
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


def test_weak_password_reports_every_failed_rule(api_client):
    response = sign_up(api_client, password="1234")
    assert response.status_code == 400
    messages = response.json()["fields"]["password"]
    expected = ["too short", "too common", "entirely numeric", "upper-case", "lower-case", "not a letter or a digit"]
    for fragment in expected:
        assert any(fragment in message for message in messages), (fragment, messages)
    assert not User.objects.exists()


def test_password_like_the_email_or_too_long_is_refused(api_client):
    similar = sign_up(api_client, email="nguyenvanan@example.com", password="Nguyenvanan1!")
    assert any("too similar" in m for m in similar.json()["fields"]["password"])
    too_long = sign_up(api_client, password="Aa1!" * 33)
    assert any("at most 128" in m for m in too_long.json()["fields"]["password"])


def test_sign_up_needs_a_valid_email(api_client):
    response = api_client.post("/v1/auth/signup", {"email": "not-an-email", "password": STRONG})
    assert response.status_code == 400 and "email" in response.json()["fields"]


# --- sign-in ----------------------------------------------------------------------


def test_sign_in_ignores_email_case(api_client, user):
    response = api_client.post("/v1/auth/signin", {"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 200
    assert_session(response.json(), user.email)


def test_wrong_password_and_unknown_email_answer_alike(api_client, user, caplog):
    wrong_password = api_client.post("/v1/auth/signin", {"email": user.email, "password": "Nope-123!"})
    unknown_email = api_client.post("/v1/auth/signin", {"email": "ghost@example.com", "password": "Nope-123!"})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["code"] == "invalid_credentials"
    assert "Failed sign-in" in caplog.text and "Nope-123!" not in caplog.text


def test_sign_in_is_throttled_per_account_across_addresses(api_client, user):
    for n in range(10):
        response = api_client.post(
            "/v1/auth/signin", {"email": user.email, "password": "Wrong-123!"}, REMOTE_ADDR=f"10.1.0.{n}"
        )
        assert response.status_code == 401
    response = api_client.post("/v1/auth/signin", {"email": user.email, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0


def test_sign_in_is_throttled_per_address(api_client):
    for n in range(30):
        api_client.post("/v1/auth/signin", {"email": f"guess{n}@example.com", "password": "Wrong-123!"})
    response = api_client.post("/v1/auth/signin", {"email": "another@example.com", "password": "Wrong-123!"})
    assert response.status_code == 429


def test_forgot_password_is_throttled_per_email(api_client, user):
    for n in range(10):
        assert (
            api_client.post("/v1/auth/forgot-password", {"email": user.email}, REMOTE_ADDR=f"10.2.0.{n}").status_code
            == 200
        )
    assert api_client.post("/v1/auth/forgot-password", {"email": user.email}, REMOTE_ADDR="10.2.1.1").status_code == 429


def test_sign_up_is_throttled_per_address(api_client):
    for n in range(30):
        sign_up(api_client, email=f"bot{n}@example.com", password="x")
    assert sign_up(api_client, email="bot-last@example.com").status_code == 429


# --- sign-out -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_sign_out_ends_every_session_at_once(user, method):
    first, second = signed_in_client(user), signed_in_client(user)
    assert getattr(first, method)("/v1/auth/signout").status_code == 204
    for client in (first, second):
        assert client.get("/v1/user/me").status_code == 401
        renew = APIClient().post("/v1/auth/session/renew", {"refresh_token": client.session_tokens["refresh_token"]})
        assert renew.status_code == 401


def test_sign_out_needs_a_token(api_client):
    assert api_client.get("/v1/auth/signout").status_code == 401


# --- renewal ------------------------------------------------------------------------


def test_renew_rotates_the_refresh_token(api_client, user):
    old = signed_in_client(user).session_tokens
    response = api_client.post("/v1/auth/session/renew", {"refresh_token": old["refresh_token"]})
    assert response.status_code == 200
    body = response.json()
    assert_session(body, user.email)
    assert body["session"]["refresh_token"] != old["refresh_token"]
    assert bearer(body["session"]["access_token"]).get("/v1/user/me").status_code == 200


def test_replaying_a_rotated_refresh_token_ends_the_whole_family(api_client, user):
    stolen = signed_in_client(user).session_tokens["refresh_token"]
    renewed = api_client.post("/v1/auth/session/renew", {"refresh_token": stolen}).json()["session"]

    replay = api_client.post("/v1/auth/session/renew", {"refresh_token": stolen})
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_reused"
    # The legitimate continuation of the chain is dead too, access and refresh.
    assert bearer(renewed["access_token"]).get("/v1/user/me").status_code == 401
    assert api_client.post("/v1/auth/session/renew", {"refresh_token": renewed["refresh_token"]}).status_code == 401


@pytest.mark.parametrize("body", [{}, {"refresh_token": ""}])
def test_renew_without_a_token_is_401(api_client, body):
    assert api_client.post("/v1/auth/session/renew", body).status_code == 401


def test_renew_with_an_access_token_or_garbage_is_401(api_client, user):
    access = signed_in_client(user).session_tokens["access_token"]
    for token in (access, "garbage", access[:-4] + "AAAA"):
        response = api_client.post("/v1/auth/session/renew", {"refresh_token": token})
        assert response.status_code == 401 and response.json()["code"] == "token_not_valid"


# --- credentials --------------------------------------------------------------------


def test_changing_the_password_ends_other_sessions_and_keeps_the_caller_in(user):
    caller, other_device = signed_in_client(user), signed_in_client(user)
    response = caller.post("/v1/auth/credentials", {"current_password": PASSWORD, "password": "Brand-new-Pass-7"})
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "User updated successfully"
    assert other_device.get("/v1/user/me").status_code == 401
    assert caller.get("/v1/user/me").status_code == 401  # the old token of the caller too...
    assert bearer(body["session"]["access_token"]).get("/v1/user/me").status_code == 200  # ...but its new one works
    assert APIClient().post("/v1/auth/signin", {"email": user.email, "password": "Brand-new-Pass-7"}).status_code == 200


def test_changing_the_email_marks_it_unverified_and_sends_a_confirmation(user, jobs):
    client = signed_in_client(user)
    response = client.post("/v1/auth/credentials", {"current_password": PASSWORD, "email": "New.Address@Example.com"})
    assert response.status_code == 200 and "session" not in response.json()
    me = client.get("/v1/user/me").json()["data"]
    assert me["email"] == "new.address@example.com" and me["email_verified"] is False
    jobs.run()
    assert mail.outbox[-1].to == ["new.address@example.com"]


def test_changing_to_a_taken_email_is_409(user):
    UserFactory(email="someone@example.com")
    response = signed_in_client(user).post(
        "/v1/auth/credentials", {"current_password": PASSWORD, "email": "SOMEONE@example.com"}
    )
    assert response.status_code == 409 and response.json()["code"] == "email_taken"
    user.refresh_from_db()
    assert user.email != "someone@example.com"


def test_credentials_need_the_right_current_password(user):
    response = signed_in_client(user).post(
        "/v1/auth/credentials", {"current_password": "Wrong-123!", "password": STRONG}
    )
    assert response.status_code == 403 and response.json()["code"] == "invalid_credentials"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_google_only_accounts_have_no_password_to_change():
    google_user = User.objects.create_user(email="g@example.com")
    response = signed_in_client(google_user).post(
        "/v1/auth/credentials", {"current_password": "anything", "password": STRONG}
    )
    assert response.status_code == 403 and response.json()["code"] == "no_password_account"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"current_password": PASSWORD}, "non_field_errors"),
        ({"password": STRONG}, "current_password"),
        ({"current_password": PASSWORD, "password": "short"}, "password"),
        ({"current_password": PASSWORD, "email": "nope"}, "email"),
    ],
)
def test_credentials_validation(user, body, field):
    response = signed_in_client(user).post("/v1/auth/credentials", body)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_credentials_need_a_signed_in_user(api_client):
    assert api_client.post("/v1/auth/credentials", {"current_password": "x", "password": STRONG}).status_code == 401


# --- forgot and reset -----------------------------------------------------------------


def reset_token_from_mail(jobs) -> str:
    jobs.run()
    link = re.search(r"http://localhost:3000/new-password\?token=(\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return parse_qs(urlsplit(link.group(0)).query)["token"][0]


def test_forgot_password_answers_the_same_for_known_and_unknown_emails(api_client, user, jobs):
    known = api_client.post("/v1/auth/forgot-password", {"email": user.email.upper()})
    unknown = api_client.post("/v1/auth/forgot-password", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    jobs.run()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert "text/html" in mail.outbox[0].alternatives[0][1]


def test_reset_sets_the_password_once_and_ends_sessions(api_client, user, jobs):
    session = signed_in_client(user)
    api_client.post("/v1/auth/forgot-password", {"email": user.email})
    token = reset_token_from_mail(jobs)

    response = api_client.post("/v1/auth/reset-password", {"token": token, "password": "Reset-Pass-2025"})
    assert response.status_code == 200 and response.json() == {"message": "Password has been reset"}
    assert session.get("/v1/user/me").status_code == 401
    assert api_client.post("/v1/auth/signin", {"email": user.email, "password": "Reset-Pass-2025"}).status_code == 200

    again = api_client.post("/v1/auth/reset-password", {"token": token, "password": "Another-Pass-2025"})
    assert again.status_code == 400 and again.json()["code"] == "invalid_token"


def test_reset_token_expires(api_client, user, settings, jobs):
    api_client.post("/v1/auth/forgot-password", {"email": user.email})
    token = reset_token_from_mail(jobs)
    settings.PASSWORD_RESET_TIMEOUT = -1  # any token is older than this
    response = api_client.post("/v1/auth/reset-password", {"token": token, "password": "Reset-Pass-2025"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_token"


@pytest.mark.parametrize("token", ["garbage", "abc.def", "", "%%%.---"])
def test_reset_with_a_bad_token(api_client, token):
    response = api_client.post("/v1/auth/reset-password", {"token": token, "password": "Reset-Pass-2025"})
    assert response.status_code == 400


def test_reset_applies_the_password_rules(api_client, user, jobs):
    api_client.post("/v1/auth/forgot-password", {"email": user.email})
    response = api_client.post(
        "/v1/auth/reset-password", {"token": reset_token_from_mail(jobs), "password": "password"}
    )
    assert response.status_code == 400 and len(response.json()["fields"]["password"]) >= 3
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- email verification ---------------------------------------------------------------


def test_verify_email_with_the_key_from_the_mail(api_client, jobs):
    session = sign_up(api_client, email="verify@example.com").json()["session"]
    jobs.run()
    key = parse_qs(urlsplit(re.search(r"http://\S+verify-email\?key=\S+", mail.outbox[-1].body).group(0)).query)["key"][
        0
    ]

    response = api_client.post("/v1/auth/verify-email", {"key": key})
    assert response.status_code == 200 and response.json()["message"]
    assert bearer(session["access_token"]).get("/v1/user/me").json()["data"]["email_verified"] is True
    assert (
        api_client.post("/v1/auth/signin", {"email": "verify@example.com", "password": STRONG}).json()["user"][
            "email_verified"
        ]
        is True
    )

    again = api_client.post("/v1/auth/verify-email", {"key": key})
    assert again.status_code == 400 and again.json()["code"] == "invalid_key"


def test_verify_email_with_a_bad_key(api_client):
    response = api_client.post("/v1/auth/verify-email", {"key": "forged-key"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_key"


# --- /v1/user/me ----------------------------------------------------------------------


def test_me_shows_the_owner_fields(user):
    data = signed_in_client(user).get("/v1/user/me").json()["data"]
    assert data["id"] == str(user.pk) and data["email"] == user.email and data["role"] == "User"
    assert {"username", "country", "avatarurl", "email_verified", "premium_until", "is_premium"} <= set(data)


@pytest.mark.parametrize("method", ["post", "patch"])  # PATCH answered 405 before; the contract accepts it
def test_update_me_never_applies_a_role(user, method):
    client = signed_in_client(user)
    response = getattr(client, method)("/v1/user/me", {"username": "Minh Anh", "country": "JP", "role": "Admin"})
    assert response.status_code == 200
    assert response.json()["data"]["username"] == "Minh Anh" and response.json()["data"]["country"] == "JP"
    user.refresh_from_db()
    assert user.role == Role.USER


def test_update_me_avatar_upload(user):
    response = signed_in_client(user).post("/v1/user/me", {"file": png_file(image_format="GIF")}, format="multipart")
    assert response.status_code == 200
    assert response.json()["data"]["avatarurl"].endswith(f"/media/users/{user.pk}/avatar.gif")


def test_a_replaced_avatar_is_deleted(user, settings, django_capture_on_commit_callbacks):
    client = signed_in_client(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/v1/user/me", {"file": png_file(image_format="GIF")}, format="multipart")
    user.refresh_from_db()
    first = settings.MEDIA_ROOT / user.avatar.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch("/v1/user/me", {"file": png_file(image_format="PNG")}, format="multipart")
    assert response.status_code == 200
    user.refresh_from_db()
    assert (settings.MEDIA_ROOT / user.avatar.name).exists() and not first.exists()


def test_update_me_needs_at_least_one_field(user):
    client = signed_in_client(user)
    assert client.post("/v1/user/me", {}).status_code == 400
    assert client.post("/v1/user/me", {"role": "Admin"}).status_code == 400


def test_update_me_needs_a_signed_in_user(api_client):
    assert api_client.post("/v1/user/me", {"username": "x"}).status_code == 401


def test_renew_is_throttled_per_account(api_client, user):
    refresh_tokens = [signed_in_client(user).session_tokens["refresh_token"] for _ in range(11)]
    for n, token in enumerate(refresh_tokens[:10]):
        response = api_client.post("/v1/auth/session/renew", {"refresh_token": token}, REMOTE_ADDR=f"10.3.0.{n}")
        assert response.status_code == 200
    response = api_client.post("/v1/auth/session/renew", {"refresh_token": refresh_tokens[10]}, REMOTE_ADDR="10.3.1.1")
    assert response.status_code == 429
