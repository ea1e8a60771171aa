from django.urls import path

from catalog import library_views, media_views
from catalog.views import ArtistViewSet
from hustmusik.routers import ApiRouter

# /v1/song is mounted by collections_app, whose song answers carry the albums.
router = ApiRouter()
router.register("artist", ArtistViewSet, basename="artist")

urlpatterns = [
    *router.urls,
    path("user/me/history", library_views.HistoryView.as_view(), name="user-me-history"),
    path("user/me/history/<uuid:song_id>", library_views.HistoryEntryView.as_view(), name="user-me-history-entry"),
    path("user/me/following", library_views.FollowingView.as_view(), name="user-me-following"),
    path("user/me/following/<uuid:artist_id>", library_views.FollowView.as_view(), name="user-me-follow"),
    # Signed URLs of the local audio storage (S3 serves these itself when configured).
    path("media/audio/<str:token>", media_views.stream, name="media-stream"),
    path("media/upload/<str:token>", media_views.upload, name="media-upload"),
]
