"""The health check of reused database connections (hustmusik/postgresql): no round trip while
the connection is quiet, and a connection the server ended is replaced before it is used."""

import select
import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reused():
    """A second connection to the test database, as a gunicorn worker holds one between requests."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def start_request(wrapper):
    """What Django does to a kept connection when a request starts, then the request's first query."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def last_query(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_a_quiet_connection_is_kept_without_a_round_trip(reused):
    assert reused.health_check_enabled
    with reused.cursor() as cursor:
        cursor.execute("SELECT 'before the request'")
    pid = reused.connection.info.backend_pid
    reused.close_if_unusable_or_obsolete()
    reused.close_if_health_check_failed()  # what the request's first cursor does
    assert reused.connection.info.backend_pid == pid
    assert last_query(pid) == "SELECT 'before the request'"  # Django's own check would have sent SELECT 1


def test_a_connection_the_server_ended_is_replaced_before_the_next_request_uses_it(reused):
    pid = start_request(reused)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    poller = select.poll()
    poller.register(reused.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 10
    while not poller.poll(100) and time.monotonic() < deadline:
        pass
    assert start_request(reused) != pid  # answered on a new connection, no error
