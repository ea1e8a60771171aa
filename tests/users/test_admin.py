import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory
from tests.helpers import signed_in_client
from users.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="root@example.com", password="S3cret!pass")


def test_user_changelist_searches_and_filters_by_role(client, superuser):
    UserFactory(email="manager@example.com", role=Role.ARTIST_MANAGER)
    UserFactory(email="fan@example.com", role=Role.USER)
    client.force_login(superuser)
    response = client.get("/admin/users/user/", {"role__exact": "Artist Manager"})
    assert response.status_code == 200
    assert b"manager@example.com" in response.content and b"fan@example.com" not in response.content
    response = client.get("/admin/users/user/", {"q": "fan@"})
    assert b"fan@example.com" in response.content and b"manager@example.com" not in response.content


def test_admin_changes_a_role(client, superuser):
    fan = UserFactory(role=Role.USER)
    client.force_login(superuser)
    page = client.get(f"/admin/users/user/{fan.pk}/change/")
    assert page.status_code == 200 and b'name="role"' in page.content


def test_staff_who_are_not_admins_cannot_edit_roles(client):
    staff = UserFactory(role=Role.ARTIST_MANAGER, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    fan = UserFactory(role=Role.USER)
    client.force_login(staff)
    page = client.get(f"/admin/users/user/{fan.pk}/change/")
    assert page.status_code == 200
    assert b'name="role"' not in page.content  # shown read-only


def test_admin_adds_a_user_by_email(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/users/user/add/",
        {
            "email": "New@Example.com",
            "password1": "S3cret!pass-xyz",
            "password2": "S3cret!pass-xyz",
            "role": "User",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert User.objects.filter(email="new@example.com").exists()


def test_admin_ends_a_users_sessions(client, superuser):
    fan = UserFactory()
    fan_client = signed_in_client(fan)
    client.force_login(superuser)
    page = client.get(f"/admin/users/user/{fan.pk}/change/")
    assert b"1 unexpired refresh token<" in page.content
    response = client.post(
        "/admin/users/user/", {"action": "end_all_sessions", "_selected_action": [str(fan.pk)]}, follow=True
    )
    assert response.status_code == 200
    assert fan_client.get("/v1/user/me").status_code == 401
    assert b"0 unexpired refresh tokens" in client.get(f"/admin/users/user/{fan.pk}/change/").content


def test_admin_marks_an_email_verified(client, superuser):
    fan = UserFactory()
    client.force_login(superuser)
    client.post("/admin/users/user/", {"action": "mark_email_verified", "_selected_action": [str(fan.pk)]})
    assert signed_in_client(fan).get("/v1/user/me").json()["data"]["email_verified"] is True
