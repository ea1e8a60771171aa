from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hustmusik.schema import EXAMPLE_SERVER, answer_example

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
        summary="Health check",
        description="Whether the server runs and reaches its database, for load balancers and uptime checks. "
        "Served at `/`, outside `/v1`, and over plain HTTP even where HTTPS is enforced.",
        operation_id="health",
        responses={
            200: HealthSerializer,
            503: OpenApiResponse(
                HealthSerializer,
                "The database is unreachable.",
                examples=[
                    answer_example(
                        {
                            "msg": "Server is unhealthy",
                            "last_checked": "2025-01-31T08:15:00Z",
                            "error": "The database is unreachable.",
                        },
                        "Unhealthy",
                        status=503,
                    )
                ],
            ),
        },
        examples=[answer_example({"msg": "Server is healthy", "last_checked": "2025-01-31T08:15:00Z"}, "Healthy")],
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

    @extend_schema(
        tags=["health"],
        summary="API index",
        description="The API's name and version, and where its documentation is served.",
        operation_id="api_index",
        responses=ApiIndexSerializer,
        examples=[
            answer_example(
                {
                    "name": "Hust Musik API",
                    "version": "1.0.0",
                    "docs": f"{EXAMPLE_SERVER}/v1/docs/",
                    "redoc": f"{EXAMPLE_SERVER}/v1/redoc/",
                    "schema": f"{EXAMPLE_SERVER}/v1/schema/",
                }
            )
        ],
    )
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
