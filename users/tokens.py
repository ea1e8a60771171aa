"""JWT sessions: every token carries the user's session generation.

Raising `User.session_generation` (see `services.user_revoke_sessions`) makes every
access and refresh token issued before it useless at once, not at its expiry.
"""

from django.conf import settings
from rest_framework_simplejwt.tokens import RefreshToken

SESSION_CLAIM = "sgen"


class SessionRefreshToken(RefreshToken):
    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[SESSION_CLAIM] = user.session_generation
        return token


def issue_session(user) -> dict:
    """The contract's `session` object for a fresh pair of tokens."""
    refresh = SessionRefreshToken.for_user(user)
    access = refresh.access_token
    return {
        "access_token": str(access),
        "token_type": "bearer",
        "expires_in": int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()),
        "expires_at": access["exp"],
        "refresh_token": str(refresh),
    }
