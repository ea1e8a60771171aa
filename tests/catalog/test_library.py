"""The listener's library in the catalogue: listening history and followed artists (/v1/user/me/history,
/v1/user/me/following)."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import Follow, ListenHistory
from catalog.services import HISTORY_KEPT_PER_USER
from tests.factories import ArtistFactory, SongFactory, UserFactory
from tests.helpers import assert_query_count, signed_in_client

pytestmark = pytest.mark.django_db

UNKNOWN = "6f1c9a4e-0000-4000-8000-000000000000"


@pytest.mark.parametrize("path", ["/v1/user/me/history", "/v1/user/me/following"])
def test_library_needs_a_signed_in_user(api_client, path):
    assert api_client.get(path).status_code == 401


# --- history -----------------------------------------------------------------------------


def test_history_is_mine_newest_first_and_upsert_moves_to_top(user):
    client = signed_in_client(user)
    first, second = SongFactory(title="Một"), SongFactory(title="Hai")
    for song in (first, second, first):
        assert client.post(f"/v1/user/me/history/{song.pk}").status_code == 204
    other = UserFactory()
    signed_in_client(other).post(f"/v1/user/me/history/{second.pk}")

    data = client.get("/v1/user/me/history").json()["data"]
    assert [entry["songs"]["title"] for entry in data] == ["Một", "Hai"]
    assert set(data[0]["songs"]) == {"id", "title", "duration", "thumbnailurl", "artists"}
    assert data[0]["songs"]["artists"][0]["artist"]["name"]
    assert ListenHistory.objects.filter(user=user).count() == 2


def test_history_answers_at_most_20_or_the_limit_asked(user):
    now = timezone.now()
    ListenHistory.objects.bulk_create(
        ListenHistory(user=user, song=SongFactory(), last_listened=now - datetime.timedelta(minutes=n))
        for n in range(25)
    )
    client = signed_in_client(user)
    assert len(assert_query_count(lambda: client.get("/v1/user/me/history"), 3).json()["data"]) == 20
    assert len(assert_query_count(lambda: client.get("/v1/user/me/history?limit=3"), 3).json()["data"]) == 3
    assert len(client.get("/v1/user/me/history?limit=100").json()["data"]) == 20


def test_history_keeps_the_newest_500(user):
    old = timezone.now() - datetime.timedelta(days=1)
    ListenHistory.objects.bulk_create(
        ListenHistory(user=user, song=SongFactory(), last_listened=old + datetime.timedelta(seconds=n))
        for n in range(HISTORY_KEPT_PER_USER)
    )
    oldest = ListenHistory.objects.filter(user=user).order_by("last_listened").first().song_id
    newest_song = SongFactory()
    assert signed_in_client(user).post(f"/v1/user/me/history/{newest_song.pk}").status_code == 204
    assert ListenHistory.objects.filter(user=user).count() == HISTORY_KEPT_PER_USER
    assert not ListenHistory.objects.filter(user=user, song_id=oldest).exists()
    assert ListenHistory.objects.filter(user=user, song=newest_song).exists()


def test_history_of_an_unknown_song_is_404(user):
    assert signed_in_client(user).post(f"/v1/user/me/history/{UNKNOWN}").status_code == 404


# --- following ---------------------------------------------------------------------------


def test_follow_is_idempotent_and_listed(user):
    client = signed_in_client(user)
    artist = ArtistFactory(name="Vũ.", avatar_url="https://cdn.example/vu.jpg")
    for _ in range(2):
        assert client.post(f"/v1/user/me/following/{artist.pk}").status_code == 204
    assert Follow.objects.filter(user=user).count() == 1
    body = assert_query_count(lambda: client.get("/v1/user/me/following"), 2).json()
    assert body["data"] == [
        {"artist": {"id": str(artist.pk), "name": "Vũ.", "avatarurl": "https://cdn.example/vu.jpg"}}
    ]
    for _ in range(10):
        client.post(f"/v1/user/me/following/{ArtistFactory().pk}")
    assert len(assert_query_count(lambda: client.get("/v1/user/me/following"), 2).json()["data"]) == 11


def test_unfollow_is_idempotent(user):
    client = signed_in_client(user)
    artist = ArtistFactory()
    client.post(f"/v1/user/me/following/{artist.pk}")
    for _ in range(2):
        assert client.delete(f"/v1/user/me/following/{artist.pk}").status_code == 204
    assert not Follow.objects.filter(user=user).exists()


def test_following_an_unknown_artist_is_404(user):
    client = signed_in_client(user)
    assert client.post(f"/v1/user/me/following/{UNKNOWN}").status_code == 404
    assert client.delete(f"/v1/user/me/following/{UNKNOWN}").status_code == 404
