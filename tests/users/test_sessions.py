"""Sessions: bearer tokens (verified signature, audience and expiry, refused once the sessions were
ended), their renewal with a rotating refresh token, and sign-out."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from tests.helpers import bearer_client, signed_in_client
from tests.users.helpers import assert_session
from users.services import user_revoke_sessions

pytestmark = pytest.mark.django_db


# --- bearer tokens ---------------------------------------------------------------------------


def test_valid_token_reads_the_profile(user):
    response = signed_in_client(user).get("/v1/user/me")
    assert response.status_code == 200
    assert response.json()["data"]["email"] == user.email


def test_revoked_sessions_refuse_unexpired_access_tokens(user):
    client = signed_in_client(user)
    access = jwt.decode(client.session_tokens["access_token"], options={"verify_signature": False})
    assert access["exp"] > timezone.now().timestamp() + 60  # far from expiry

    user_revoke_sessions(user=user)

    response = client.get("/v1/user/me")
    assert response.status_code == 401
    assert response.json()["code"] == "session_revoked"


def test_revoking_blacklists_refresh_tokens_and_new_sessions_work(user):
    old = signed_in_client(user)
    user_revoke_sessions(user=user)
    with pytest.raises(TokenError):
        RefreshToken(old.session_tokens["refresh_token"]).check_blacklist()
    assert signed_in_client(user).get("/v1/user/me").status_code == 200


def _claims(user, **overrides):
    now = timezone.now()
    claims = {
        "token_type": "access",
        "sub": str(user.pk),
        "sgen": user.session_generation,
        "jti": "x" * 32,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
        "aud": settings.SIMPLE_JWT["AUDIENCE"],
        "iss": settings.SIMPLE_JWT["ISSUER"],
    }
    claims.update(overrides)
    return claims


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda claims: jwt.encode(claims, "not-our-key-but-long-enough-for-hs256!", algorithm="HS256"),
            id="wrong-key",
        ),
        pytest.param(lambda claims: jwt.encode(claims, None, algorithm="none"), id="alg-none"),
        pytest.param(
            lambda claims: jwt.encode(
                {**claims, "exp": int(timezone.now().timestamp()) - 10}, settings.SIMPLE_JWT["SIGNING_KEY"], "HS256"
            ),
            id="expired",
        ),
        pytest.param(
            lambda claims: jwt.encode({**claims, "aud": "someone-else"}, settings.SIMPLE_JWT["SIGNING_KEY"], "HS256"),
            id="wrong-audience",
        ),
        pytest.param(lambda claims: "not.a.jwt", id="garbage"),
    ],
)
def test_forged_tokens_are_401(user, forge):
    response = bearer_client(forge(_claims(user))).get("/v1/user/me")
    assert response.status_code == 401
    assert response.json()["code"] in {"token_not_valid", "authentication_failed"}


def test_a_well_signed_token_is_accepted_so_the_forgeries_fail_for_their_flaw(user):
    token = jwt.encode(_claims(user), settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")
    assert bearer_client(token).get("/v1/user/me").status_code == 200


def test_refresh_token_is_not_an_access_token(user):
    refresh = signed_in_client(user).session_tokens["refresh_token"]
    assert bearer_client(refresh).get("/v1/user/me").status_code == 401


def test_inactive_user_is_refused(user):
    client = signed_in_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/v1/user/me").status_code == 401


def test_missing_token_is_401(api_client):
    response = api_client.get("/v1/user/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- sign-out ----------------------------------------------------------------------------


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


# --- renewal -----------------------------------------------------------------------------


def test_renew_rotates_the_refresh_token(api_client, user):
    old = signed_in_client(user).session_tokens
    response = api_client.post("/v1/auth/session/renew", {"refresh_token": old["refresh_token"]})
    assert response.status_code == 200
    body = response.json()
    assert_session(body, user.email)
    assert body["session"]["refresh_token"] != old["refresh_token"]
    assert bearer_client(body["session"]["access_token"]).get("/v1/user/me").status_code == 200


def test_replaying_a_rotated_refresh_token_ends_the_whole_family(api_client, user):
    stolen = signed_in_client(user).session_tokens["refresh_token"]
    renewed = api_client.post("/v1/auth/session/renew", {"refresh_token": stolen}).json()["session"]

    replay = api_client.post("/v1/auth/session/renew", {"refresh_token": stolen})
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_reused"
    # The legitimate continuation of the chain is dead too, access and refresh.
    assert bearer_client(renewed["access_token"]).get("/v1/user/me").status_code == 401
    assert api_client.post("/v1/auth/session/renew", {"refresh_token": renewed["refresh_token"]}).status_code == 401


@pytest.mark.parametrize("body", [{}, {"refresh_token": ""}])
def test_renew_without_a_token_is_401(api_client, body):
    assert api_client.post("/v1/auth/session/renew", body).status_code == 401


def test_renew_with_an_access_token_or_garbage_is_401(api_client, user):
    access = signed_in_client(user).session_tokens["access_token"]
    for token in (access, "garbage", access[:-4] + "AAAA"):
        response = api_client.post("/v1/auth/session/renew", {"refresh_token": token})
        assert response.status_code == 401 and response.json()["code"] == "token_not_valid"


def test_renew_is_throttled_per_account(api_client, user):
    refresh_tokens = [signed_in_client(user).session_tokens["refresh_token"] for _ in range(11)]
    for n, token in enumerate(refresh_tokens[:10]):
        response = api_client.post("/v1/auth/session/renew", {"refresh_token": token}, REMOTE_ADDR=f"10.3.0.{n}")
        assert response.status_code == 200
    response = api_client.post("/v1/auth/session/renew", {"refresh_token": refresh_tokens[10]}, REMOTE_ADDR="10.3.1.1")
    assert response.status_code == 429
