"""The password APIs of the two reference documents, in each document's shapes, on the one password service."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from tests.helpers import bearer_client, signed_in_client
from users.models import User

pytestmark = pytest.mark.django_db

NEW = "Brand-new-Pass-7"
OLD_WRONG = "Your old password was entered incorrectly. Please enter it again."
TOKEN_INVALID = "The token is invalid. Enter the correct token that send to your email."
MISMATCH = "The two password fields didn't match."

# Each password rule, a password failing it (and only the rules named), and its message.
RULES = [
    ("similar", "listener-Example1!", "The password is too similar to the"),
    ("short", "Ab1!xyz", "This password is too short. It must contain at least 8 characters."),
    ("long", "Ab1!" + "x" * 130, "This password is too long. It must contain at most 128 characters."),
    ("common", "Password1!", "This password is too common."),
    ("numeric", "1234567890123", "This password is entirely numeric."),
    ("upper", "lower-case-only-9", "This password must contain at least one upper-case letter."),
    ("lower", "UPPER-CASE-ONLY-9", "This password must contain at least one lower-case letter."),
    ("digit", "No-Digits-Here!", "This password must contain at least one digit."),
    ("symbol", "NoSymbolsHere99", "This password must contain at least one character that is not a letter or a digit."),
]

UPDATE_PASSWORD_PATHS = ["/v1/auth/register/update-password", "/v1/auth/register/update-password/"]
CHANGE_PASSWORD_PATHS = ["/v1/user/profile/change-password/", "/v1/user/profile/change-password"]
FORGOT_PATHS = ["/v1/user/forgot-password/", "/v1/user/forgot-password"]
SUBMIT_PATHS = ["/v1/user/forgot-password-submit/", "/v1/user/forgot-password-submit"]


@pytest.fixture
def listener(db):
    return UserFactory(email="listener@example.com", username="listener")


def signs_in_with(user, password) -> bool:
    return APIClient().post("/v1/auth/signin", {"email": user.email, "password": password}).status_code == 200


def reset_link_from_mail(jobs) -> dict[str, str]:
    jobs.run()
    link = re.search(r"http://localhost:3000/new-password\?\S+", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return {name: values[0] for name, values in parse_qs(urlsplit(link.group(0)).query).items()}


# --- first document: POST /v1/auth/register/update-password -------------------------------


@pytest.mark.parametrize("path", UPDATE_PASSWORD_PATHS)
def test_update_password_succeeds_in_the_documents_envelope_and_ends_other_sessions(listener, path):
    caller, other_device = signed_in_client(listener), signed_in_client(listener)
    response = caller.post(path, {"password": PASSWORD, "newPassword": NEW})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] is True and body["data"]["done"] is True and body["data"]["message"]
    assert other_device.get("/v1/user/me").status_code == 401
    assert bearer_client(body["data"]["session"]["access_token"]).get("/v1/user/me").status_code == 200
    assert signs_in_with(listener, NEW) and not signs_in_with(listener, PASSWORD)


def test_update_password_with_a_wrong_current_password_is_4006(listener):
    response = signed_in_client(listener).post(
        UPDATE_PASSWORD_PATHS[0], {"password": "Wrong-Pass-1", "newPassword": NEW}
    )
    assert response.status_code == 403
    assert response.json() == {"status": False, "error": {"code": 4006, "message": "Invalid Credentials"}}
    assert signs_in_with(listener, PASSWORD)


@pytest.mark.parametrize(("rule", "new_password", "message"), RULES, ids=[rule for rule, _, _ in RULES])
def test_update_password_failing_a_rule_is_5057(listener, rule, new_password, message):
    response = signed_in_client(listener).post(
        UPDATE_PASSWORD_PATHS[0], {"password": PASSWORD, "newPassword": new_password}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] is False
    assert body["error"]["code"] == 5057 and body["error"]["message"] == "Insufficient Password Complexity"
    assert any(detail.startswith(message) for detail in body["error"]["details"]), body
    assert signs_in_with(listener, PASSWORD)


def test_update_password_without_a_bearer_is_4002(api_client):
    response = api_client.post(UPDATE_PASSWORD_PATHS[0], {"password": PASSWORD, "newPassword": NEW})
    assert response.status_code == 401
    assert response.json() == {"status": False, "error": {"code": 4002, "message": "No auth token"}}


@pytest.mark.parametrize("token", ["not-a-jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"])
def test_update_password_with_an_invalid_bearer_is_4004(listener, token):
    response = bearer_client(token).post(UPDATE_PASSWORD_PATHS[0], {"password": PASSWORD, "newPassword": NEW})
    assert response.status_code == 401
    assert response.json() == {"status": False, "error": {"code": 4004, "message": "Invalid Token"}}


def test_update_password_with_an_ended_session_is_4004(listener):
    client = signed_in_client(listener)
    client.get("/v1/auth/signout")
    response = client.post(UPDATE_PASSWORD_PATHS[0], {"password": PASSWORD, "newPassword": NEW})
    assert response.status_code == 401 and response.json()["error"]["code"] == 4004


def test_update_password_missing_a_field_answers_in_the_documents_envelope(listener):
    response = signed_in_client(listener).post(UPDATE_PASSWORD_PATHS[0], {"password": PASSWORD})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] is False and body["error"]["code"] == 400 and "newPassword" in body["error"]["message"]


# --- second document: POST /v1/user/profile/change-password/ -------------------------------


@pytest.mark.parametrize("path", CHANGE_PASSWORD_PATHS)
def test_change_password_succeeds_and_ends_other_sessions(listener, path):
    caller, other_device = signed_in_client(listener), signed_in_client(listener)
    response = caller.post(path, {"old_password": PASSWORD, "new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 200, response.json()
    assert response.json()["message"]
    assert other_device.get("/v1/user/me").status_code == 401
    assert bearer_client(response.json()["session"]["access_token"]).get("/v1/user/me").status_code == 200
    assert signs_in_with(listener, NEW)


def test_change_password_with_a_wrong_old_password_is_401_with_the_documents_message(listener):
    response = signed_in_client(listener).post(
        CHANGE_PASSWORD_PATHS[0], {"old_password": "Wrong-Pass-1", "new_password": NEW, "confirm_password": NEW}
    )
    assert response.status_code == 401
    assert response.json()["error"] == OLD_WRONG
    assert signs_in_with(listener, PASSWORD)


def test_change_password_with_a_differing_confirmation_is_400(listener):
    response = signed_in_client(listener).post(
        CHANGE_PASSWORD_PATHS[0], {"old_password": PASSWORD, "new_password": NEW, "confirm_password": NEW + "x"}
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"confirm_password": [MISMATCH]}
    assert signs_in_with(listener, PASSWORD)


@pytest.mark.parametrize(("rule", "new_password", "message"), RULES, ids=[rule for rule, _, _ in RULES])
def test_change_password_reports_each_failed_rule_under_new_password(listener, rule, new_password, message):
    response = signed_in_client(listener).post(
        CHANGE_PASSWORD_PATHS[0],
        {"old_password": PASSWORD, "new_password": new_password, "confirm_password": new_password},
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"new_password"}
    assert any(item.startswith(message) for item in fields["new_password"]), fields
    assert signs_in_with(listener, PASSWORD)


def test_change_password_needs_a_bearer(api_client):
    response = api_client.post(
        CHANGE_PASSWORD_PATHS[0], {"old_password": PASSWORD, "new_password": NEW, "confirm_password": NEW}
    )
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_change_password_ignores_an_apikey_header(listener):
    response = signed_in_client(listener).post(
        CHANGE_PASSWORD_PATHS[0],
        {"old_password": PASSWORD, "new_password": NEW, "confirm_password": NEW},
        HTTP_APIKEY="anything",
    )
    assert response.status_code == 200


# --- /v1/auth/credentials with the second document's names --------------------------------


def test_credentials_accept_old_and_new_password_names(listener):
    client = signed_in_client(listener)
    response = client.post(
        "/v1/auth/credentials", {"old_password": PASSWORD, "new_password": NEW, "confirm_password": NEW}
    )
    assert response.status_code == 200, response.json()
    assert "session" in response.json() and signs_in_with(listener, NEW)


def test_credentials_check_confirm_password_when_given(listener):
    response = signed_in_client(listener).post(
        "/v1/auth/credentials", {"current_password": PASSWORD, "password": NEW, "confirm_password": "Other-Pass-7"}
    )
    assert response.status_code == 400 and response.json()["fields"] == {"confirm_password": [MISMATCH]}
    assert signs_in_with(listener, PASSWORD)


def test_credentials_report_rules_under_the_name_the_client_used(listener):
    response = signed_in_client(listener).post(
        "/v1/auth/credentials", {"old_password": PASSWORD, "new_password": "short"}
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"new_password"}


def test_credentials_with_the_old_password_name_still_check_it(listener):
    response = signed_in_client(listener).post(
        "/v1/auth/credentials", {"old_password": "Wrong-Pass-1", "new_password": NEW}
    )
    assert response.status_code == 403 and response.json()["code"] == "invalid_credentials"
    assert signs_in_with(listener, PASSWORD)


# --- second document: forgot-password/ and forgot-password-submit/ ---------------------------


@pytest.mark.parametrize("path", FORGOT_PATHS)
def test_forgot_password_by_username_mails_a_link_with_token_and_user_key(api_client, listener, path, jobs):
    response = api_client.post(path, {"email": "LISTENER"})
    assert response.status_code == 200
    jobs.run()
    assert mail.outbox[-1].to == [listener.email]
    link = reset_link_from_mail(jobs)
    assert set(link) == {"token", "user"} and link["token"].startswith(link["user"] + ".")


def test_forgot_password_by_email(api_client, listener, jobs):
    assert api_client.post(FORGOT_PATHS[0], {"email": "Listener@Example.com"}).status_code == 200
    jobs.run()
    assert mail.outbox[-1].to == [listener.email]


def test_forgot_password_answers_the_same_for_unknown_accounts(api_client, listener, jobs):
    known = api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    unknown_name = api_client.post(FORGOT_PATHS[0], {"email": "nobody-here"})
    unknown_email = api_client.post(FORGOT_PATHS[0], {"email": "nobody@example.com"})
    assert known.status_code == unknown_name.status_code == unknown_email.status_code == 200
    assert known.json() == unknown_name.json() == unknown_email.json()
    jobs.run()
    assert len(mail.outbox) == 1


def test_forgot_password_by_a_shared_username_mails_each_account_its_own_link(api_client, listener, jobs):
    twin = UserFactory(email="twin@example.com", username="Listener")
    api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    jobs.run()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([listener.email, twin.email])


def test_forgot_password_shares_the_throttle_of_auth_forgot_password(api_client, listener):
    for n in range(10):
        path = FORGOT_PATHS[0] if n % 2 else "/v1/auth/forgot-password"
        assert api_client.post(path, {"email": listener.email}, REMOTE_ADDR=f"10.3.0.{n}").status_code == 200
    assert api_client.post(FORGOT_PATHS[0], {"email": listener.email}, REMOTE_ADDR="10.3.1.1").status_code == 429


@pytest.mark.parametrize("path", SUBMIT_PATHS)
def test_submit_resets_the_password_with_the_user_key_and_token_from_the_mail(api_client, listener, path, jobs):
    other_device = signed_in_client(listener)
    api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    link = reset_link_from_mail(jobs)
    response = api_client.post(path, {"user": link["user"], "token": link["token"], "new_password": NEW})
    assert response.status_code == 200, response.json()
    assert signs_in_with(listener, NEW)
    assert other_device.get("/v1/user/me").status_code == 401


def test_submit_takes_the_bare_token_with_its_user_key(api_client, listener, jobs):
    api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    link = reset_link_from_mail(jobs)
    bare = link["token"].split(".", 1)[1]
    response = api_client.post(SUBMIT_PATHS[0], {"user": link["user"], "token": bare, "new_password": NEW})
    assert response.status_code == 200 and signs_in_with(listener, NEW)


def test_submit_refuses_a_token_under_another_users_key(api_client, listener, jobs):
    someone = UserFactory()
    api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    listener_link = reset_link_from_mail(jobs)
    api_client.post(FORGOT_PATHS[0], {"email": someone.email})
    someone_key = reset_link_from_mail(jobs)["user"]
    response = api_client.post(
        SUBMIT_PATHS[0], {"user": someone_key, "token": listener_link["token"], "new_password": NEW}
    )
    assert response.status_code == 400 and response.json()["fields"] == {"token": [TOKEN_INVALID]}
    assert signs_in_with(listener, PASSWORD)


@pytest.mark.parametrize("token", ["", "nonsense", "AAAA.bogus-token"])
def test_submit_with_an_invalid_token(api_client, listener, token):
    response = api_client.post(SUBMIT_PATHS[0], {"user": "AAAA", "token": token or "x", "new_password": NEW})
    assert response.status_code == 400 and response.json()["fields"] == {"token": [TOKEN_INVALID]}


def test_submit_without_the_user_key(api_client, listener, jobs):
    api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    response = api_client.post(SUBMIT_PATHS[0], {"token": reset_link_from_mail(jobs)["token"], "new_password": NEW})
    assert response.status_code == 400 and response.json()["fields"] == {"user": ["This field is required."]}


def test_submit_applies_the_password_rules_under_new_password(api_client, listener, jobs):
    api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    link = reset_link_from_mail(jobs)
    response = api_client.post(
        SUBMIT_PATHS[0], {"user": link["user"], "token": link["token"], "new_password": "password"}
    )
    assert response.status_code == 400 and "new_password" in response.json()["fields"]
    assert signs_in_with(listener, PASSWORD)


def test_a_reset_token_is_single_use_across_both_reset_endpoints(api_client, listener, jobs):
    api_client.post(FORGOT_PATHS[0], {"email": "listener"})
    link = reset_link_from_mail(jobs)
    assert api_client.post("/v1/auth/reset-password", {"token": link["token"], "password": NEW}).status_code == 200
    again = api_client.post(
        SUBMIT_PATHS[0], {"user": link["user"], "token": link["token"], "new_password": "Third-Pass-9"}
    )
    assert again.status_code == 400 and again.json()["fields"] == {"token": [TOKEN_INVALID]}

    api_client.post("/v1/auth/forgot-password", {"email": listener.email})
    link = reset_link_from_mail(jobs)
    assert api_client.post(SUBMIT_PATHS[0], {**link, "new_password": "Fourth-Pass-9"}).status_code == 200
    used = api_client.post("/v1/auth/reset-password", {"token": link["token"], "password": "Fifth-Pass-9"})
    assert used.status_code == 400 and used.json()["code"] == "invalid_token"
    assert signs_in_with(User.objects.get(pk=listener.pk), "Fourth-Pass-9")


# --- the OpenAPI document ------------------------------------------------------------------


def test_each_reference_endpoint_is_documented_with_its_own_shapes(api_client):
    schema = api_client.get("/v1/schema/?format=json").json()
    paths = schema["paths"]
    update = paths["/v1/auth/register/update-password"]["post"]
    assert "UpdatePassword" in str(update["requestBody"]) and "ReferenceError" in str(update["responses"]["401"])
    for path, request in [
        ("/v1/user/profile/change-password/", "ChangePassword"),
        ("/v1/user/forgot-password/", "ForgotPasswordByLogin"),
        ("/v1/user/forgot-password-submit/", "ForgotPasswordSubmit"),
    ]:
        assert request in str(paths[path]["post"]["requestBody"]), path
