"""Hostile input to every operation of the OpenAPI document, signed out and signed in.

The operations come from the document itself, so a new endpoint is probed the day it appears.
Each probe (tests/hostile/probes.py) must get a 4xx answer in the error envelope: never a 5xx,
never an HTML page, and nothing written to the database. The signed-in caller is an Admin,
who passes every permission check and so reaches every parser and validator.

Found by an attacker before this suite existed: 10 MB bodies, JSON nested 100,000 deep, lone
surrogates, broken multipart and odd types answered 500; the schemathesis run (tests/contract)
missed them all, as its fuzzing stays inside the schema.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import caches
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from collections_app.models import Collection
from payments.models import Order
from tests.factories import ArtistFactory, SongFactory, UserFactory
from tests.helpers import signed_in_client
from tests.hostile import probes
from users.models import Role

OPERATIONS = probes.operations(SchemaGenerator().get_schema(request=None, public=True))

# The ZaloPay callback answers ZaloPay's protocol, HTTP 200 with return_code -1, for anything
# it cannot verify (contract: "Bad MAC → 200"), as long as the request reaches it.
PROTOCOL_REFUSALS = {
    ("POST", "/v1/order/checkout/callback"): lambda answer: (
        answer.status_code == 200 and answer.json().get("return_code") == -1
    ),
}


def writes_so_far() -> int:
    """Rows inserted, updated or deleted by this test's transaction so far (throttle counters aside)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            " WHERE relname <> 'hustmusik_throttle'"
        )
        return cursor.fetchone()[0]


@pytest.fixture
def world(db, settings):
    """Real objects behind every path parameter, so that probes reach the views, not a 404."""
    settings.ZALOPAY_ENDPOINT = "http://127.0.0.1:9"  # nothing may leave the machine
    admin = UserFactory(role=Role.ADMIN)
    artist = ArtistFactory()
    song = SongFactory(artists=[artist])
    collection = Collection.objects.create(owner=admin, title="Hostile", type="Playlist")
    order = Order.objects.create(
        user=admin,
        app_user=str(admin.pk),
        app_trans_id="251124_hostile",
        amount=59000,
        premium_days=30,
        description="Premium",
    )
    ids = {
        "id": str(song.pk),
        "song_id": str(song.pk),
        "artist_id": str(artist.pk),
        "app_trans_id": order.app_trans_id,
        "term": "hostile",
    }
    return admin, artist, collection, ids


def real_ids_for(operation: probes.Operation, world) -> dict[str, str]:
    admin, artist, collection, ids = world
    own_id = {"artist": artist.pk, "collection": collection.pk, "user": admin.pk}
    resource = operation.path.split("/")[2] if operation.path.startswith("/v1/") else ""
    return {**ids, "id": str(own_id.get(resource, ids["id"]))}


def send(client: APIClient, method: str, probe: probes.Probe):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in probe.headers.items()}
    if probe.query:
        extra["QUERY_STRING"] = probe.query
    kwargs = {}
    if probe.body is not None:
        kwargs = {"data": probe.body, "content_type": probe.content_type}
    for alias in caches.settings:  # a 429 would hide what the probe reaches
        caches[alias].clear()
    probes.REQUESTS_SENT["count"] += 1
    return client.generic(method, probe.path, **kwargs, **extra)


def refusal_problem(answer, operation: probes.Operation) -> str | None:
    protocol = PROTOCOL_REFUSALS.get((operation.method, operation.path))
    if protocol and protocol(answer):
        return None
    if not 400 <= answer.status_code < 500:
        return f"answered {answer.status_code}"
    if not answer.get("Content-Type", "").startswith("application/json"):
        return f"answered {answer.status_code} as {answer.get('Content-Type')}"
    body = json.loads(answer.content)
    if not in_documented_envelope(body, operation.error_schema):
        return f"answered {answer.status_code} outside the error envelope: {answer.content[:200]!r}"
    return None


# Refused before any view runs (hustmusik.request_guard), so in the contract's envelope whatever the route.
REFUSED_BEFORE_ROUTING = {"payload_too_large", "uri_too_long", "header_too_large", "invalid_encoding", "bad_request"}


def in_documented_envelope(body, error_schema: str) -> bool:
    contract = isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(body.get("code"), str)
    if error_schema == "ReferenceError":
        if contract:
            return body["code"] in REFUSED_BEFORE_ROUTING
        error = body.get("error") if isinstance(body, dict) else None
        return (
            body.get("status") is False
            and isinstance(error, dict)
            and isinstance(error.get("code"), int)
            and isinstance(error.get("message"), str)
        )
    return contract


@pytest.mark.parametrize("caller", ["signed out", "admin"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.id)
def test_every_hostile_request_is_refused_and_changes_nothing(operation, caller, world):
    admin = world[0]
    client = signed_in_client(admin) if caller == "admin" else APIClient()
    failures = []
    for probe in probes.probes_for(operation, real_ids_for(operation, world)):
        before = writes_so_far()
        answer = send(client, operation.method, probe)
        problem = refusal_problem(answer, operation)
        if writes_so_far() != before:
            problem = f"{problem or f'answered {answer.status_code}'}, and wrote to the database"
        if problem:
            failures.append(f"{probe.name}: {problem}")
    assert not failures, f"{operation.id} as {caller}:\n" + "\n".join(failures)


def test_the_document_lists_the_operations_probed():
    """The suite probes what the schema lists; this fails if generation ever yields nothing."""
    paths = {operation.path for operation in OPERATIONS}
    assert {"/v1/auth/signin", "/v1/collection", "/v1/song/{id}", "/v1/user/me"} <= paths
    assert len(OPERATIONS) >= 55
