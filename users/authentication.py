from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from users.tokens import SESSION_CLAIM


class SessionJWTAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, refusing tokens of sessions that were ended.

    The check costs nothing extra: the user row is loaded for every request anyway.
    """

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if validated_token.get(SESSION_CLAIM) != user.session_generation:
            raise AuthenticationFailed("This session has ended. Sign in again.", code="session_revoked")
        return user
