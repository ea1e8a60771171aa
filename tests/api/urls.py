"""A small API used only by the plumbing tests, built from the same parts every app uses."""

from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from hustmusik.permissions import IsAdmin, IsOwner, ReadOnly
from hustmusik.routers import ApiRouter
from hustmusik.throttles import PerAccountThrottle, PerIPThrottle
from hustmusik.viewsets import ApiModelViewSet
from users.models import User


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "username", "country"]

    def validate_username(self, value):
        if value == "taken":
            raise serializers.ValidationError("That username is reserved.")
        return value


class TwoPerMinuteIP(PerIPThrottle):
    rate = "2/min"


class TwoPerMinuteAccount(PerAccountThrottle):
    rate = "2/min"


class AccountViewSet(ApiModelViewSet):
    queryset = User.objects.order_by("email")
    serializer_class = AccountSerializer
    permission_classes = [ReadOnly | IsAdmin | IsOwner]
    owner_field = "pk"

    @action(
        detail=False,
        methods=["post"],
        permission_classes=[AllowAny],
        throttle_classes=[TwoPerMinuteIP, TwoPerMinuteAccount],
    )
    def knock(self, request):
        return Response({"ok": True})

    @action(detail=False, methods=["get"], permission_classes=[AllowAny])
    def translated(self, request):
        """A 200 whose words depend on the request's language."""
        return Response({"message": gettext("Email verified")})

    @action(detail=False, methods=["get"])
    def explode(self, request):
        raise RuntimeError("secret internal detail")


def plain_django_view_that_fails(request):
    raise RuntimeError("secret internal detail")


def plain_django_view(request):
    return HttpResponse("ok")


router = ApiRouter()
router.register("account", AccountViewSet, basename="account")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/plain-failure", plain_django_view_that_fails),
    path("", include("hustmusik.urls")),
]
