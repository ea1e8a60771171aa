"""The v1 API: every app's routes, the OpenAPI document and its viewers, mounted under /v1/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from hustmusik.slashes import api_fallback
from hustmusik.views import ApiIndexView

urlpatterns = [
    path("", ApiIndexView.as_view(), name="api-index"),
    path("", include("users.urls")),
    path("", include("catalog.urls")),
    path("", include("collections_app.urls")),
    path("", include("search.urls")),
    path("", include("payments.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    re_path(r"^.*$", api_fallback),  # the other spelling of a path (trailing slash), else a JSON 404
]
