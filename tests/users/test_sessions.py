"""Bearer tokens: verified signature, audience and expiry, and refused once the sessions were ended."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from tests.helpers import signed_in_client
from users.services import user_revoke_sessions

pytestmark = pytest.mark.django_db


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


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
    response = bearer(forge(_claims(user))).get("/v1/user/me")
    assert response.status_code == 401
    assert response.json()["code"] in {"token_not_valid", "authentication_failed"}


def test_a_well_signed_token_is_accepted_so_the_forgeries_fail_for_their_flaw(user):
    token = jwt.encode(_claims(user), settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")
    assert bearer(token).get("/v1/user/me").status_code == 200


def test_refresh_token_is_not_an_access_token(user):
    refresh = signed_in_client(user).session_tokens["refresh_token"]
    assert bearer(refresh).get("/v1/user/me").status_code == 401


def test_inactive_user_is_refused(user):
    client = signed_in_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/v1/user/me").status_code == 401


def test_missing_token_is_401(api_client):
    response = api_client.get("/v1/user/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
