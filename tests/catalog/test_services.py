"""The catalogue's rules, called directly: the API and the admin both rely on them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog import services
from catalog.models import Relation, Song, SongArtist
from tests.factories import ArtistFactory, SongFactory, UserFactory
from users.models import Role

pytestmark = pytest.mark.django_db

PRIMARY, FEATURED = Relation.PRIMARY, Relation.FEATURED


@pytest.mark.parametrize("relations", [[], [FEATURED], [PRIMARY, PRIMARY], [FEATURED, FEATURED]])
def test_a_song_has_exactly_one_primary_artist(relations):
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(ValidationError, match="exactly one Primary"):
        services.check_song_credits(user=admin, relations=relations, primary=ArtistFactory())


def test_only_the_primary_artists_manager_or_an_admin_may_credit_it():
    manager, other = UserFactory(role=Role.ARTIST_MANAGER), UserFactory(role=Role.ARTIST_MANAGER)
    artist = ArtistFactory(manager=manager)
    services.check_song_credits(user=manager, relations=[PRIMARY, FEATURED], primary=artist)
    services.check_song_credits(user=UserFactory(role=Role.ADMIN), relations=[PRIMARY], primary=artist)
    with pytest.raises(PermissionDenied):
        services.check_song_credits(user=other, relations=[PRIMARY], primary=artist)
    with pytest.raises(PermissionDenied):
        services.check_song_credits(user=UserFactory(role=Role.USER), relations=[PRIMARY], primary=artist)


def test_song_create_refuses_unknown_and_repeated_artists():
    admin = UserFactory(role=Role.ADMIN)
    artist = ArtistFactory()
    with pytest.raises(ValidationError, match="only once"):
        services.song_create(user=admin, title="x", artist_ids=[artist.pk, artist.pk])
    with pytest.raises(ValidationError, match="Unknown artist"):
        services.song_create(user=admin, title="x", artist_ids=[artist.pk, UserFactory().pk])


def test_song_create_needs_an_artist_and_writes_nothing_when_refused():
    manager = UserFactory(role=Role.ARTIST_MANAGER)
    with pytest.raises(ValidationError, match="at least one artist"):
        services.song_create(user=manager, title="x", artist_ids=[])
    with pytest.raises(PermissionDenied):
        services.song_create(user=manager, title="x", artist_ids=[ArtistFactory().pk])  # not theirs
    assert not Song.objects.exists()


def test_song_update_checks_the_new_credits_and_keeps_the_old_ones_when_refused():
    manager = UserFactory(role=Role.ARTIST_MANAGER)
    own, guest, stranger = ArtistFactory(manager=manager), ArtistFactory(), ArtistFactory()
    song = SongFactory(artists=[own])

    with pytest.raises(PermissionDenied):
        services.song_update(song=song, user=manager, data={}, artist_ids=[stranger.pk, own.pk])
    assert list(SongArtist.objects.filter(song=song).values_list("artist", "relation")) == [(own.pk, PRIMARY)]

    services.song_update(song=song, user=manager, data={"title": "Mới"}, artist_ids=[own.pk, guest.pk])
    credits = SongArtist.objects.filter(song=song).order_by("order").values_list("artist", "relation")
    assert list(credits) == [(own.pk, PRIMARY), (guest.pk, FEATURED)]
    assert Song.objects.get(pk=song.pk).title == "Mới"
