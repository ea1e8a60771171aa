"""Read queries of collections, narrowed to what the caller may see."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from catalog.models import Relation, SongArtist, credits_prefetch
from catalog.selectors import song_detail
from collections_app.models import Collection, CollectionSong

# What a list item shows (`CollectionListSerializer`): an owner's whole account row is not needed.
LIST_FIELDS = ("id", "title", "type", "thumbnail", "thumbnail_url", "visibility", "owner__id", "owner__username")


def collection_list(*, user, kind: str | None = None) -> QuerySet[Collection]:
    collections = Collection.objects.visible_to(user).select_related("owner").only(*LIST_FIELDS)
    if kind == "playlists":
        collections = collections.playlists()
    elif kind == "albums":
        collections = collections.releases()
    return collections.order_by("-created_at", "id")


def collection_detail(*, user) -> QuerySet[Collection]:
    entries = CollectionSong.objects.select_related("song").order_by("position", "id")
    return (
        Collection.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(Prefetch("entries", queryset=entries), credits_prefetch("entries__song__credits"))
    )


def user_collections(*, user) -> QuerySet[Collection]:
    return Collection.objects.filter(owner=user).order_by("-created_at", "id")


def song_detail_with_albums(*, user):
    """Songs as `catalog` shows them, plus the releases (Album/EP/Single) holding each, as `album_entries`."""
    albums = (
        CollectionSong.objects.filter(collection__in=Collection.objects.visible_to(user).releases())
        .select_related("collection")
        .order_by("-collection__created_at", "id")
    )
    return song_detail().prefetch_related(Prefetch("collection_entries", queryset=albums, to_attr="album_entries"))


def artist_albums(*, user, artist) -> QuerySet[Collection]:
    """Releases holding at least one song whose primary artist is `artist`."""
    primary_credit = SongArtist.objects.filter(
        song__collection_entries__collection=OuterRef("pk"), artist=artist, relation=Relation.PRIMARY
    )
    return Collection.objects.visible_to(user).releases().filter(Exists(primary_credit)).order_by("-created_at", "id")
