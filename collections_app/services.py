"""Collection writes and their rules: who may publish which type, ordered songs, idempotent edits."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from catalog.models import Song
from collections_app.models import LISTENER_TYPES, RELEASE_TYPES, Collection, CollectionSong
from hustmusik.caching import catalogue_changed
from hustmusik.images import apply_image
from hustmusik.services import model_update


def check_type_allowed(*, user, collection_type: str) -> None:
    if collection_type not in LISTENER_TYPES and not (user.has_admin_role or user.has_artist_manager_role):
        raise PermissionDenied(_("Only administrators and artist managers can publish albums, EPs and singles."))


@transaction.atomic
def collection_create(
    *,
    user,
    title: str,
    type: str = "Playlist",
    visibility: str = "Public",
    description: str = "",
    thumbnail=None,
    thumbnail_url: str = "",
) -> Collection:
    check_type_allowed(user=user, collection_type=type)
    collection = Collection.objects.create(
        owner=user, title=title, type=type, visibility=visibility, description=description, thumbnail_url=thumbnail_url
    )
    if thumbnail is not None:
        collection.thumbnail.save(thumbnail.name, thumbnail, save=True)
    return collection


COLLECTION_UPDATABLE = ["title", "description", "type", "visibility", "thumbnail_url"]


@transaction.atomic
def collection_update(*, collection: Collection, user, data: dict, thumbnail=None) -> Collection:
    if "type" in data:
        check_type_allowed(user=user, collection_type=data["type"])
    image = apply_image(
        collection, file_attr="thumbnail", url_attr="thumbnail_url", upload=thumbnail, new_url=data.get("thumbnail_url")
    )
    model_update(instance=collection, fields=COLLECTION_UPDATABLE, data=data, changed=image)
    return collection


@transaction.atomic
def collection_delete(*, collection: Collection) -> None:
    collection.delete()  # its picture goes once that is committed (signals.collection_deleted)


@transaction.atomic
def collection_add_song(*, collection: Collection, song: Song) -> None:
    """Append the song; adding it again changes nothing, even when two requests race."""
    # Serialise appends to this collection so positions stay unique and in arrival order.
    Collection.objects.select_for_update().filter(pk=collection.pk).first()
    if CollectionSong.objects.filter(collection=collection, song=song).exists():
        return
    last = CollectionSong.objects.filter(collection=collection).aggregate(last=Max("position"))["last"]
    CollectionSong.objects.bulk_create(
        [CollectionSong(collection=collection, song=song, position=(last or 0) + 1)], ignore_conflicts=True
    )
    if collection.type in RELEASE_TYPES:
        catalogue_changed()  # bulk_create sends no signal


def collection_remove_song(*, collection: Collection, song: Song) -> None:
    CollectionSong.objects.filter(collection=collection, song=song).delete()
