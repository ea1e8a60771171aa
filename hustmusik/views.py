from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

HealthSerializer = inline_serializer(
    "Health",
    {
        "msg": serializers.CharField(),
        "last_checked": serializers.DateTimeField(),
        "error": serializers.CharField(required=False),
    },
)


class HealthView(APIView):
    """Liveness and database reachability, for load balancers and uptime checks."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["health"],
        operation_id="health",
        responses={200: HealthSerializer, 503: OpenApiResponse(HealthSerializer, "The database is unreachable.")},
    )
    def get(self, request):
        last_checked = serializers.DateTimeField().to_representation(timezone.now())
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return Response(
                {"msg": "Server is unhealthy", "last_checked": last_checked, "error": "The database is unreachable."},
                status=503,
            )
        return Response({"msg": "Server is healthy", "last_checked": last_checked})


ApiIndexSerializer = inline_serializer(
    "ApiIndex",
    {
        "name": serializers.CharField(),
        "version": serializers.CharField(),
        "docs": serializers.URLField(),
        "redoc": serializers.URLField(),
        "schema": serializers.URLField(),
    },
)


class ApiIndexView(APIView):
    """`GET /v1/`: what this API is and where its documentation lives."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(tags=["health"], operation_id="api_index", responses=ApiIndexSerializer)
    def get(self, request):
        return Response(
            {
                "name": settings.SPECTACULAR_SETTINGS["TITLE"],
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "docs": request.build_absolute_uri(reverse("swagger-ui")),
                "redoc": request.build_absolute_uri(reverse("redoc")),
                "schema": request.build_absolute_uri(reverse("schema")),
            }
        )
