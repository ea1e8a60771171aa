"""Helpers shared by the suites: signed-in clients, bearer clients and SQL query counting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from users.tokens import issue_session


def signed_in_client(user) -> APIClient:
    """An API client sending a real bearer token of a fresh session of `user`."""
    client = APIClient()
    session = issue_session(user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access_token']}")
    client.user = user
    client.session_tokens = session
    return client


def bearer_client(access_token: str) -> APIClient:
    """An API client sending `access_token` as its bearer token (one a test got from an answer)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return client


THROTTLE_TABLE = "hustmusik_throttle"


def _endpoint_queries(captured: CaptureQueriesContext) -> list[str]:
    """The SQL a request ran for itself: throttle counters live in Redis when REDIS_URL is set and
    in a table otherwise (hustmusik.throttle_store), so their queries are not the endpoint's."""
    return [query["sql"] for query in captured.captured_queries if THROTTLE_TABLE not in query["sql"]]


def count_queries(request: Callable[[], Any]) -> tuple[Any, int]:
    """Run `request` and return its result with the number of SQL queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        result = request()
    return result, len(_endpoint_queries(captured))


def assert_query_count(request: Callable[[], Any], expected: int) -> Any:
    """Pin the SQL query count of a request, printing the queries when it differs."""
    with CaptureQueriesContext(connection) as captured:
        result = request()
    queries = _endpoint_queries(captured)
    assert len(queries) == expected, f"expected {expected} queries, ran {len(queries)}:\n" + "\n".join(queries)
    return result
