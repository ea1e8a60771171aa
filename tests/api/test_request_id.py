import json
import logging

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from hustmusik.request_id import RequestIdFilter


@pytest.mark.django_db
def test_every_answer_carries_a_request_id(api_client):
    first, second = api_client.get("/"), api_client.get("/v1/nope")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_its_sane_request_id_is_kept_and_a_hostile_one_replaced(api_client, settings):
    settings.NUM_PROXIES = 1
    assert api_client.get("/", HTTP_X_REQUEST_ID="lb-0123456789abcdef")["X-Request-ID"] == "lb-0123456789abcdef"
    assert api_client.get("/", HTTP_X_REQUEST_ID="bad-id<script>")["X-Request-ID"] != "bad-id<script>"


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_client_cannot_choose_its_request_id(api_client, settings):
    settings.NUM_PROXIES = 0
    assert api_client.get("/", HTTP_X_REQUEST_ID="lb-0123456789abcdef")["X-Request-ID"] != "lb-0123456789abcdef"


@pytest.mark.django_db
def test_logs_are_json_lines_with_the_request_id(api_client):
    # The "json" formatter exactly as settings.LOGGING builds it.
    json_config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(json_config["fmt"], rename_fields=json_config["rename_fields"])
    records = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(formatter.format(record))

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    access = logging.getLogger("hustmusik.access")
    access.addHandler(handler)
    try:
        response = api_client.get("/v1/nope")
    finally:
        access.removeHandler(handler)
    line = json.loads(records[-1])
    assert line["request_id"] == response["X-Request-ID"]
    assert line["client"] == "127.0.0.1"
    assert line["status"] == 404 and line["path"] == "/v1/nope" and line["level"] == "INFO"
