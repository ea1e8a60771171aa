from django.urls import path

from catalog import media_views
from catalog.views import ArtistViewSet, SongViewSet
from hustmusik.routers import ApiRouter

router = ApiRouter()
router.register("song", SongViewSet, basename="song")
router.register("artist", ArtistViewSet, basename="artist")

urlpatterns = [
    *router.urls,
    # Signed URLs of the local audio storage (S3 serves these itself when configured).
    path("media/audio/<str:token>", media_views.stream, name="media-stream"),
    path("media/upload/<str:token>", media_views.upload, name="media-upload"),
]
