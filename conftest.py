import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.helpers import signed_in_client
from users.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes its uploads to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached answers never leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory(role=Role.USER)


@pytest.fixture
def client_as(db):
    """`client_as(Role.ADMIN)` or `client_as(some_user)`: an API client signed in as that role or user."""

    def make(who=Role.USER, **user_fields):
        account = who if not isinstance(who, str) else UserFactory(role=who, **user_fields)
        return signed_in_client(account)

    return make
