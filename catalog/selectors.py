"""Read queries of the catalogue, annotated and prefetched for the API."""

from collections import defaultdict

from django.db import connection
from django.db.models import QuerySet

from catalog.models import Artist, Follow, ListenHistory, Song, credits_prefetch


def song_list() -> QuerySet:
    """Song list items as `values()` rows, newest first; give the page to `with_credits`."""
    return Song.objects.list_rows().order_by("-created_at", "id")


# SQL rather than the ORM: building an `IN` of a page's ids cost more than running the query.
PAGE_CREDITS = """
SELECT sa.song_id, a.id, a.name
  FROM catalog_songartist sa JOIN catalog_artist a ON a.id = sa.artist_id
 WHERE sa.song_id = ANY(%s)
 ORDER BY sa."order", sa.id
"""


def with_credits(songs: list[dict]) -> list[dict]:
    """Add `credits`, `[(artist_id, artist_name)]` in display order (Primary first), to each
    song row of a page: one query for the whole page."""
    if not songs:
        return songs
    credits = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(PAGE_CREDITS, [[song["id"] for song in songs]])
        for song_id, artist_id, name in cursor.fetchall():
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
