import datetime
import uuid

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Artist, Song
from hustmusik.images import HttpUrlField, ImageUploadField, ImageUrlField, absolute_image_url, stored_image_url

# --- shapes answered ----------------------------------------------------------------------


class ArtistRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artist
        fields = ["id", "name"]


class ArtistListSerializer(serializers.ModelSerializer):
    """Written out by hand, as the other list items (the fields still describe it for the schema)."""

    avatarurl = ImageUrlField("avatar", "avatar_url", kind="artist")

    class Meta:
        model = Artist
        fields = ["id", "name", "avatarurl"]

    def to_representation(self, artist: Artist):
        request = self.context.get("request")
        return {
            "id": str(artist.id),
            "name": artist.name,
            "avatarurl": absolute_image_url(request, artist.avatar, artist.avatar_url, kind="artist"),
        }


class ArtistDetailSerializer(serializers.ModelSerializer):
    avatarurl = ImageUrlField("avatar", "avatar_url", kind="artist")
    managerid = serializers.UUIDField(source="manager_id", read_only=True, allow_null=True)

    class Meta:
        model = Artist
        fields = ["id", "name", "avatarurl", "country", "description", "managerid"]


class CreditedArtistSerializer(serializers.Serializer):
    """`{"artist": {id, name}, id, name}`: one credit of a song list item (the web client's admin
    table reads the flat `id` and `name`, its home page the nested ones)."""

    artist = ArtistRefSerializer()
    id = serializers.UUIDField(source="artist.id")
    name = serializers.CharField(source="artist.name")


def credits_of(song: Song) -> list:
    """The song's credits as prefetched by `Song.objects.with_artists()` (Primary first)."""
    return list(song.credits.all())


THUMBNAIL_STORAGE = Song._meta.get_field("thumbnail").storage


class SongListSerializer(serializers.ModelSerializer):
    """A song list item, from a `Song.objects.list_rows()` row given its credits by
    `catalog.selectors.with_credits`. The hottest shape of the API: written out by hand
    (the fields below still describe it for the schema), since generic field machinery
    tripled the cost of a 50-song page."""

    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="song")
    releasedate = serializers.DateField(source="release_date", allow_null=True)
    artists = serializers.SerializerMethodField()

    class Meta:
        model = Song
        fields = ["id", "title", "thumbnailurl", "duration", "releasedate", "genre", "views", "artists", "audio_status"]

    @extend_schema_field(CreditedArtistSerializer(many=True))
    def get_artists(self, song: dict) -> list:
        return [
            {"artist": {"id": str(artist_id), "name": name}, "id": str(artist_id), "name": name}
            for artist_id, name in song["credits"]
        ]

    def to_representation(self, song: dict):
        released = song["release_date"]
        return {
            "id": str(song["id"]),
            "title": song["title"],
            "thumbnailurl": stored_image_url(
                self.context.get("request"), THUMBNAIL_STORAGE, song["thumbnail"], song["thumbnail_url"], kind="song"
            ),
            "duration": song["duration"],
            "releasedate": released.isoformat() if released else None,
            "genre": song["genre"],
            "views": song["views"],
            "artists": self.get_artists(song),
            "audio_status": song["audio_status"],
        }


class SongDetailSerializer(serializers.ModelSerializer):
    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="song")
    releasedate = serializers.DateField(source="release_date", allow_null=True)
    artists = serializers.SerializerMethodField()
    has_audio = serializers.BooleanField(read_only=True)
    waveform = serializers.ListField(
        child=serializers.FloatField(),
        allow_null=True,
        read_only=True,
        help_text="Peaks in 0..1, a few hundred; null until the audio is ready.",
    )

    class Meta:
        model = Song
        fields = [
            "id",
            "title",
            "thumbnailurl",
            "duration",
            "releasedate",
            "genre",
            "views",
            "artists",
            "has_audio",
            "audio_status",
            "loudness_gain_db",
            "waveform",
        ]

    @extend_schema_field(ArtistListSerializer(many=True))
    def get_artists(self, song) -> list:
        return ArtistListSerializer(
            [credit.artist for credit in credits_of(song)], many=True, context=self.context
        ).data


class ArtistSongSerializer(serializers.Serializer):
    """`{"song": {id, title, thumbnailurl, duration, views}}` in an artist's song list."""

    class Song(serializers.ModelSerializer):
        thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="song")

        class Meta:
            model = Song
            fields = ["id", "title", "thumbnailurl", "duration", "views"]

    song = Song(source="*")


