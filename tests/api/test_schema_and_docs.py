"""The OpenAPI document and its viewers, served with nothing fetched from outside."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EXTERNAL_URL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def test_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    assert "openapi:" in out.read_text()


def test_schema_endpoint_serves_openapi(api_client):
    response = api_client.get("/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/v1/user/me" in document["paths"]
    assert "bearer" in str(document["components"]["securitySchemes"]).lower()


def test_errors_are_documented_with_the_envelope(api_client):
    document = api_client.get("/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    me = document["paths"]["/v1/user/me"]["get"]["responses"]
    assert "401" in me and "403" in me
    assert me["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert me["200"]["content"]["application/json"]["schema"]["required"] == ["data"]


@pytest.mark.parametrize("path", ["/v1/docs/", "/v1/redoc/"])
def test_docs_pages_load_only_local_assets(client, settings, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_URL.search(html), EXTERNAL_URL.findall(html)
    for asset in re.findall(r"""(?:src|href)=["']([^"']+)["']""", html):
        if asset.startswith(settings.STATIC_URL):
            assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
