"""Catalogue reads cached until the next catalogue write (CATALOGUE_CACHE, on with Redis).

Writes retire cached answers when their transaction commits; a test's transaction never
commits, so each write here runs inside `django_capture_on_commit_callbacks(execute=True)`.
"""

import pytest
from django.core.cache import cache

from catalog.models import Song
from hustmusik.caching import CATALOGUE_VERSION_KEY
from tests.factories import ArtistFactory, CollectionFactory, SongFactory, UserFactory
from tests.helpers import count_queries, signed_in_client
from users.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue_cache(settings):
    settings.CATALOGUE_CACHE = True


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(song["title"] for song in response.json()["data"])


def test_a_cached_answer_costs_no_query_and_no_cache_bypasses_it(api_client):
    SongFactory(title="Lạc Trôi", artists=[ArtistFactory()])
    assert titles(api_client.get("/v1/song")) == ["Lạc Trôi"]
    # Written behind the API's back (no signal): the cached answer stands...
    Song.objects.bulk_create([Song(title="Nơi Này Có Anh")])
    response, queries = count_queries(lambda: api_client.get("/v1/song"))
    assert titles(response) == ["Lạc Trôi"] and queries == 0
    # ...until a client asks for fresh data, which is then what the next caller gets.
    assert titles(api_client.get("/v1/song", HTTP_CACHE_CONTROL="no-cache")) == ["Lạc Trôi", "Nơi Này Có Anh"]
    assert titles(api_client.get("/v1/song")) == ["Lạc Trôi", "Nơi Này Có Anh"]


def test_writes_through_the_api_retire_cached_answers(api_client, django_capture_on_commit_callbacks):
    admin = signed_in_client(UserFactory(role=Role.ADMIN))
    artist = ArtistFactory(name="Mỹ Tâm")
    song = SongFactory(title="Trước", artists=[artist])
    paths = [
        "/v1/song",
        f"/v1/song/{song.pk}",
        f"/v1/artist/{artist.pk}",
        f"/v1/artist/{artist.pk}/songs",
        "/v1/artist",
    ]
    before = {path: api_client.get(path).json() for path in paths}

    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/v1/song/{song.pk}", {"title": "Sau"}, format="json").status_code == 200
    assert api_client.get(f"/v1/song/{song.pk}").json()["data"]["title"] == "Sau"
    assert titles(api_client.get("/v1/song")) == ["Sau"]
    assert api_client.get(f"/v1/artist/{artist.pk}/songs").json()["data"][0]["song"]["title"] == "Sau"

    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/v1/artist/{artist.pk}", {"name": "Mỹ Tâm Official"}, format="json").status_code == 200
    assert api_client.get(f"/v1/artist/{artist.pk}").json()["data"][0]["name"] == "Mỹ Tâm Official"
    assert api_client.get("/v1/artist").json()["data"][0]["name"] == "Mỹ Tâm Official"
    assert before["/v1/artist"]["data"][0]["name"] == "Mỹ Tâm"


def test_admin_and_shell_saves_retire_cached_answers(api_client, django_capture_on_commit_callbacks):
    song = SongFactory(title="Trước")
    assert titles(api_client.get("/v1/song")) == ["Trước"]
    with django_capture_on_commit_callbacks(execute=True):
        song.title = "Sau"
        song.save()
    assert titles(api_client.get("/v1/song")) == ["Sau"]


def test_releases_retire_song_answers_and_playlists_do_not(api_client, django_capture_on_commit_callbacks):
    song = SongFactory()
    manager = UserFactory(role=Role.ARTIST_MANAGER)
    album = CollectionFactory(type="Album", owner=manager)
    playlist = CollectionFactory(type="Playlist")
    assert api_client.get(f"/v1/song/{song.pk}").json()["data"]["albums"] == []
    version = cache.get(CATALOGUE_VERSION_KEY)

    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in_client(playlist.owner).post(f"/v1/collection/{playlist.pk}/songs/{song.pk}").status_code == 204
    assert cache.get(CATALOGUE_VERSION_KEY) == version  # a listener's playlist is not the catalogue

    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in_client(manager).post(f"/v1/collection/{album.pk}/songs/{song.pk}").status_code == 204
    albums = api_client.get(f"/v1/song/{song.pk}").json()["data"]["albums"]
    assert [entry["album"]["id"] for entry in albums] == [str(album.pk)]


def test_cached_answers_are_per_caller(django_capture_on_commit_callbacks):
    first, second = UserFactory(role=Role.ARTIST_MANAGER), UserFactory(role=Role.ARTIST_MANAGER)
    ArtistFactory(name="Đen Vâu", manager=first)
    ArtistFactory(name="Hoàng Thùy Linh", manager=second)
    for manager, name in ((first, "Đen Vâu"), (second, "Hoàng Thùy Linh"), (first, "Đen Vâu")):
        answer = signed_in_client(manager).get("/v1/artist", {"managed": "true"}).json()
        assert [artist["name"] for artist in answer["data"]] == [name]


def test_reads_go_on_when_the_cache_is_down(api_client, settings):
    SongFactory(title="Lạc Trôi")
    # Nothing listens on port 9: every cache call fails at once.
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 1},
    }
    settings.CACHES = {"default": down, "throttle": down}
    assert titles(api_client.get("/v1/song")) == ["Lạc Trôi"]
    assert api_client.get("/v1/search/lac troi").status_code == 200
    # Sign-in needs its throttle counters: it answers 503 rather than skip them.
    response = api_client.post("/v1/auth/signin", {"email": "a@b.vn", "password": "x" * 12}, format="json")
    assert response.status_code == 503 and response.json()["code"] == "service_unavailable"


def test_removing_a_song_from_a_release_retires_song_answers(api_client, django_capture_on_commit_callbacks):
    song = SongFactory()
    manager = UserFactory(role=Role.ARTIST_MANAGER)
    album = CollectionFactory(type="Album", owner=manager, songs=[song])
    assert len(api_client.get(f"/v1/song/{song.pk}").json()["data"]["albums"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in_client(manager).delete(f"/v1/collection/{album.pk}/songs/{song.pk}").status_code == 204
    assert api_client.get(f"/v1/song/{song.pk}").json()["data"]["albums"] == []


def test_deleting_an_account_checks_its_playlists_not_each_entry():
    owner = UserFactory()
    songs = [SongFactory() for _ in range(3)]
    CollectionFactory(owner=owner, songs=songs)
    _, few = count_queries(owner.delete)
    owner = UserFactory()
    songs = [SongFactory() for _ in range(20)]
    CollectionFactory(owner=owner, songs=songs)
    _, many = count_queries(owner.delete)
    assert few == many
