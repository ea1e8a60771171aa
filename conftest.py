import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.helpers import signed_in_client
from users.models import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes its uploads to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    """Throttle counters and cached answers never leak from one test to the next.

    Counters in the database (no REDIS_URL) are cleared, outside the test's transaction, when the
    test may use the database (its test database is set up by then); other tests cannot have written any.
    """
    uses_database = request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(request.fixturenames)
    stores = [
        caches[alias] for alias in caches.settings if uses_database or not isinstance(caches[alias], DatabaseCache)
    ]

    def clear():
        with django_db_blocker.unblock():
            for store in stores:
                store.clear()

    clear()
    yield
    clear()


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


@pytest.fixture
def jobs(transactional_db):
    """The job worker on the test database: `jobs.run()` works off the queue, `jobs.start()` runs one
    in the background until the test ends. The queue starts and ends empty."""
    from tests.worker import Jobs, clear_job_tables

    clear_job_tables()
    worker = Jobs()
    yield worker
    worker.stop()
    clear_job_tables()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback that the app (and its worker) mails through; not started yet."""
    from tests.fakes.smtp import FakeSMTPServer

    server = FakeSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 30
    yield server
    server.stop()
