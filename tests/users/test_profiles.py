"""Profiles: the caller's own (/v1/user/me: read, update, avatar) and the public ones (/v1/user,
/v1/user/{id}), which administrators delete with everything the account owns."""

import pytest

from collections_app.models import Collection
from tests.factories import CollectionFactory, UserFactory
from tests.helpers import assert_query_count, signed_in_client
from tests.media import image_file
from users.models import Role, User

pytestmark = pytest.mark.django_db

UNKNOWN = "6f1c9a4e-0000-4000-8000-000000000000"


# --- the caller's own: /v1/user/me -------------------------------------------------------


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
    response = signed_in_client(user).post(
        "/v1/user/me", {"file": image_file("avatar.png", image_format="GIF")}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["data"]["avatarurl"].endswith(f"/media/users/{user.pk}/avatar.gif")


def test_a_replaced_avatar_is_deleted(user, settings, django_capture_on_commit_callbacks):
    client = signed_in_client(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/v1/user/me", {"file": image_file("avatar.png", image_format="GIF")}, format="multipart")
    user.refresh_from_db()
    first = settings.MEDIA_ROOT / user.avatar.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            "/v1/user/me", {"file": image_file("avatar.png", image_format="PNG")}, format="multipart"
        )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (settings.MEDIA_ROOT / user.avatar.name).exists() and not first.exists()


def test_update_me_needs_at_least_one_field(user):
    client = signed_in_client(user)
    assert client.post("/v1/user/me", {}).status_code == 400
    assert client.post("/v1/user/me", {"role": "Admin"}).status_code == 400


def test_update_me_needs_a_signed_in_user(api_client):
    assert api_client.post("/v1/user/me", {"username": "x"}).status_code == 401


# --- public profiles: /v1/user, /v1/user/{id} --------------------------------------------


def test_user_list_is_public_and_shows_no_emails(api_client):
    UserFactory(username="Lan", role=Role.ARTIST_MANAGER)
    body = assert_query_count(lambda: api_client.get("/v1/user?limit=1"), 2).json()
    assert set(body["data"][0]) == {"id", "username", "role", "avatarurl"}
    UserFactory.create_batch(20)
    assert len(assert_query_count(lambda: api_client.get("/v1/user?limit=21"), 2).json()["data"]) == 21


def test_user_detail_and_its_404_message(api_client):
    user = UserFactory(username="Minh", country="VN")
    body = assert_query_count(lambda: api_client.get(f"/v1/user/{user.pk}"), 1).json()
    assert body == {
        "data": {
            "id": str(user.pk),
            "username": "Minh",
            "role": "User",
            "avatarurl": "http://testserver/static/defaults/user.png",
            "country": "VN",
        }
    }
    missing = api_client.get(f"/v1/user/{UNKNOWN}")
    assert missing.status_code == 404 and missing.json()["error"] == "User does not exist"


def test_only_admins_delete_users_and_their_things_go_too(client_as, api_client):
    doomed = UserFactory()
    CollectionFactory(owner=doomed)
    assert api_client.delete(f"/v1/user/{doomed.pk}").status_code == 401
    assert signed_in_client(doomed).delete(f"/v1/user/{doomed.pk}").status_code == 403
    assert client_as(Role.ADMIN).delete(f"/v1/user/{doomed.pk}").status_code == 204
    assert not User.objects.filter(pk=doomed.pk).exists() and not Collection.objects.filter(owner_id=doomed.pk).exists()
    assert client_as(Role.ADMIN).delete(f"/v1/user/{doomed.pk}").status_code == 404


def test_a_deleted_accounts_avatar_goes_once_the_deletion_is_committed(
    client_as, settings, django_capture_on_commit_callbacks
):
    doomed = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in_client(doomed).post("/v1/user/me", {"file": image_file("avatar.png")}, format="multipart")
    doomed.refresh_from_db()
    avatar = settings.MEDIA_ROOT / doomed.avatar.name
    assert avatar.exists()

    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert client_as(Role.ADMIN).delete(f"/v1/user/{doomed.pk}").status_code == 204
    assert avatar.exists()  # not before the commit: a rolled-back deletion keeps its avatar
    for callback in pending:
        callback()
    assert not avatar.exists()
