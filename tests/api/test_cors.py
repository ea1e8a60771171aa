import pytest


@pytest.fixture(autouse=True)
def _origins(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.hustmusik.vn"]


@pytest.mark.django_db
def test_preflight_from_an_allowed_origin(client):
    response = client.options(
        "/v1/user/me",
        HTTP_ORIGIN="https://app.hustmusik.vn",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.hustmusik.vn"
    assert "authorization" in response["Access-Control-Allow-Headers"]


@pytest.mark.django_db
def test_other_origins_get_no_cors_headers(client):
    response = client.get("/v1/user/me", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response
