"""The signed-in user's listening library under /v1/user/me: history and followed artists."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import examples, selectors, services
from catalog.models import Artist, Song
from catalog.serializers import FollowingSerializer, HistoryEntrySerializer
from hustmusik.pagination import page_and_limit
from hustmusik.permissions import IsSignedIn
from hustmusik.schema import documented_error

HISTORY_MAX = 20


def data_list(name, serializer):
    return inline_serializer(name, {"data": serializer(many=True)})


class HistoryView(APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(
        tags=["user"],
        summary="Read your listening history",
        description=f"Your own history only, newest first: each song once, at its last listen; at most "
        f"{HISTORY_MAX} entries, fewer with `limit`.",
        operation_id="user_me_history_list",
        parameters=[OpenApiParameter("limit", int, description=f"At most {HISTORY_MAX} (the default).")],
        responses=data_list("HistoryList", HistoryEntrySerializer),
        examples=[examples.HISTORY],
    )
    def get(self, request):
        _, limit = page_and_limit(request, default_limit=HISTORY_MAX, max_limit=HISTORY_MAX)
        entries = selectors.user_history(user=request.user, limit=limit)
        return Response({"data": HistoryEntrySerializer(entries, many=True, context={"request": request}).data})


class HistoryEntryView(APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(
        tags=["user"],
        summary="Record a listen",
        description="Puts the song at the top of your history (`last_listened` now), once however often you listen.",
        operation_id="user_me_history_record",
        request=None,
        responses={204: None, 404: documented_error("Unknown song.")},
    )
    def post(self, request, song_id):
        services.history_record(user=request.user, song=get_object_or_404(Song, pk=song_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowingView(APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(
        tags=["user"],
        summary="List the artists you follow",
        description="Newest follow first.",
        operation_id="user_me_following_list",
        responses=data_list("FollowingList", FollowingSerializer),
        examples=[examples.FOLLOWING],
    )
    def get(self, request):
        follows = selectors.user_following(user=request.user)
        return Response({"data": FollowingSerializer(follows, many=True, context={"request": request}).data})


class FollowView(APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(
        tags=["user"],
        summary="Follow an artist",
        description="Following an artist you already follow changes nothing.",
        operation_id="user_me_following_add",
        request=None,
        responses={204: None, 404: documented_error("Unknown artist.")},
    )
    def post(self, request, artist_id):
        services.artist_follow(user=request.user, artist=get_object_or_404(Artist, pk=artist_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["user"],
        summary="Unfollow an artist",
        description="Unfollowing an artist you do not follow changes nothing.",
        operation_id="user_me_following_remove",
        request=None,
        responses={204: None, 404: documented_error("Unknown artist.")},
    )
    def delete(self, request, artist_id):
        services.artist_unfollow(user=request.user, artist=get_object_or_404(Artist, pk=artist_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
