"""The catalogue's rules, called directly: the API and the admin both rely on them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog import services
from catalog.models import Relation
from collections_app.services import check_type_allowed
from tests.factories import ArtistFactory, UserFactory
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


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.USER, {"Playlist", "Mix"}),
        (Role.ARTIST_MANAGER, {"Playlist", "Mix", "Album", "EP", "Single"}),
        (Role.ADMIN, {"Playlist", "Mix", "Album", "EP", "Single"}),
    ],
)
def test_who_may_publish_which_collection_type(role, allowed):
    user = UserFactory(role=role)
    for collection_type in ("Playlist", "Mix", "Album", "EP", "Single"):
        if collection_type in allowed:
            check_type_allowed(user=user, collection_type=collection_type)
        else:
            with pytest.raises(PermissionDenied):
                check_type_allowed(user=user, collection_type=collection_type)
