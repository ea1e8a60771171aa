"""The OpenAPI document and its viewers, served with nothing fetched from outside."""

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from rest_framework.test import APIClient

from hustmusik.schema import ERRORS_HEADING, WHO_HEADING
from tests.factories import PASSWORD, ArtistFactory, CollectionFactory, SongFactory, UserFactory
from tests.helpers import signed_in_client
from users.models import Role

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


# --- an OpenAPI document that explains itself ------------------------------------------------


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    """The served document, fetched once for the tests that only read it."""
    with django_db_blocker.unblock():
        return APIClient().get("/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def json_media(part: dict) -> dict:
    return part.get("content", {}).get("application/json", {})


def body_parts(operation: dict) -> list[dict]:
    """The JSON request body and successful answers of an operation: what a client sends and reads."""
    answers = [response for status, response in operation["responses"].items() if status.startswith("2")]
    return [media for media in map(json_media, [operation.get("requestBody", {}), *answers]) if media]


def test_every_operation_has_a_summary_and_a_description_of_its_own(document):
    for name, operation in operations(document):
        assert operation.get("summary"), f"{name} has no summary"
        own, _, generated = operation.get("description", "").partition(WHO_HEADING)
        assert own.strip(), f"{name} has no description of its own"
        assert generated.strip(), f"{name} does not say who may call it"


def test_descriptions_say_who_may_call_and_what_can_go_wrong(document):
    def description(path, method):
        return document["paths"][path][method]["description"]

    assert f"{WHO_HEADING} An Admin or an Artist Manager." in description("/v1/song", "post")
    assert f"{WHO_HEADING} An Admin or the Artist Manager who manages it." in description("/v1/song/{id}", "delete")
    assert f"{WHO_HEADING} An Admin or its owner." in description("/v1/collection/{id}", "post")
    assert f"{WHO_HEADING} Any signed-in user." in description("/v1/user/me", "get")
    assert f"{WHO_HEADING} Anyone, signed in or not." in description("/v1/song", "get")
    assert f"{WHO_HEADING} Anyone; no token needed" in description("/v1/auth/signin", "post")
    assert "Premium" in description("/v1/song/{id}/presigned/stream", "get")
    stream_errors = description("/v1/song/{id}/presigned/stream", "get").partition(ERRORS_HEADING)[2]
    assert "- 403 `premium_required`" in stream_errors and "`audio_missing`" in stream_errors
    assert "- 429 `throttled`" in description("/v1/auth/signin", "post")


def test_the_document_describes_the_sign_in_flow_for_swagger_ui(document):
    intro = document["info"]["description"]
    for step in ("POST /v1/auth/signin", "Authorize", "access_token", "POST /v1/auth/session/renew", "refresh_token"):
        assert step in intro, step


def test_every_error_answer_shows_the_envelope_in_an_example(document):
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if status.startswith("2") or not json_media(response):
                continue
            examples = json_media(response).get("examples", {})
            assert examples, f"{name} {status} has no example"
            if json_media(response)["schema"].get("$ref", "").endswith("/Error"):
                for example in examples.values():
                    assert {"error", "code"} <= set(example["value"]), f"{name} {status}"


def test_main_requests_and_answers_show_examples(document):
    with_body = [(name, parts) for name, operation in operations(document) if (parts := body_parts(operation))]
    without_examples = [name for name, parts in with_body if not all(part.get("examples") for part in parts)]
    assert not without_examples, f"bodies without an example: {without_examples}"
    all_operations = list(operations(document))
    showing = [name for name, operation in all_operations if any(p.get("examples") for p in body_parts(operation))]
    assert len(showing) >= len(all_operations) / 2, (len(showing), len(all_operations))


def test_every_example_fits_its_schema(document):
    components = document["components"]
    checked = 0
    for name, operation in operations(document):
        request = [(json_media(operation.get("requestBody", {})), OAS30WriteValidator)]
        answers = [(json_media(response), OAS30ReadValidator) for response in operation["responses"].values()]
        for media, validator in request + answers:
            for key, example in media.get("examples", {}).items():
                schema = {"allOf": [media["schema"]], "components": components}
                errors = [error.message for error in validator(schema).iter_errors(example["value"])]
                assert not errors, f"{name} example {key}: {errors}"
                checked += 1
    assert checked > 200


def shape(value):
    """The keys of a JSON value, nested (a list by its first element): what a client parses."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def same_shape(real, example) -> bool:
    if isinstance(real, dict) and isinstance(example, dict):
        return real.keys() == example.keys() and all(same_shape(real[k], example[k]) for k in real)
    if isinstance(real, list) and isinstance(example, list):
        return not real or not example or same_shape(real[0], example[0])
    return not isinstance(real, dict | list) and not isinstance(example, dict | list) or real is None


def example_of(document, path, method, status, name=None):
    examples = json_media(document["paths"][path][method]["responses"][status])["examples"]
    return next(example["value"] for key, example in examples.items() if name in (None, key))


def test_answer_examples_have_the_shape_of_real_answers(document, client_as):
    artist = ArtistFactory()
    song = SongFactory(artists=[artist, ArtistFactory()])
    listener = UserFactory(premium_until=timezone.now() + timedelta(days=30))
    collection = CollectionFactory(owner=listener, songs=[song])
    CollectionFactory(type="Album", owner=listener, songs=[song])
    signed_in = signed_in_client(listener)
    signed_in.post(f"/v1/user/me/history/{song.pk}")
    signed_in.post(f"/v1/user/me/following/{artist.pk}")
    anonymous = APIClient()
    reads = {
        ("/v1/song", "get"): anonymous.get("/v1/song"),
        ("/v1/song/{id}", "get"): anonymous.get(f"/v1/song/{song.pk}"),
        ("/v1/artist", "get"): anonymous.get("/v1/artist"),
        ("/v1/artist/{id}", "get"): anonymous.get(f"/v1/artist/{artist.pk}"),
        ("/v1/artist/{id}/songs", "get"): anonymous.get(f"/v1/artist/{artist.pk}/songs"),
        ("/v1/artist/{id}/albums", "get"): anonymous.get(f"/v1/artist/{artist.pk}/albums"),
        ("/v1/collection", "get"): anonymous.get("/v1/collection"),
        ("/v1/collection/{id}", "get"): anonymous.get(f"/v1/collection/{collection.pk}"),
        ("/v1/user", "get"): anonymous.get("/v1/user"),
        ("/v1/user/{id}", "get"): anonymous.get(f"/v1/user/{listener.pk}"),
        ("/v1/user/me", "get"): signed_in.get("/v1/user/me"),
        ("/v1/user/me/history", "get"): signed_in.get("/v1/user/me/history"),
        ("/v1/user/me/following", "get"): signed_in.get("/v1/user/me/following"),
        ("/v1/user/me/playlists", "get"): signed_in.get("/v1/user/me/playlists"),
        ("/v1/auth/signin", "post"): anonymous.post(
            "/v1/auth/signin", {"email": listener.email, "password": PASSWORD}, format="json"
        ),
        ("/v1/search/{term}/songs", "get"): anonymous.get(f"/v1/search/{song.title}/songs"),
    }
    for (path, method), response in reads.items():
        assert response.status_code == 200, (path, response.content)
        real, example = response.json(), example_of(document, path, method, "200")
        assert same_shape(real, example), f"{method} {path}: {shape(real)} != {shape(example)}"


def test_error_examples_are_what_the_api_answers(document, client_as):
    anonymous, user = APIClient(), client_as(Role.USER)
    assert anonymous.get("/v1/user/me").json() == example_of(document, "/v1/user/me", "get", "401", "NotAuthenticated")
    forged = APIClient(HTTP_AUTHORIZATION="Bearer not.a.token").get("/v1/user/me").json()
    assert forged == example_of(document, "/v1/user/me", "get", "401", "TokenNotValid")
    assert anonymous.get("/v1/song?page=x").json() == example_of(document, "/v1/song", "get", "400", "ValidationError")
    refused = user.post("/v1/song", {"title": "Bài", "artists": str(ArtistFactory().pk)}, format="json").json()
    assert refused == example_of(document, "/v1/song", "post", "403")
    admins_only = user.delete(f"/v1/user/{user.user.pk}").json()
    assert admins_only == example_of(document, "/v1/user/{id}", "delete", "403")
    wrong = anonymous.post("/v1/auth/signin", {"email": user.user.email, "password": "Wrong-1234!"}, format="json")
    assert wrong.json() == example_of(document, "/v1/auth/signin", "post", "401")
    plain = anonymous.generic("POST", "/v1/auth/signin", "x", content_type="text/plain").json()
    assert plain == example_of(document, "/v1/auth/signin", "post", "415")
    assert anonymous.get("/v1/song/not-an-id").json() == example_of(document, "/v1/song/{id}", "get", "404")
