from rest_framework import serializers

from catalog.serializers import ArtistListSerializer, ArtistRefSerializer, credits_of
from catalog.models import Song
from collections_app.models import Collection
from collections_app.serializers import CollectionListSerializer, OwnerRefSerializer
from hustmusik.images import ImageUrlField
from users.models import User
from drf_spectacular.utils import extend_schema_field


class SongHitSerializer(serializers.ModelSerializer):
    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url")
    releasedate = serializers.DateField(source="release_date", allow_null=True)
    artists = serializers.SerializerMethodField()

    class Meta:
        model = Song
        fields = ["id", "title", "thumbnailurl", "duration", "releasedate", "genre", "views", "artists"]

    @extend_schema_field(ArtistRefSerializer(many=True))
    def get_artists(self, song) -> list:
        return ArtistRefSerializer([credit.artist for credit in credits_of(song)], many=True).data


class AlbumHitSerializer(serializers.ModelSerializer):
    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url")
    owner = OwnerRefSerializer()

    class Meta:
        model = Collection
        fields = ["id", "title", "description", "thumbnailurl", "type", "owner"]


class UserHitSerializer(serializers.ModelSerializer):
    avatarurl = ImageUrlField("avatar")

    class Meta:
        model = User
        fields = ["id", "username", "avatarurl"]


HIT_SERIALIZERS = {
    "songs": SongHitSerializer,
    "artists": ArtistListSerializer,
    "albums": AlbumHitSerializer,
    "playlists": CollectionListSerializer,
    "users": UserHitSerializer,
}


class SearchOverviewSerializer(serializers.Serializer):
    songs = SongHitSerializer(many=True)
    artists = ArtistListSerializer(many=True)
    albums = AlbumHitSerializer(many=True)
    playlists = CollectionListSerializer(many=True)
    users = UserHitSerializer(many=True)
