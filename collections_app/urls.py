from django.urls import path

from collections_app.views import ArtistAlbumsView, CollectionViewSet, MyCollectionsView, SongViewSet
from hustmusik.routers import ApiRouter

router = ApiRouter()
router.register("song", SongViewSet, basename="song")
router.register("collection", CollectionViewSet, basename="collection")

urlpatterns = [
    *router.urls,
    path("user/me/playlists", MyCollectionsView.as_view(), name="user-me-playlists"),
    path("artist/<uuid:pk>/albums", ArtistAlbumsView.as_view(), name="artist-albums"),
]
