from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Artist, Song
from catalog.views import SongViewSetBase, song_item_schemas, write_body
from collections_app import examples, selectors, services
from collections_app.serializers import (
    ArtistAlbumSerializer,
    CollectionDetailSerializer,
    CollectionListSerializer,
    CollectionSummarySerializer,
    CollectionWriteSerializer,
    SongWithAlbumsSerializer,
)
from hustmusik.pagination import PageLimitPagination
from hustmusik.permissions import IsAdmin, IsOwner, IsSignedIn
from hustmusik.schema import PARTIAL_UPDATE, MessageSerializer, documented_error
from hustmusik.viewsets import ApiModelViewSet, validated


@extend_schema_view(**song_item_schemas(SongWithAlbumsSerializer, examples.SONG_WITH_ALBUMS))
class SongViewSet(SongViewSetBase):
    """Songs, with the albums (Album/EP/Single collections) that hold each in every item answer."""

    detail_serializer_class = SongWithAlbumsSerializer

    def get_detail_queryset(self):
        return selectors.song_detail_with_albums(user=self.request.user)


PRIVATE_HIDDEN = "Private collections show only to their owner and Admins."


@extend_schema_view(
    list=extend_schema(
        tags=["collection"],
        summary="List collections",
        description=f"Albums, EPs, singles, playlists and mixes, newest first; `search` looks for words. "
        f"{PRIVATE_HIDDEN}",
        responses=CollectionListSerializer(many=True),
        examples=[examples.COLLECTION_LIST],
    ),
    retrieve=extend_schema(
        tags=["collection"],
        summary="Read a collection",
        description=f"With its songs in their order. {PRIVATE_HIDDEN} (others get 404).",
        responses=CollectionDetailSerializer,
        examples=[examples.COLLECTION_READ],
    ),
    create=extend_schema(
        tags=["collection"],
        summary="Create a collection",
        description="`title` is required; `type` is `Playlist` unless given, `visibility` `Public`. Anyone signed "
        "in makes playlists and mixes; albums, EPs and singles need an Admin or an Artist Manager (else 403).",
        request=write_body(CollectionWriteSerializer),
        responses={201: CollectionDetailSerializer},
        examples=[examples.COLLECTION_WRITE, examples.COLLECTION_CREATED],
    ),
    partial_update=extend_schema(
        tags=["collection"],
        summary="Update a collection",
        description=PARTIAL_UPDATE,
        request=write_body(CollectionWriteSerializer),
        responses=CollectionDetailSerializer,
        examples=[examples.COLLECTION_WRITE, examples.COLLECTION_UPDATED],
    ),
    destroy=extend_schema(
        tags=["collection"],
        summary="Delete a collection",
        description="The songs stay in the catalogue.",
        responses={200: MessageSerializer},
        examples=[examples.COLLECTION_DELETED],
    ),
)
class CollectionViewSet(ApiModelViewSet):
    """Albums, EPs, singles, playlists and mixes; private ones exist only for their owner (and admins)."""

    folded_search = True  # ?search= on the lists

    def get_permissions(self):
        if self.action in {"list", "retrieve", "playlists", "albums"}:
            return [AllowAny()]
        if self.action == "create":
            return [IsSignedIn()]
        return [(IsAdmin | IsOwner)()]

    def get_queryset(self):
        user = self.request.user
        if self.action in {"list", "playlists", "albums"}:
            return selectors.collection_list(user=user, kind=self.action if self.action != "list" else None)
        return selectors.collection_detail(user=user)

    def get_serializer_class(self):
        return (
            CollectionListSerializer if self.action in {"list", "playlists", "albums"} else CollectionDetailSerializer
        )

    def render_collection(self, collection_id, status_code=status.HTTP_200_OK):
        collection = selectors.collection_detail(user=self.request.user).get(pk=collection_id)
        return Response(
            CollectionDetailSerializer(collection, context=self.get_serializer_context()).data, status=status_code
        )

    def create(self, request):
        collection = services.collection_create(user=request.user, **validated(CollectionWriteSerializer, request.data))
        return self.render_collection(collection.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        collection = self.get_object()
        data = validated(CollectionWriteSerializer, request.data, partial=True)
        thumbnail = data.pop("thumbnail", None)
        services.collection_update(collection=collection, user=request.user, data=data, thumbnail=thumbnail)
        return self.render_collection(collection.pk)

    def destroy(self, request, pk=None):
        collection = self.get_object()
        collection_id = collection.pk
        services.collection_delete(collection=collection)
        return Response({"message": _("Collection %(id)s is being deleted") % {"id": collection_id}})

    @extend_schema(
        tags=["collection"],
        summary="List playlists",
        description=f"Collections of type `Playlist`, newest first. {PRIVATE_HIDDEN}",
        responses=CollectionListSerializer(many=True),
        examples=[examples.COLLECTION_LIST],
    )
    @action(detail=False, methods=["get"])
    def playlists(self, request):
        return self.list(request)

    @extend_schema(
        tags=["collection"],
        summary="List releases",
        description=f"Collections of type `Album`, `EP` or `Single`, newest first. {PRIVATE_HIDDEN}",
        responses=CollectionListSerializer(many=True),
        examples=[examples.COLLECTION_LIST],
    )
    @action(detail=False, methods=["get"])
    def albums(self, request):
        return self.list(request)

    @extend_schema(
        tags=["collection"],
        summary="Add a song to a collection",
        description="Appends it at the end; a song already there stays where it is.",
        operation_id="collection_songs_add",
        request=None,
        responses={204: None, 404: documented_error("Unknown or invisible collection, or unknown song.")},
    )
    @action(detail=True, methods=["post"], url_path=r"songs/(?P<song_id>[0-9a-fA-F-]{36})")
    def songs(self, request, pk=None, song_id=None):
        collection = self.get_object()
        services.collection_add_song(collection=collection, song=get_object_or_404(Song, pk=song_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["collection"],
        summary="Remove a song from a collection",
        description="Removing a song the collection does not hold changes nothing.",
        operation_id="collection_songs_remove",
        request=None,
        responses={204: None, 404: documented_error("Unknown or invisible collection, or unknown song.")},
    )
    @songs.mapping.delete
    def remove_song(self, request, pk=None, song_id=None):
        collection = self.get_object()
        services.collection_remove_song(collection=collection, song=get_object_or_404(Song, pk=song_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyCollectionsView(APIView):
    """The caller's own collections, private ones included."""

    permission_classes = [IsSignedIn]

    @extend_schema(
        tags=["user"],
        summary="List your collections",
        description="Every collection you own, private ones included, newest first.",
        operation_id="user_me_playlists",
        responses=inline_serializer("MyCollections", {"data": CollectionSummarySerializer(many=True)}),
        examples=[examples.MY_COLLECTIONS],
    )
    def get(self, request):
        collections = selectors.user_collections(user=request.user)
        return Response(
            {"data": CollectionSummarySerializer(collections, many=True, context={"request": request}).data}
        )


class ArtistAlbumsView(APIView):
    """Releases holding a song whose primary artist is this artist."""

    permission_classes = [AllowAny]
    pagination_class = PageLimitPagination

    @extend_schema(
        tags=["artist"],
        summary="List an artist's releases",
        description="Albums, EPs and singles holding a song whose primary artist is this artist, newest first.",
        operation_id="artist_albums",
        responses=ArtistAlbumSerializer(many=True),
        examples=[examples.ARTIST_ALBUMS],
    )
    def get(self, request, pk):
        artist = get_object_or_404(Artist, pk=pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.artist_albums(user=request.user, artist=artist), request, self)
        return paginator.get_paginated_response(
            ArtistAlbumSerializer(page, many=True, context={"request": request}).data
        )
