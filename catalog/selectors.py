"""Read queries of the catalogue, annotated and prefetched for the API."""

from django.db.models import QuerySet

from catalog.models import Artist, Song


def song_list() -> QuerySet[Song]:
    return Song.objects.with_artists()


def song_detail() -> QuerySet[Song]:
    return Song.objects.with_artists()


def artist_list(*, managed_by=None) -> QuerySet[Artist]:
    artists = Artist.objects.all()
    return artists.managed_by(managed_by) if managed_by is not None else artists


def artist_songs(*, artist: Artist) -> QuerySet[Song]:
    return Song.objects.by_artist(artist.pk).order_by("-views", "id")
