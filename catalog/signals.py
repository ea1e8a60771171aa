"""Catalogue writes retire the cached catalogue answers (`hustmusik.caching`), whoever makes
them: the API's services, the admin, or the shell. Bulk writes send no signals; the services
making them call `catalogue_changed()` themselves."""

from django.db.models.signals import post_delete, post_save

from catalog.models import Artist, Song, SongArtist
from hustmusik.caching import catalogue_changed


def retire_cached_catalogue(sender, **kwargs) -> None:
    catalogue_changed()


def connect() -> None:
    for model in (Artist, Song, SongArtist):
        for signal in (post_save, post_delete):
            signal.connect(retire_cached_catalogue, sender=model, dispatch_uid=f"catalogue:{model.__name__}:{signal}")
