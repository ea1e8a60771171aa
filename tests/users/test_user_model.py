import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from users.models import Role, User

pytestmark = pytest.mark.django_db


def test_create_user_with_email_and_password():
    user = User.objects.create_user(email="  Lan.Anh@Example.COM ", password="S3cret!pass")
    assert user.email == "lan.anh@example.com"
    assert user.role == Role.USER and not user.is_staff and not user.is_superuser
    assert user.check_password("S3cret!pass")
    assert len(str(user.pk)) == 36  # a UUID
    assert user.created_at and user.updated_at


def test_sign_in_by_email_ignores_case():
    User.objects.create_user(email="minh@example.com", password="S3cret!pass")
    assert authenticate(email="MINH@Example.com", password="S3cret!pass") is not None
    assert authenticate(email="minh@example.com", password="wrong") is None


def test_email_is_unique_whatever_the_case_even_bypassing_the_manager():
    User.objects.create_user(email="hoa@example.com", password="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email="HOA@example.com").save()


def test_role_only_holds_the_three_roles():
    user = User.objects.create_user(email="a@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(role="Superstar")
    assert {choice for choice, _ in Role.choices} == {"User", "Artist Manager", "Admin"}


def test_user_without_password_cannot_sign_in_with_one():
    user = User.objects.create_user(email="google-only@example.com")
    assert not user.has_usable_password()


def test_create_superuser_is_an_admin():
    admin = User.objects.create_superuser(email="root@example.com", password="S3cret!pass")
    assert admin.is_staff and admin.is_superuser and admin.role == Role.ADMIN


def test_createsuperuser_command_with_email_login(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "S3cret!pass-for-admin")
    call_command("createsuperuser", "--noinput", "--email", "Boss@Example.com")
    admin = User.objects.get(email="boss@example.com")
    assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser
    assert admin.check_password("S3cret!pass-for-admin")


def test_pg_trgm_is_enabled():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
