"""Releases (Album, EP, Single) show in song answers, so changing one retires the cached
catalogue answers; adding songs to playlists does not. A deleted collection's picture goes
with it, however it was deleted (the service, the admin, or its owner's account cascading)."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from collections_app.models import RELEASE_TYPES, Collection, CollectionSong
from hustmusik.caching import catalogue_changed
from hustmusik.images import delete_file_on_commit


def collection_changed(sender, **kwargs) -> None:
    catalogue_changed()  # its type may have just changed from or to a release


def collection_deleted(sender, instance, **kwargs) -> None:
    delete_file_on_commit(instance.thumbnail)


def collection_entry_changed(sender, instance, origin=None, **kwargs) -> None:
    if origin is not None and not _deletes_entries(origin):
        return  # deleted with its collection, song or owner, whose own signals cover it (one query less per entry)
    if Collection.objects.filter(pk=instance.collection_id, type__in=RELEASE_TYPES).exists():
        catalogue_changed()


def _deletes_entries(origin) -> bool:
    """Whether a deletion started from collection entries themselves (`origin` is an instance or a queryset)."""
    return isinstance(origin, CollectionSong) or (isinstance(origin, QuerySet) and origin.model is CollectionSong)


def connect() -> None:
    post_delete.connect(collection_deleted, sender=Collection, dispatch_uid="files:Collection")
    for signal in (post_save, post_delete):
        signal.connect(collection_changed, sender=Collection, dispatch_uid=f"catalogue:Collection:{signal}")
        signal.connect(
            collection_entry_changed, sender=CollectionSong, dispatch_uid=f"catalogue:CollectionSong:{signal}"
        )
