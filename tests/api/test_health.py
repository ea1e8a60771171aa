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
        connection.settings_dict.update(
            HOST="127.0.0.1", PORT="1", OPTIONS={**original["OPTIONS"], "connect_timeout": 1}
        )
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


@pytest.mark.django_db
def test_the_api_root_answers_an_index_with_links_to_its_docs(api_client):
    body = api_client.get("/v1/").json()
    assert body["name"] == "Hust Musik API" and body["version"]
    for link in ("docs", "redoc", "schema"):
        assert api_client.get(body[link].replace("http://testserver", "")).status_code == 200


@pytest.mark.django_db
def test_the_admins_view_site_link_opens_swagger_ui(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert 'href="/v1/docs/"' in client.get("/admin/").content.decode()


def test_a_job_that_cannot_be_queued_while_the_database_is_down_is_a_503(django_db_blocker):
    """The fault run's case: PostgreSQL restarts between a request's reads and its job's enqueueing.

    Procrastinate wraps the lost connection in its own "Database error."; that is an outage (503
    in the error envelope, so clients retry), not a bug of ours (500)."""
    from django.db import connection
    from procrastinate.exceptions import ConnectorException

    from hustmusik.errors import api_exception_handler
    from users.tasks import mail_password_reset_links

    original = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(
            HOST="127.0.0.1", PORT="1", OPTIONS={**original["OPTIONS"], "connect_timeout": 1}
        )
        try:
            with pytest.raises(ConnectorException) as refused:
                mail_password_reset_links.defer(login="someone@example.com")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)

    response = api_exception_handler(refused.value, {})
    assert response.status_code == 503
    assert response.data["code"] == "service_unavailable"
