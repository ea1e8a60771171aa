import pytest

from users.models import Role


@pytest.fixture
def admin(client_as):
    """An API client signed in as an administrator."""
    return client_as(Role.ADMIN)
