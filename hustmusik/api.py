"""The v1 API: every app's routes, the OpenAPI document and its viewers, mounted under /v1/.

Where each path is served (the app owning the data serves it, whatever its URL):

    /v1/                          hustmusik.views.ApiIndexView
    /v1/auth/*, /v1/user, /v1/user/me, /v1/user/{id},
    /v1/user/profile/change-password/, /v1/user/forgot-password*/
                                  users.views
    /v1/user/me/history*, /v1/user/me/following*, /v1/artist, /v1/artist/{id}, /v1/artist/{id}/songs,
    /v1/media/*                   catalog.library_views, catalog.views, catalog.media_views
    /v1/song*                     collections_app.views.SongViewSet (catalog.views.SongViewSetBase + albums)
    /v1/collection*, /v1/user/me/playlists, /v1/artist/{id}/albums
                                  collections_app.views
    /v1/search/*                  search.views
    /v1/order/*                   payments.views
    /v1/schema/, /v1/docs/, /v1/redoc/
                                  drf-spectacular, below
    anything else                 hustmusik.slashes.api_fallback: the other spelling, else a JSON 404
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from hustmusik.slashes import api_fallback
from hustmusik.views import ApiIndexView

urlpatterns = [
    path("", ApiIndexView.as_view(), name="api-index"),
    # Routes are tried in order: search, asked on every keystroke, first.
    path("search/", include("search.urls")),
    path("", include("users.urls")),
    path("", include("catalog.urls")),
    path("", include("collections_app.urls")),
    path("", include("payments.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    re_path(r"^.*$", api_fallback),  # the other spelling of a path (trailing slash), else a JSON 404
]
