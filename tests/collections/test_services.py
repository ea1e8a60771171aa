"""The collections' rules, called directly: the API and the admin both rely on them."""

import pytest
from django.core.exceptions import PermissionDenied

from collections_app.models import Collection
from collections_app.services import check_type_allowed, collection_create, collection_update
from tests.factories import CollectionFactory, UserFactory
from users.models import Role

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("release", ["Album", "EP", "Single"])
def test_a_listener_can_neither_create_a_release_nor_turn_a_playlist_into_one(release):
    listener = UserFactory(role=Role.USER)
    with pytest.raises(PermissionDenied):
        collection_create(user=listener, title="Của tôi", type=release)
    assert not Collection.objects.filter(owner=listener).exists()

    playlist = CollectionFactory(owner=listener, type="Playlist", title="Cũ")
    with pytest.raises(PermissionDenied):
        collection_update(collection=playlist, user=listener, data={"type": release, "title": "Mới"})
    playlist.refresh_from_db()
    assert (playlist.type, playlist.title) == ("Playlist", "Cũ")


def test_a_manager_publishes_a_release_and_a_listener_turns_a_playlist_into_a_mix():
    manager = UserFactory(role=Role.ARTIST_MANAGER)
    album = collection_create(user=manager, title="Sky Decade", type="Album")
    assert Collection.objects.get(pk=album.pk).type == "Album"

    listener = UserFactory(role=Role.USER)
    mix = CollectionFactory(owner=listener, type="Playlist")
    collection_update(collection=mix, user=listener, data={"type": "Mix", "visibility": "Private"})
    mix.refresh_from_db()
    assert (mix.type, mix.visibility) == ("Mix", "Private")
