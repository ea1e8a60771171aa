import pytest
from django.core.management import call_command

from catalog.models import Artist, Relation, Song, SongArtist
from collections_app.models import Collection

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_vietnamese():
    call_command("seed_demo")
    counts = (Artist.objects.count(), Song.objects.count(), SongArtist.objects.count(), Collection.objects.count())
    call_command("seed_demo")
    assert (Artist.objects.count(), Song.objects.count(), SongArtist.objects.count(), Collection.objects.count()) == counts
    assert Song.objects.filter(title="Chúng Ta Của Hiện Tại").exists()
    album = Collection.objects.get(title="Sky Decade")
    assert album.type == "Album" and album.entries.count() == 5
    assert Collection.objects.filter(type="Playlist").exists()
    # Every song has exactly one Primary artist.
    assert SongArtist.objects.filter(relation=Relation.PRIMARY).count() == Song.objects.count()


def test_seed_demo_adds_synthetic_songs_once():
    call_command("seed_demo", "--songs", "1200", "--batch-size", "500")
    total = Song.objects.count()
    call_command("seed_demo", "--songs", "1200", "--batch-size", "500")
    assert Song.objects.count() == total
    assert SongArtist.objects.filter(relation=Relation.PRIMARY).count() == total
