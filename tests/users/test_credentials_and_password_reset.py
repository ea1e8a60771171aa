"""Changing the password or the email (/v1/auth/credentials) and resetting a forgotten password by mail."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.helpers import bearer_client, signed_in_client
from tests.users.helpers import STRONG
from users.models import User

pytestmark = pytest.mark.django_db


# --- credentials -------------------------------------------------------------------------


def test_changing_the_password_ends_other_sessions_and_keeps_the_caller_in(user):
    caller, other_device = signed_in_client(user), signed_in_client(user)
    response = caller.post("/v1/auth/credentials", {"current_password": PASSWORD, "password": "Brand-new-Pass-7"})
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "User updated successfully"
    assert other_device.get("/v1/user/me").status_code == 401
    assert caller.get("/v1/user/me").status_code == 401  # the old token of the caller too...
    assert (
        bearer_client(body["session"]["access_token"]).get("/v1/user/me").status_code == 200
    )  # ...but its new one works
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


# --- forgot and reset --------------------------------------------------------------------


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


def test_forgot_password_is_throttled_per_email(api_client, user):
    for n in range(10):
        assert (
            api_client.post("/v1/auth/forgot-password", {"email": user.email}, REMOTE_ADDR=f"10.2.0.{n}").status_code
            == 200
        )
    assert api_client.post("/v1/auth/forgot-password", {"email": user.email}, REMOTE_ADDR="10.2.1.1").status_code == 429
