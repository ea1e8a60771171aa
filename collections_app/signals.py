"""Releases (Album, EP, Single) show in song answers, so changing one retires the cached
catalogue answers; adding songs to playlists does not."""

from django.db.models.signals import post_delete, post_save

from collections_app.models import RELEASE_TYPES, Collection, CollectionSong
from hustmusik.caching import catalogue_changed


def collection_changed(sender, **kwargs) -> None:
    catalogue_changed()  # its type may have just changed from or to a release


def collection_entry_changed(sender, instance, **kwargs) -> None:
    # Gone with its collection, the entry is covered by the collection's own signal.
    if Collection.objects.filter(pk=instance.collection_id, type__in=RELEASE_TYPES).exists():
        catalogue_changed()


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(collection_changed, sender=Collection, dispatch_uid=f"catalogue:Collection:{signal}")
        signal.connect(collection_entry_changed, sender=CollectionSong, dispatch_uid=f"catalogue:CollectionSong:{signal}")
