from django.utils.translation import gettext as _
from rest_framework_simplejwt.authentication import AUTH_HEADER_TYPE_BYTES, JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from users.tokens import SESSION_CLAIM

# What browser clients send when they have no token to read (an httpOnly cookie, a signed-out
# store): `Bearer undefined`, `Bearer null`, or the bare word. They mean "no credentials".
ABSENT_TOKENS = {b"undefined", b"null"}


class SessionJWTAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, refusing tokens of sessions that were ended.

    The check costs nothing extra: the user row is loaded for every request anyway.
    A bearer that is no token at all counts as no Authorization header; anything that
    looks like a token and fails verification stays a 401.
    """

    def get_raw_token(self, header):
        parts = header.split()
        if (
            parts
            and parts[0] in AUTH_HEADER_TYPE_BYTES
            and (len(parts) == 1 or (len(parts) == 2 and parts[1].lower() in ABSENT_TOKENS))
        ):
            return None
        return super().get_raw_token(header)

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if validated_token.get(SESSION_CLAIM) != user.session_generation:
            raise AuthenticationFailed(_("This session has ended. Sign in again."), code="session_revoked")
        return user
