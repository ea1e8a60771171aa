"""Fuzzing from the OpenAPI document: every operation, anonymous and signed in, with a bounded budget.

It must find no 5xx, no answer that breaks the documented schema and no undocumented status code.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.helpers import signed_in_client

schema = schemathesis.openapi.from_wsgi("/v1/schema/?format=json", get_wsgi_application())

BUDGET = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
# What the issue asks of every answer: no 5xx, only documented statuses, content types,
# headers and bodies. (Whether a schema-valid body passes business rules, such as a strong
# password or a real reset token, is for the endpoint tests.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request must not close the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db, user):
    return {"Authorization": f"Bearer {signed_in_client(user).session_tokens['access_token']}"}


@pytest.mark.django_db
@schema.parametrize()
@BUDGET
def test_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@BUDGET
def test_signed_in(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
