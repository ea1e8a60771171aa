"""Read queries of the catalogue, annotated and prefetched for the API."""

from collections import defaultdict

from django.db.models import QuerySet

from catalog.models import Artist, Follow, ListenHistory, Song, SongArtist, credits_prefetch


def song_list() -> QuerySet:
    """Song list items as `values()` rows, newest first; give the page to `with_credits`."""
    return Song.objects.list_rows().order_by("-created_at", "id")


def with_credits(songs: list[dict]) -> list[dict]:
    """Add `credits`, `[(artist_id, artist_name)]` in display order (Primary first), to each
    song row of a page: one query for the whole page."""
    credits = defaultdict(list)
    rows = (
        SongArtist.objects.filter(song_id__in=[song["id"] for song in songs])
        .order_by("order", "id")
        .values_list("song_id", "artist_id", "artist__name")
    )
    for song_id, artist_id, name in rows:
        credits[song_id].append((artist_id, name))
    for song in songs:
        song["credits"] = credits.get(song["id"], [])
    return songs


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
