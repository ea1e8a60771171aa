from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class SessionJWTScheme(SimpleJWTScheme):
    """Documents the bearer scheme (Swagger UI's "Authorize") for our simplejwt subclass."""

    target_class = "users.authentication.SessionJWTAuthentication"
    name = "bearerAuth"
