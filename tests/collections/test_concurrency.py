"""Two clients doing the same thing at the same moment: one row, two successes."""

import threading

import pytest
from django.db import connection

from catalog.models import Follow, ListenHistory
from collections_app.models import CollectionSong
from tests.factories import ArtistFactory, CollectionFactory, SongFactory, UserFactory
from tests.helpers import signed_in_client

pytestmark = pytest.mark.django_db(transaction=True)


def race(make_request, clients: int = 2, rounds: int = 5) -> list[int]:
    """Fire `make_request` from several threads released together; returns every status code."""
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(barrier):
        try:
            barrier.wait()
            status = make_request().status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    for _ in range(rounds):
        barrier = threading.Barrier(clients)
        threads = [threading.Thread(target=worker, args=(barrier,)) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return statuses


def test_adding_the_same_song_concurrently():
    owner = UserFactory()
    playlist = CollectionFactory(owner=owner)
    song = SongFactory()
    statuses = race(lambda: signed_in_client(owner).post(f"/v1/collection/{playlist.pk}/songs/{song.pk}"))
    assert set(statuses) == {204}
    assert CollectionSong.objects.filter(collection=playlist, song=song).count() == 1


def test_adding_different_songs_concurrently_keeps_positions_unique():
    owner = UserFactory()
    playlist = CollectionFactory(owner=owner)
    songs = iter(SongFactory.create_batch(10))
    lock = threading.Lock()

    def add():
        with lock:
            song = next(songs)
        return signed_in_client(owner).post(f"/v1/collection/{playlist.pk}/songs/{song.pk}")

    assert set(race(add)) == {204}
    positions = list(CollectionSong.objects.filter(collection=playlist).values_list("position", flat=True))
    assert sorted(positions) == list(range(1, 11))


def test_following_the_same_artist_concurrently():
    user, artist = UserFactory(), ArtistFactory()
    assert set(race(lambda: signed_in_client(user).post(f"/v1/user/me/following/{artist.pk}"))) == {204}
    assert Follow.objects.filter(user=user, artist=artist).count() == 1


def test_upserting_the_same_history_row_concurrently():
    user, song = UserFactory(), SongFactory()
    assert set(race(lambda: signed_in_client(user).post(f"/v1/user/me/history/{song.pk}"))) == {204}
    assert ListenHistory.objects.filter(user=user, song=song).count() == 1
