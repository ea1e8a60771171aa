from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from catalog.media_views import image
from hustmusik.errors import make_error_handlers
from hustmusik.views import HealthView

urlpatterns = [
    path("", HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
    # django-allauth's Google sign-in (the browser leg of GET /v1/auth/oauth); no other allauth pages.
    path("accounts/", include("allauth.socialaccount.providers.google.urls")),
    path("v1/", include("hustmusik.api")),
    # Uploaded images on local storage, with DEBUG off too (S3 serves its own).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", image, name="media-image"),
]

# The admin's "View site" opens the API's documentation: the project has no site of its own.
admin.site.site_url = "/v1/docs/"

_handlers = make_error_handlers()
handler400 = _handlers["handler400"]
handler403 = _handlers["handler403"]
handler404 = _handlers["handler404"]
handler500 = _handlers["handler500"]
