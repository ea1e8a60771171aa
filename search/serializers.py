from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.serializers import ArtistListSerializer, ArtistRefSerializer, SongListSerializer
from collections_app.models import Collection
from collections_app.serializers import CollectionListSerializer, collection_card
from users.serializers import UserCardSerializer


class SongHitSerializer(SongListSerializer):
    """A song list item whose artists are `{id, name}` (the contract's search shape)."""

    @extend_schema_field(ArtistRefSerializer(many=True))
    def get_artists(self, song: dict) -> list:
        return [{"id": str(artist_id), "name": name} for artist_id, name in song["credits"]]


class AlbumHitSerializer(CollectionListSerializer):
    """A collection list item with its description in place of its visibility (the contract's album hit)."""

    class Meta(CollectionListSerializer.Meta):
        fields = ["id", "title", "description", "thumbnailurl", "type", "owner"]

    def to_representation(self, album: Collection):
        return {**collection_card(album, self.context.get("request")), "description": album.description}


HIT_SERIALIZERS = {
    "songs": SongHitSerializer,
    "artists": ArtistListSerializer,
    "albums": AlbumHitSerializer,
    "playlists": CollectionListSerializer,
    "users": UserCardSerializer,
}


class SearchOverviewSerializer(serializers.Serializer):
    songs = SongHitSerializer(many=True)
    artists = ArtistListSerializer(many=True)
    albums = AlbumHitSerializer(many=True)
    playlists = CollectionListSerializer(many=True)
    users = UserCardSerializer(many=True)
