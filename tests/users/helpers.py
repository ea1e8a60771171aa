"""What the users suites share: a password that passes every rule and the shape of a session answer."""

STRONG = "Mua-he-2025!"  # passes every password rule; no factory user has it

SESSION_KEYS = {"access_token", "token_type", "expires_in", "expires_at", "refresh_token"}


def assert_session(body, email):
    """`body` is a sign-in answer (`user` and `session`) for the account of `email`."""
    assert set(body) == {"user", "session"}
    user = body["user"]
    assert user["email"] == email and user["aud"] == "authenticated" and user["role"] == "User"
    assert set(user) >= {"id", "username", "email_verified"}
    assert set(body["session"]) == SESSION_KEYS
    assert body["session"]["token_type"] == "bearer" and body["session"]["expires_in"] == 3600
