from datetime import datetime

import pytest
from django.db import connection


@pytest.mark.django_db
def test_health_is_200_json(api_client):
    response = api_client.get("/")
    assert response.status_code == 200
    body = response.json()
    assert body["msg"] == "Server is healthy"
    assert body["last_checked"].endswith("Z")
    datetime.fromisoformat(body["last_checked"])


def test_health_is_503_when_the_database_is_unreachable(api_client, django_db_blocker):
    original = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1", OPTIONS={**original["OPTIONS"], "connect_timeout": 1})
        try:
            response = api_client.get("/")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)
    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"msg", "last_checked", "error"}
    assert "database" in body["error"]
