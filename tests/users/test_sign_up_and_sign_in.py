"""Sign-up (with the verification of its email) and sign-in: the contract's rows, their errors and throttles."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from tests.factories import PASSWORD, UserFactory
from tests.helpers import bearer_client
from tests.media import image_file
from tests.users.helpers import STRONG, assert_session
from users.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, email="an@example.com", password=STRONG, **extra):
    return client.post("/v1/auth/signup", {"email": email, "password": password, **extra})


# --- sign-up -----------------------------------------------------------------------------


def test_sign_up_answers_a_session_and_sends_a_verification_email(api_client, jobs):
    response = sign_up(api_client, email="  Thu.Trang@Example.com", username="Thu Trang", country="VN")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert_session(body, "thu.trang@example.com")
    assert body["user"]["email_verified"] is False and body["user"]["username"] == "Thu Trang"

    me = bearer_client(body["session"]["access_token"]).get("/v1/user/me").json()["data"]
    assert me["email"] == "thu.trang@example.com" and me["country"] == "VN"

    assert mail.outbox == []  # sent by the worker, not by the request
    jobs.run()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["thu.trang@example.com"]
    assert re.search(r"http://localhost:3000/verify-email\?key=\S+", mail.outbox[0].body)
    assert mail.outbox[0].alternatives and "text/html" in mail.outbox[0].alternatives[0][1]


def test_sign_up_with_an_avatar_in_multipart(api_client):
    response = api_client.post(
        "/v1/auth/signup",
        {"email": "pic@example.com", "password": STRONG, "file": image_file("me.jpeg")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    user = User.objects.get(email="pic@example.com")
    assert user.avatar.name == f"users/{user.pk}/avatar.png"  # keyed by id, named after the real format
    avatar_url = (
        bearer_client(response.json()["session"]["access_token"]).get("/v1/user/me").json()["data"]["avatarurl"]
    )
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


def test_sign_up_is_throttled_per_address(api_client):
    for n in range(30):
        sign_up(api_client, email=f"bot{n}@example.com", password="x")
    assert sign_up(api_client, email="bot-last@example.com").status_code == 429


# --- email verification ------------------------------------------------------------------


def test_verify_email_with_the_key_from_the_mail(api_client, jobs):
    session = sign_up(api_client, email="verify@example.com").json()["session"]
    jobs.run()
    key = parse_qs(urlsplit(re.search(r"http://\S+verify-email\?key=\S+", mail.outbox[-1].body).group(0)).query)["key"][
        0
    ]

    response = api_client.post("/v1/auth/verify-email", {"key": key})
    assert response.status_code == 200 and response.json()["message"]
    assert bearer_client(session["access_token"]).get("/v1/user/me").json()["data"]["email_verified"] is True
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


# --- sign-in -----------------------------------------------------------------------------


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
