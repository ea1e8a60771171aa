from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from catalog import examples, selectors, services
from catalog.filters import SongFilter
from catalog.models import Artist
from catalog.serializers import (
    ArtistDetailSerializer,
    ArtistListSerializer,
    ArtistSongSerializer,
    ArtistWriteSerializer,
    SongDetailSerializer,
    SongListSerializer,
    SongWriteSerializer,
    StreamRequestSerializer,
    StreamUrlSerializer,
    UploadRequestSerializer,
    UploadUrlSerializer,
)
from hustmusik.caching import CACHE_HEADER, catalogue_answer
from hustmusik.permissions import IsAdmin, IsArtistManager, ManagesObject
from hustmusik.schema import PARTIAL_UPDATE, answer_example, documented_error
from hustmusik.throttles import PerObjectThrottle
from hustmusik.viewsets import ApiModelViewSet, validated

WRITE_BODY = {"application/json": None, "multipart/form-data": None}


def write_body(serializer_class):
    return {media: serializer_class for media in WRITE_BODY}


class CatalogViewSet(ApiModelViewSet):
    """Anyone reads; Admin or an Artist Manager creates; Admin or the managing Artist Manager changes."""

    def get_permissions(self):
        if self.action in {"list", "retrieve", "songs", "stream"}:
            return [AllowAny()]
        if self.action == "create":
            return [(IsAdmin | IsArtistManager)()]
        return [(IsAdmin | ManagesObject)()]

    def list(self, request, *args, **kwargs):
        return self.cached(lambda: super(CatalogViewSet, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.cached(lambda: super(CatalogViewSet, self).retrieve(request, *args, **kwargs))

    def cached(self, read):
        """A public read's answer, from the catalogue cache when it holds it (`Cache-Control: no-cache` skips it)."""
        return Response(catalogue_answer(self.request, lambda: read().data))

    def render_item(self, instance, serializer_class, status_code=status.HTTP_200_OK):
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=status_code)


def song_item_schemas(detail_serializer, detail_example: dict) -> dict:
    """The schemas of the /v1/song operations answering one song (read, create, update, upload complete), for
    `extend_schema_view`; an app that adds to the song's shape (collections_app: its albums) passes its serializer,
    and an example of what it answers."""
    return {
        "retrieve": extend_schema(
            tags=["song"],
            summary="Read a song",
            description="With its credited artists (primary first), the releases holding it and its audio's state "
            "(`audio_status`; `loudness_gain_db` and `waveform` once processed).",
            parameters=[CACHE_HEADER],
            responses=detail_serializer,
            examples=[answer_example(detail_example, "The song")],
        ),
        "create": extend_schema(
            tags=["song"],
            summary="Add a song",
            description="`title` and `artists` are required: comma-separated artist ids, the first is the primary "
            "artist, whom an Artist Manager must manage. An unknown artist id creates nothing (400). The audio "
            "comes next, through `presigned/upload`.",
            request=write_body(SongWriteSerializer),
            responses={201: detail_serializer},
            examples=[examples.SONG_WRITE, answer_example(detail_example, "The new song", status=201)],
        ),
        "partial_update": extend_schema(
            tags=["song"],
            summary="Update a song",
            description=f"{PARTIAL_UPDATE} `views` cannot be set.",
            request=write_body(SongWriteSerializer),
            responses=detail_serializer,
            examples=[examples.SONG_WRITE, answer_example(detail_example, "The song as it is now")],
        ),
        "complete": extend_schema(
            tags=["song"],
            summary="Finish an upload now",
            description="Optional (an upload finishes by itself): checks the uploaded object now and answers the "
            "song, `processing` while the job makes its renditions. Reads the duration when it is not set. "
            "Refused uploads leave the live audio untouched.",
            request=UploadRequestSerializer,
            responses={
                200: detail_serializer,
                400: documented_error(
                    "Not audio, or longer than AUDIO_MAX_SECONDS.",
                    not_audio="The uploaded file is not audio we can read.",
                    too_long="Songs may last at most 20 minutes.",
                ),
                404: documented_error(
                    "Unknown song, or nothing uploaded.",
                    audio_missing="No uploaded audio was found; PUT the file to the upload URL first.",
                ),
                413: documented_error("Larger than AUDIO_MAX_BYTES.", too_large="Audio files must be at most 50 MB."),
            },
            examples=[
                examples.UPLOAD_COMPLETE,
                answer_example({**detail_example, "audio_status": "processing"}, "The song, its new audio processing"),
            ],
        ),
    }


@extend_schema_view(
    list=extend_schema(
        tags=["song"],
        summary="List songs",
        description="Newest first, or by `ordering`; filter by `genre` and `artist`, or look for words with "
        "`search` (accents and case do not matter).",
        parameters=[CACHE_HEADER],
        responses=SongListSerializer(many=True),
        examples=[examples.SONG_LIST],
    ),
    destroy=extend_schema(
        tags=["song"],
        summary="Delete a song",
        description="Its audio and cover go with it.",
        responses={204: None},
    ),
    **song_item_schemas(SongDetailSerializer, examples.SONG_DETAIL),
)
class SongViewSetBase(CatalogViewSet):
    """Everything /v1/song does but name the albums holding a song: `collections_app.views.SongViewSet`
    adds them (collections depend on the catalogue, not the other way round) and is the routed one."""

    folded_search = True  # ?search= on the list
    filterset_class = SongFilter
    data_envelope = {"retrieve", "create", "partial_update", "complete"}
    throttle_scope = "song_upload"  # the bucket of the per-song upload-URL throttle

    def get_queryset(self):
        return selectors.song_list() if self.action == "list" else self.get_detail_queryset()

    def get_serializer_class(self):
        return SongListSerializer if self.action == "list" else self.detail_serializer_class

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_credits(page) if self.action == "list" else page

    # Every item answer (read, create, update, upload complete) has the same shape; an app
    # that adds to it (collections_app adds the albums) overrides these two.
    detail_serializer_class = SongDetailSerializer

    def get_detail_queryset(self):
        return selectors.song_detail()

    def render_song(self, song_id, status_code=status.HTTP_200_OK):
        return self.render_item(self.get_detail_queryset().get(pk=song_id), self.detail_serializer_class, status_code)

    def create(self, request):
        data = validated(SongWriteSerializer, request.data)
        song = services.song_create(user=request.user, **data)
        return self.render_song(song.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        song = self.get_object()
        data = validated(SongWriteSerializer, request.data, partial=True)
        artist_ids = data.pop("artist_ids", services.UNSET)
        thumbnail = data.pop("thumbnail", None)
        services.song_update(song=song, user=request.user, data=data, artist_ids=artist_ids, thumbnail=thumbnail)
        return self.render_song(song.pk)

    def destroy(self, request, pk=None):
        services.song_delete(song=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["song"],
        summary="Get a URL to play a song",
        description="A time-limited (1 hour) URL to GET a rendition of the song; counts one play per listener "
        "per song per 30 seconds. `quality=high` is for Premium listeners (an active `premium_until`).",
        parameters=[
            OpenApiParameter(
                "quality",
                OpenApiTypes.STR,
                enum=list(services.QUALITIES),
                description="`normal` (about 128 kbit/s, default) or `high` (about 256 kbit/s, Premium).",
            )
        ],
        responses={
            200: StreamUrlSerializer,
            401: documented_error(
                "`high` asked for by an anonymous listener, or a bad token.",
                not_authenticated="Sign in with Premium to hear the high quality.",
                token_not_valid="Given token not valid for any token type",
            ),
            403: documented_error(
                "`high` without an active Premium.", premium_required="The high quality is for Premium listeners."
            ),
            404: documented_error(
                "Unknown song, or no playable audio yet.",
                not_found="No Song matches the given query.",
                audio_missing="This song has no audio yet.",
            ),
        },
        examples=[examples.STREAM_URL],
    )
    @action(detail=True, methods=["get"], url_path="presigned/stream")
    def stream(self, request, pk=None):
        quality = validated(StreamRequestSerializer, request.query_params)["quality"]
        url = services.song_stream_url(song=self.get_object(), request=request, quality=quality)
        return Response({"url": url, "quality": quality})

    @extend_schema(
        tags=["song"],
        summary="Get a URL to upload a song's audio",
        description="A time-limited (15 minutes) URL to PUT the audio to. The upload lands beside the live "
        "audio, which keeps playing, and finishes by itself: on local storage when the PUT arrives, on S3 at the "
        "next stream request (or at `presigned/complete`). Then a job makes the renditions. Limited to "
        "`THROTTLE_PER_OBJECT` URLs per song (30 per 15 minutes).",
        parameters=[
            OpenApiParameter(
                "content_type",
                OpenApiTypes.STR,
                description="The Content-Type the client will PUT with (any audio type; the bytes decide what it is).",
            )
        ],
        responses=UploadUrlSerializer,
        examples=[examples.UPLOAD_URL],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="presigned/upload",
        throttle_classes=[PerObjectThrottle],
    )
    def upload(self, request, pk=None):
        song = self.get_object()
        content_type = validated(UploadRequestSerializer, request.query_params)["content_type"]
        url = services.song_upload_url(song=song, content_type=content_type, request=request)
        return Response({"url": url, "method": "PUT", "headers": {"Content-Type": content_type}})

    @action(detail=True, methods=["post"], url_path="presigned/complete")
    def complete(self, request, pk=None):
        song = self.get_object()
        validated(UploadRequestSerializer, request.data)
        services.song_complete_upload(song=song)
        return self.render_song(song.pk)


@extend_schema_view(
    list=extend_schema(
        tags=["artist"],
        summary="List artists",
        description="`search` looks for words (accents and case do not matter); `managed=true` from an Artist "
        "Manager lists only the artists they manage.",
        parameters=[
            OpenApiParameter("managed", OpenApiTypes.BOOL, description="Only the artists you manage."),
            CACHE_HEADER,
        ],
        responses=ArtistListSerializer(many=True),
        examples=[examples.ARTIST_LIST],
    ),
    retrieve=extend_schema(
        tags=["artist"],
        summary="Read an artist",
        description="A one-element array in `data`, as the clients expect.",
        operation_id="artist_retrieve",
        parameters=[CACHE_HEADER],
        responses=ArtistDetailSerializer(many=True),
        examples=[examples.ARTIST_READ],
    ),
    create=extend_schema(
        tags=["artist"],
        summary="Add an artist",
        description="`name` is required; an Artist Manager who adds an artist manages it. The avatar is a "
        "multipart `file` or an `avatarurl`.",
        request=write_body(ArtistWriteSerializer),
        responses={201: ArtistDetailSerializer},
        examples=[examples.ARTIST_WRITE, examples.ARTIST_CREATED],
    ),
    partial_update=extend_schema(
        tags=["artist"],
        summary="Update an artist",
        description=PARTIAL_UPDATE,
        request=write_body(ArtistWriteSerializer),
        responses=ArtistDetailSerializer,
        examples=[examples.ARTIST_WRITE, examples.ARTIST_UPDATED],
    ),
    destroy=extend_schema(
        tags=["artist"],
        summary="Delete an artist",
        description="Its credits on songs go with it; the songs stay.",
        responses={204: None},
    ),
)
class ArtistViewSet(CatalogViewSet):
    folded_search = True  # ?search= on the list
    queryset = Artist.objects.all()

    def get_queryset(self):
        if self.action == "list" and self.request.query_params.get("managed", "").lower() in {"true", "1"}:
            user = self.request.user
            return selectors.artist_list(managed_by=user) if user.is_authenticated else Artist.objects.none()
        return selectors.artist_list()

    def get_serializer_class(self):
        return ArtistListSerializer if self.action == "list" else ArtistDetailSerializer

    def retrieve(self, request, pk=None):
        # The clients expect a one-element array here.
        return self.cached(
            lambda: Response([ArtistDetailSerializer(self.get_object(), context=self.get_serializer_context()).data])
        )

    def create(self, request):
        data = validated(ArtistWriteSerializer, request.data)
        artist = services.artist_create(user=request.user, avatar=data.pop("file", None), **data)
        return self.render_item(artist, ArtistDetailSerializer, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        artist = self.get_object()
        data = validated(ArtistWriteSerializer, request.data, partial=True)
        services.artist_update(artist=artist, avatar=data.pop("file", None), data=data)
        return self.render_item(artist, ArtistDetailSerializer)

    def destroy(self, request, pk=None):
        services.artist_delete(artist=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["artist"],
        summary="List an artist's songs",
        description="Songs crediting the artist (primary or featured), most played first.",
        parameters=[CACHE_HEADER],
        responses=ArtistSongSerializer(many=True),
        examples=[examples.ARTIST_SONGS],
    )
    @action(detail=True, methods=["get"])
    def songs(self, request, pk=None):
        def read():
            artist = get_object_or_404(Artist, pk=pk)
            page = self.paginate_queryset(selectors.artist_songs(artist=artist))
            return self.get_paginated_response(
                ArtistSongSerializer(page, many=True, context=self.get_serializer_context()).data
            )

        return self.cached(read)