class UrlSerializer(serializers.Serializer):
    url = serializers.URLField()


class StreamUrlSerializer(UrlSerializer):
    quality = serializers.ChoiceField(choices=["normal", "high"], help_text="The quality the URL gives.")


class StreamRequestSerializer(serializers.Serializer):
    quality = serializers.ChoiceField(choices=["normal", "high"], default="normal")


class UploadUrlSerializer(UrlSerializer):
    method = serializers.CharField(default="PUT")
    headers = serializers.DictField(child=serializers.CharField())


# --- shapes accepted ------------------------------------------------------------------------


class FlexibleDateField(serializers.DateField):
    """A date, or a datetime whose date is kept (clients send either)."""

    def to_internal_value(self, value):
        if isinstance(value, str) and "T" in value:
            parsed = serializers.DateTimeField().to_internal_value(value)
            return parsed.date() if isinstance(parsed, datetime.datetime) else parsed
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "example": "id-of-primary,id-of-featured"})
class ArtistIdListField(serializers.Field):
    """Artist ids, comma-separated (as the clients send them) or as a JSON list."""

    default_error_messages = {
        "invalid": _("Give artist ids separated by commas."),
        "invalid_id": _("Not a valid id: {value}"),
    }

    def to_internal_value(self, data):
        parts = data if isinstance(data, list) else str(data).split(",") if isinstance(data, str) else None
        if parts is None:
            self.fail("invalid")
        ids = []
        for part in (str(p).strip() for p in parts):
            if not part:
                continue
            try:
                ids.append(uuid.UUID(part))
            except ValueError:
                self.fail("invalid_id", value=part[:64])
        return ids

    def to_representation(self, value):
        return ",".join(str(v) for v in value)


class ArtistWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    country = serializers.CharField(required=False, allow_blank=True, max_length=100)
    avatarurl = HttpUrlField(required=False, allow_blank=True, max_length=1000, source="avatar_url")
    file = ImageUploadField(help_text="Avatar image (PNG, JPEG, GIF, WebP or AVIF, at most 10 MB).")


class SongWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    artists = ArtistIdListField(source="artist_ids", help_text="Comma-separated artist ids; the first is Primary.")
    duration = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=24 * 3600,
        help_text="Seconds; 0 or null means unknown (read from the audio when it is uploaded).",
    )
    releasedate = FlexibleDateField(required=False, allow_null=True, source="release_date")
    genre = serializers.CharField(required=False, allow_blank=True, max_length=100)
    thumbnailurl = HttpUrlField(required=False, allow_blank=True, max_length=1000, source="thumbnail_url")
    file = ImageUploadField(source="thumbnail", help_text="Cover image (PNG, JPEG, GIF, WebP or AVIF, at most 10 MB).")

    def validate_duration(self, value):
        return value or None  # 0 is how forms say "unknown"

    def validate(self, attrs):
        if self.partial and "duration" in attrs and attrs["duration"] is None:
            del attrs["duration"]  # an edit form's "unknown" keeps the duration already known
        return attrs


class UploadRequestSerializer(serializers.Serializer):
    content_type = serializers.RegexField(
        r"^(audio/[\w.+-]+|application/octet-stream)$",
        max_length=100,
        default="audio/mpeg",
        error_messages={"invalid": _("Give an audio content type, such as audio/mpeg.")},
        help_text="Content-Type the client will send (any audio type; what the bytes are decides).",
    )


# --- the signed-in user's library ---------------------------------------------------------------


class HistorySongSerializer(serializers.ModelSerializer):
    thumbnailurl = ImageUrlField("thumbnail", "thumbnail_url", kind="song")
    artists = serializers.SerializerMethodField()

    class Meta:
        model = Song
        fields = ["id", "title", "duration", "thumbnailurl", "artists"]

    @extend_schema_field(CreditedArtistSerializer(many=True))
    def get_artists(self, song) -> list:
        return CreditedArtistSerializer(credits_of(song), many=True).data


class HistoryEntrySerializer(serializers.Serializer):
    last_listened = serializers.DateTimeField()
    songs = HistorySongSerializer(source="song")


class FollowingSerializer(serializers.Serializer):
    artist = ArtistListSerializer()
