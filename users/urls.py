from django.urls import path

from users.views import MeView

urlpatterns = [
    path("user/me", MeView.as_view(), name="user-me"),
]
