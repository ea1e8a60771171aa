"""List envelope, page/limit rules, item envelope and the update verbs, on the plumbing's test API."""

import pytest

from tests.factories import UserFactory
from tests.helpers import assert_query_count
from users.models import Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.fixture
def accounts(db):
    return UserFactory.create_batch(12)


def test_list_envelope_defaults_to_ten_items(api_client, accounts):
    body = api_client.get("/v1/account").json()
    assert body["count"] == body["total"] == User.objects.count() == 12
    assert len(body["data"]) == 10
    assert body["page"] == 1 and body["limit"] == 10
    assert body["previous"] is None
    assert "page=2" in body["next"]


def test_second_page_holds_the_rest_in_order(api_client, accounts):
    first = api_client.get("/v1/account?limit=5").json()["data"]
    second = api_client.get("/v1/account?limit=5&page=2").json()["data"]
    emails = [a["email"] for a in first + second]
    assert emails == sorted(User.objects.values_list("email", flat=True))[:10]


@pytest.mark.parametrize(("limit", "expected"), [("0", 1), ("-3", 1), ("1", 1), ("50", 12), ("500", 12)])
def test_limit_is_clamped_to_1_to_50(api_client, accounts, limit, expected):
    body = api_client.get(f"/v1/account?limit={limit}").json()
    assert len(body["data"]) == expected
    assert 1 <= body["limit"] <= 50


def test_limit_above_fifty_returns_fifty(api_client):
    UserFactory.create_batch(55)
    body = api_client.get("/v1/account?limit=80").json()
    assert len(body["data"]) == 50 and body["limit"] == 50


@pytest.mark.parametrize("query", ["page=abc", "limit=ten", "page=1.5", "page=0"])
def test_bad_page_or_limit_is_400(api_client, accounts, query):
    response = api_client.get(f"/v1/account?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert set(body["fields"]) <= {"page", "limit"} and body["fields"]


def test_page_past_the_end_is_empty_not_an_error(api_client, accounts):
    body = api_client.get("/v1/account?page=99").json()
    assert body == {**body, "count": 12, "data": [], "next": None}


def test_list_query_count_does_not_grow_with_page_size(api_client):
    UserFactory()
    assert_query_count(lambda: api_client.get("/v1/account?limit=1"), 2)
    UserFactory.create_batch(30)
    assert_query_count(lambda: api_client.get("/v1/account?limit=30"), 2)


def test_detail_is_wrapped_in_data(api_client):
    account = UserFactory()
    body = assert_query_count(lambda: api_client.get(f"/v1/account/{account.pk}"), 1).json()
    assert body == {
        "data": {"id": str(account.pk), "email": account.email, "username": account.username, "country": "VN"}
    }


@pytest.mark.parametrize("method", ["post", "patch"])
def test_post_and_patch_on_an_item_are_partial_updates(client_as, method):
    owner = UserFactory(country="VN")
    client = client_as(owner)
    response = getattr(client, method)(f"/v1/account/{owner.pk}", {"username": "new name"})
    assert response.status_code == 200
    assert response.json()["data"]["username"] == "new name"
    owner.refresh_from_db()
    assert owner.username == "new name" and owner.country == "VN"  # untouched fields kept


def test_multipart_writes_are_accepted(client_as):
    owner = UserFactory()
    client = client_as(owner)
    response = client.post(f"/v1/account/{owner.pk}", {"country": "JP"}, format="multipart")
    assert response.status_code == 200
    assert response.json()["data"]["country"] == "JP"


def test_create_answers_201_with_data(client_as):
    client = client_as(Role.ADMIN)
    response = client.post("/v1/account", {"email": "new@example.com", "username": "newbie"})
    assert response.status_code == 201
    assert response.json()["data"]["email"] == "new@example.com"
    assert User.objects.filter(email="new@example.com").exists()


def test_delete_answers_204(client_as):
    client = client_as(Role.ADMIN)
    account = UserFactory()
    assert client.delete(f"/v1/account/{account.pk}").status_code == 204
    assert not User.objects.filter(pk=account.pk).exists()


def test_past_the_exact_count_limit_the_count_is_an_estimate(api_client, monkeypatch):
    from hustmusik import pagination

    monkeypatch.setattr(pagination, "EXACT_COUNT_UP_TO", 5)
    UserFactory.create_batch(12)
    body = api_client.get("/v1/account?limit=5&page=2").json()
    assert body["count"] >= 6  # "more than five", from PostgreSQL's plan, not COUNT(*)
    assert len(body["data"]) == 5
