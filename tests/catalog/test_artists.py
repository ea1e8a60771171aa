"""Every Artists row of the contract."""

import pytest

from catalog.models import Artist
from tests.factories import ArtistFactory, SongFactory, UserFactory
from tests.helpers import assert_query_count, signed_in_client
from tests.media import image_file
from users.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(role=Role.ARTIST_MANAGER)


def test_list_shape_and_query_count(api_client):
    ArtistFactory(name="Bích Phương", avatar_url="https://cdn.example/bp.jpg")
    body = assert_query_count(lambda: api_client.get("/v1/artist?limit=1"), 2).json()
    assert body["data"] == [
        {"id": body["data"][0]["id"], "name": "Bích Phương", "avatarurl": "https://cdn.example/bp.jpg"}
    ]
    ArtistFactory.create_batch(25)
    assert len(assert_query_count(lambda: api_client.get("/v1/artist?limit=25"), 2).json()["data"]) == 25


def test_managed_true_lists_only_my_artists(manager, api_client, client_as):
    mine = ArtistFactory(manager=manager)
    ArtistFactory(manager=UserFactory(role=Role.ARTIST_MANAGER))
    body = signed_in_client(manager).get("/v1/artist", {"managed": "true"}).json()
    assert [a["id"] for a in body["data"]] == [str(mine.pk)] and body["count"] == 1
    assert api_client.get("/v1/artist", {"managed": "true"}).json()["count"] == 0
    assert client_as(Role.USER).get("/v1/artist", {"managed": "true"}).json()["count"] == 0
    assert api_client.get("/v1/artist").json()["count"] == 2


def test_detail_is_a_one_element_array(api_client, manager):
    artist = ArtistFactory(name="Hà Anh Tuấn", country="VN", description="Ca sĩ", manager=manager)
    body = assert_query_count(lambda: api_client.get(f"/v1/artist/{artist.pk}"), 1).json()
    assert body == {
        "data": [
            {
                "id": str(artist.pk),
                "name": "Hà Anh Tuấn",
                "avatarurl": "http://testserver/static/defaults/artist.png",
                "country": "VN",
                "description": "Ca sĩ",
                "managerid": str(manager.pk),
            }
        ]
    }


def test_unknown_artist_is_404(api_client):
    assert api_client.get("/v1/artist/6f1c9a4e-0000-4000-8000-000000000000").status_code == 404
    assert api_client.get("/v1/artist/6f1c9a4e-0000-4000-8000-000000000000/songs").status_code == 404


def test_artist_songs_most_played_first(api_client):
    artist = ArtistFactory()
    quiet = SongFactory(artists=[artist], views=1)
    hit = SongFactory(artists=[ArtistFactory(), artist], views=500)
    SongFactory(views=1000)  # someone else's
    body = api_client.get(f"/v1/artist/{artist.pk}/songs").json()
    assert body["count"] == 2
    assert [item["song"]["id"] for item in body["data"]] == [str(hit.pk), str(quiet.pk)]
    assert set(body["data"][0]["song"]) == {"id", "title", "thumbnailurl", "duration", "views"}


def test_artist_songs_query_count_is_independent_of_page_size(api_client):
    artist = ArtistFactory()
    SongFactory(artists=[artist])
    assert_query_count(lambda: api_client.get(f"/v1/artist/{artist.pk}/songs?limit=1"), 3)
    for _ in range(15):
        SongFactory(artists=[artist])
    assert_query_count(lambda: api_client.get(f"/v1/artist/{artist.pk}/songs?limit=15"), 3)


def test_artist_manager_creates_and_becomes_the_manager(manager):
    response = signed_in_client(manager).post(
        "/v1/artist", {"name": "Vũ.", "country": "VN", "file": image_file("a.jpg", "JPEG")}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    artist = Artist.objects.get(pk=data["id"])
    assert artist.manager == manager and data["managerid"] == str(manager.pk)
    assert data["avatarurl"] == f"http://testserver/media/artists/{artist.pk}/avatar.jpg"


def test_admin_creates_an_artist_with_an_avatar_link(client_as):
    response = client_as(Role.ADMIN).post(
        "/v1/artist", {"name": "Chi Pu", "avatarurl": "https://cdn.example/chipu.png"}
    )
    assert response.status_code == 201
    assert response.json()["data"]["avatarurl"] == "https://cdn.example/chipu.png"
    assert response.json()["data"]["managerid"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "name"), ({"name": ""}, "name"), ({"name": "X", "avatarurl": "data:image/png;base64,AAA"}, "avatarurl")],
)
def test_create_validation(client_as, body, field):
    response = client_as(Role.ADMIN).post("/v1/artist", body)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_listeners_cannot_create_artists(client_as, api_client):
    assert client_as(Role.USER).post("/v1/artist", {"name": "X"}).status_code == 403
    assert api_client.post("/v1/artist", {"name": "X"}).status_code == 401


@pytest.mark.parametrize("method", ["post", "patch"])
def test_manager_updates_their_artist_only(manager, client_as, method):
    mine, theirs = ArtistFactory(manager=manager, country="VN"), ArtistFactory()
    client = signed_in_client(manager)
    response = getattr(client, method)(f"/v1/artist/{mine.pk}", {"description": "Hoàng tử ballad"})
    assert response.status_code == 200 and response.json()["data"]["description"] == "Hoàng tử ballad"
    assert response.json()["data"]["country"] == "VN"
    assert getattr(client, method)(f"/v1/artist/{theirs.pk}", {"description": "x"}).status_code == 403
    assert client_as(Role.ADMIN).post(f"/v1/artist/{theirs.pk}", {"name": "Renamed"}).status_code == 200


def test_delete_artist(manager, client_as):
    mine = ArtistFactory(manager=manager)
    assert client_as(Role.ARTIST_MANAGER).delete(f"/v1/artist/{mine.pk}").status_code == 403
    assert signed_in_client(manager).delete(f"/v1/artist/{mine.pk}").status_code == 204
    assert not Artist.objects.filter(pk=mine.pk).exists()
