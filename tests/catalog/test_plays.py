"""Plays: a stream URL counts one play per listener per song per 30 seconds, without touching the
song's row; a job folds the plays into `views` and into each song's plays per day, in batches, once."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, connections
from django.db.models import Sum
from rest_framework.test import APIClient

from catalog.models import DailyPlays, Play, PlayMark, Song
from catalog.services import PLAY_WINDOW_SECONDS, plays_fold
from tests.factories import SongFactory
from tests.worker import wait_until
from users.models import Role


def playable(**fields) -> Song:
    song = SongFactory(**fields)
    Song.objects.filter(pk=song.pk).update(audio_key=f"songs/{song.pk}/audio.mp3", audio_content_type="audio/mpeg")
    return song


def stream(client, song) -> None:
    response = client.get(f"/v1/song/{song.pk}/presigned/stream")
    assert response.status_code == 200, response.content


def plays_of(song) -> int:
    return Play.objects.filter(song=song).count()


@pytest.mark.django_db
def test_a_burst_from_one_listener_counts_one_play_and_two_listeners_two(client_as):
    song = playable()
    first, second = client_as(Role.USER), client_as(Role.USER)
    for _ in range(5):
        stream(first, song)
    assert plays_of(song) == 1
    stream(second, song)
    stream(second, song)
    assert plays_of(song) == 2
    song.refresh_from_db()
    assert song.views == 0  # the song's row is not written by listeners


@pytest.mark.django_db
def test_anonymous_listeners_count_by_client_address():
    song = playable()
    here, there = APIClient(REMOTE_ADDR="203.0.113.7"), APIClient(REMOTE_ADDR="198.51.100.20")
    for _ in range(5):
        stream(here, song)
    stream(there, song)
    assert plays_of(song) == 2


@pytest.mark.django_db
def test_a_listener_counts_again_once_the_window_has_passed(client_as):
    song, other = playable(), playable()
    listener = client_as(Role.USER)
    stream(listener, song)
    stream(listener, other)  # another song counts apart
    assert plays_of(song) == plays_of(other) == 1
    # The listener's last counted play of `song` is now a window old (as after waiting 30 s).
    mark = PlayMark.objects.get(song=song)
    PlayMark.objects.filter(pk=mark.pk).update(counted_at=mark.counted_at - timedelta(seconds=PLAY_WINDOW_SECONDS))
    stream(listener, song)
    stream(listener, song)
    assert plays_of(song) == 2 and plays_of(other) == 1


@pytest.mark.django_db
def test_folding_adds_the_plays_to_views_once(client_as):
    popular, quiet = playable(views=100), playable()
    for _ in range(3):
        stream(client_as(Role.USER), popular)
    stream(client_as(Role.USER), quiet)

    assert plays_fold(batch_size=2) == 4  # several batches
    popular.refresh_from_db()
    quiet.refresh_from_db()
    assert (popular.views, quiet.views) == (103, 1)
    assert plays_fold() == 0
    popular.refresh_from_db()
    assert popular.views == 103 and Play.objects.count() == 0


def test_the_fold_job_runs_every_minute_and_shows_in_the_song(jobs, client_as, api_client):
    song = playable()
    for _ in range(2):
        stream(client_as(Role.USER), song)
    jobs.start(schedule=True)  # a worker with the schedule defers the fold at once
    wait_until(lambda: Song.objects.get(pk=song.pk).views == 2, timeout=30, what="the plays folded")
    assert api_client.get(f"/v1/song/{song.pk}", HTTP_CACHE_CONTROL="no-cache").json()["data"]["views"] == 2


def test_a_stream_request_never_waits_for_a_lock_on_the_songs_row(transactional_db, client_as):
    song = playable()
    listener = client_as(Role.USER)
    locked, release = threading.Event(), threading.Event()

    def writer():  # another transaction holds the song's row, as a write of its views would
        with connections["default"].cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("UPDATE catalog_song SET views = views + 1 WHERE id = %s", [song.pk])
            locked.set()
            release.wait(30)
            cursor.execute("ROLLBACK")
        connections["default"].close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting on the row would fail the request
        stream(listener, song)
        assert plays_of(song) == 1
    finally:
        release.set()
        thread.join(30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


@pytest.mark.django_db
def test_folding_keeps_each_songs_plays_per_day_in_the_time_zone(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"  # UTC+7: 17:00 UTC is midnight
    song, other = playable(), playable()
    evening = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 23:30 on 1 March in Hanoi
    Play.objects.bulk_create(
        [Play(song=song, played_at=evening)] * 2
        + [Play(song=song, played_at=evening + timedelta(hours=1))]  # 00:30 on 2 March
        + [Play(song=other, played_at=evening)]
    )
    assert plays_fold(batch_size=3) == 4
    Play.objects.create(song=song, played_at=evening + timedelta(minutes=10))
    plays_fold()  # adds to the day's row
    days = set(DailyPlays.objects.values_list("song_id", "day", "plays"))
    assert days == {(song.pk, date(2026, 3, 1), 3), (song.pk, date(2026, 3, 2), 1), (other.pk, date(2026, 3, 1), 1)}

    other.delete()  # a deleted song's plays still count on their day
    assert DailyPlays.objects.filter(day=date(2026, 3, 1)).aggregate(total=Sum("plays"))["total"] == 4
