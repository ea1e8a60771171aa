"""`manage.py seed_demo` (search/management/commands): the demo catalogue, loaded once however often it runs;
the synthetic bulk load and its search documents; demo songs that play."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.models import Artist, Relation, Song, SongArtist
from collections_app.models import Collection

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_is_idempotent_and_vietnamese():
    call_command("seed_demo")
    counts = (Artist.objects.count(), Song.objects.count(), SongArtist.objects.count(), Collection.objects.count())
    call_command("seed_demo")
    assert (
        Artist.objects.count(),
        Song.objects.count(),
        SongArtist.objects.count(),
        Collection.objects.count(),
    ) == counts
    assert Song.objects.filter(title="Chúng Ta Của Hiện Tại").exists()
    album = Collection.objects.get(title="Sky Decade")
    assert album.type == "Album" and album.entries.count() == 5
    assert Collection.objects.filter(type="Playlist").exists()
    # Every song has exactly one Primary artist.
    assert SongArtist.objects.filter(relation=Relation.PRIMARY).count() == Song.objects.count()


def test_seed_demo_bulk_loads_a_synthetic_catalogue_once(api_client):
    call_command("seed_demo", "--songs", "2000")
    total = Song.objects.count()
    assert total >= 2000 and Artist.objects.count() >= 200 and Collection.objects.count() >= 400
    call_command("seed_demo", "--songs", "2000")
    assert Song.objects.count() == total
    assert SongArtist.objects.filter(relation=Relation.PRIMARY).count() == total
    # The documents computed while loading are what PostgreSQL would compute.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM catalog_song WHERE search_extra IS DISTINCT FROM coalesce(hm_song_extra(id), '')"
        )
        assert cursor.fetchone()[0] == 0
    song = Song.objects.exclude(title__in=[]).order_by("-views").first()
    assert api_client.get(f"/v1/search/{song.title}/songs").json()["count"] >= 1
    # The posting lists were rebuilt with the load: a first letter finds the most popular song.
    first = api_client.get(f"/v1/search/{song.title[0]}/songs").json()["data"]["songs"]
    assert first[0]["id"] == str(song.pk)
    from tests.search.test_postings import assert_postings_exact

    assert_postings_exact()


def test_a_bulk_load_into_a_log_reports_progress_in_a_few_whole_lines():
    log = StringIO()  # not a terminal, as a file, a pipe or CI is
    call_command("seed_demo", "--songs", "300", stdout=StringIO(), stderr=log)
    assert Song.objects.count() >= 300
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert lines[0].startswith("Loading synthetic catalogue: ") and "Indexing..." in lines
    assert lines[-1].startswith("Indexing: done, ") and len(lines) <= 14, lines


def test_every_demo_song_plays_in_both_qualities(api_client, live_server, jobs):
    import requests

    call_command("seed_demo")
    assert set(Song.objects.values_list("audio_status", flat=True)) == {"processing"}
    jobs.run()
    assert set(Song.objects.values_list("audio_status", flat=True)) == {"ready"}
    song = Song.objects.get(title="Lạc Trôi")
    assert song.duration == 233  # the catalogue's duration stands; the tune is a short stand-in
    assert song.waveform and 3 < song.loudness_gain_db < 15  # measured, not defaulted
    url = (
        api_client.get(f"/v1/song/{song.pk}/presigned/stream")
        .json()["url"]
        .replace("http://testserver", live_server.url)
    )
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "audio/mp4"
    keys = set(Song.objects.values_list("audio_key", flat=True))
    assert len(keys) == Song.objects.count()
    call_command("seed_demo")  # idempotent: nothing uploaded again
    assert set(Song.objects.values_list("audio_key", flat=True)) == keys
    # Different songs, different music.
    assert len(set(Song.objects.values_list("audio_size", flat=True))) > Song.objects.count() // 2
