"""Read queries of the catalogue, annotated and prefetched for the API."""

from django.db.models import QuerySet

from catalog.models import Artist, Follow, ListenHistory, Song, credits_prefetch


def song_list() -> QuerySet[Song]:
    return Song.objects.with_artists()


def song_detail() -> QuerySet[Song]:
    return Song.objects.with_artists()


def artist_list(*, managed_by=None) -> QuerySet[Artist]:
    artists = Artist.objects.all()
    return artists.managed_by(managed_by) if managed_by is not None else artists


def artist_songs(*, artist: Artist) -> QuerySet[Song]:
    return Song.objects.by_artist(artist.pk).order_by("-views", "id")


def user_history(*, user, limit: int):
    return (
        ListenHistory.objects.filter(user=user)
        .select_related("song")
        .prefetch_related(credits_prefetch("song__credits"))
        .order_by("-last_listened", "-id")[:limit]
    )


def user_following(*, user):
    return Follow.objects.filter(user=user).select_related("artist").order_by("-created_at", "-id")
