from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Song
from catalog.serializers import ArtistRefSerializer, SongDetailSerializer, credits_of
from collections_app.models import Collection, CollectionType, Visibility
from hustmusik.images import HttpUrlField, ImageUploadField, ImageUrlField, absolute_image_url
from users.models import User
from users.serializers import UserCardSerializer


class OwnerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


class CollectionListSerializer(serializers.ModelSerializer):
    """A collection list item. Written out by hand (the fields below still describe it for the
    schema): generic field machinery was most of the cost of a 50-item page."""

    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="collection")
    owner = OwnerRefSerializer()

    class Meta:
        model = Collection
        fields = ["id", "title", "type", "thumbnailurl", "visibility", "owner"]

    def to_representation(self, collection: Collection):
        return {**collection_card(collection, self.context.get("request")), "visibility": collection.visibility}


def collection_card(collection: Collection, request) -> dict:
    """What every collection list item shows: `{id, title, type, thumbnailurl, owner: {id, username}}`."""
    owner = collection.owner
    return {
        "id": str(collection.id),
        "title": collection.title,
        "type": collection.type,
        "thumbnailurl": absolute_image_url(request, collection.thumbnail, collection.thumbnail_url, kind="collection"),
        "owner": {"id": str(owner.id), "username": owner.username},
    }


class CollectionSongSerializer(serializers.ModelSerializer):
    """A song inside a collection: `{id, title, thumbnailurl, duration, views, artists: [{id, name}]}`."""

    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="song")
    artists = serializers.SerializerMethodField()

    class Meta:
        model = Song
        fields = ["id", "title", "thumbnailurl", "duration", "views", "artists"]

    @extend_schema_field(ArtistRefSerializer(many=True))
    def get_artists(self, song) -> list:
        return ArtistRefSerializer([credit.artist for credit in credits_of(song)], many=True).data


class CollectionEntrySerializer(serializers.Serializer):
    song = CollectionSongSerializer()


class CollectionDetailSerializer(serializers.ModelSerializer):
    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="collection")
    owner = UserCardSerializer()
    songs = CollectionEntrySerializer(source="entries", many=True)

    class Meta:
        model = Collection
        fields = ["id", "title", "description", "type", "visibility", "thumbnailurl", "created_at", "owner", "songs"]


class CollectionSummarySerializer(serializers.ModelSerializer):
    """The caller's own collections in /v1/user/me/playlists."""

    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="collection")

    class Meta:
        model = Collection
        fields = ["id", "title", "description", "thumbnailurl", "type", "visibility"]


class ArtistAlbumSerializer(serializers.ModelSerializer):
    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="collection")

    class Meta:
        model = Collection
        fields = ["id", "title", "thumbnailurl", "created_at", "type"]


class AlbumRefSerializer(serializers.ModelSerializer):
    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="collection")

    class Meta:
        model = Collection
        fields = ["id", "title", "type", "thumbnailurl"]


class SongAlbumSerializer(serializers.Serializer):
    album = AlbumRefSerializer(source="collection")


class SongWithAlbumsSerializer(SongDetailSerializer):
    """The song detail of the contract: catalogue fields plus the releases holding the song."""

    albums = SongAlbumSerializer(source="album_entries", many=True, read_only=True)

    class Meta(SongDetailSerializer.Meta):
        fields = [*SongDetailSerializer.Meta.fields, "albums"]


class CaseInsensitiveChoiceField(serializers.ChoiceField):
    """`playlist`, `PLAYLIST` and `Playlist` all mean Playlist."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            for choice in self.choices:
                if choice.lower() == data.strip().lower():
                    return choice
        return super().to_internal_value(data)


class CollectionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    type = CaseInsensitiveChoiceField(choices=CollectionType.choices, default=CollectionType.PLAYLIST)
    visibility = CaseInsensitiveChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)
    thumbnailurl = HttpUrlField(required=False, allow_blank=True, max_length=1000, source="thumbnail_url")
    file = ImageUploadField(source="thumbnail", help_text="Cover image (PNG, JPEG, GIF, WebP or AVIF, at most 10 MB).")
