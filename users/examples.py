"""Example requests and answers of the account endpoints, for the OpenAPI document."""

from hustmusik.schema import EXAMPLE_SERVER, answer_example, request_example

USER_ID = "22c75c0a-2ebc-4def-9a43-51c5f6a34016"
EMAIL = "minh@example.com"
PASSWORD = "Hoa-sen-2025!"
NEW_PASSWORD = "Mua-thu-2026!"
USER_KEY = "IsdcCi68Te-aQ1HF9qNAFg"  # the account id, URL-safe base64, as reset links carry it
RESET_TOKEN = f"{USER_KEY}.cj5k3m-1f2e3d4c5b6a7980a1b2c3d4e5f6a7b8"
AVATAR = f"{EXAMPLE_SERVER}/static/defaults/user.png"
# Tokens are JWTs (shortened here): the access token goes in `Authorization: Bearer <access_token>`.
TOKENS = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.dKggqJ_nmTm4u4UN",
    "token_type": "bearer",
    "expires_in": 3600,
    "expires_at": 1738314900,
    "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.2cTLMiC5m4xvZAEC",
}
SESSION = {
    "user": {
        "id": USER_ID,
        "aud": "authenticated",
        "email": EMAIL,
        "username": "minh",
        "role": "User",
        "email_verified": False,
    },
    "session": TOKENS,
}
USER_ITEM = {"id": USER_ID, "username": "minh", "role": "User", "avatarurl": AVATAR}
PROFILE = {
    **USER_ITEM,
    "email": EMAIL,
    "country": "VN",
    "email_verified": True,
    "premium_until": "2025-03-02T08:15:00Z",
    "is_premium": True,
    "created_at": "2025-01-31T08:15:00Z",
}

SESSION_ANSWER = answer_example(SESSION, "A session: the user and a pair of tokens")
SIGN_UP = request_example({"email": EMAIL, "password": PASSWORD, "username": "minh", "country": "VN"})
SIGN_IN = request_example({"email": EMAIL, "password": PASSWORD})
RENEW = request_example({"refresh_token": TOKENS["refresh_token"]})
GOOGLE_ID_TOKEN = request_example(
    {"id_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6IjZmOTc3N2E2ODU5MDc3OThlZjc5NDA2MmMwMGI2NWQ2NmMyNDBiMWIifQ"}
)
OAUTH_URL = answer_example(
    {
        "url": f"{EXAMPLE_SERVER}/accounts/google/login/?process=login&next=%2Fv1%2Fauth%2Foauth%2Fcomplete%3Fredirect_to%3D"
        "http%253A%252F%252Flocalhost%253A3000%252Fauth%252Fcallback"
    },
    "Send the browser here",
)
CREDENTIALS = request_example({"current_password": PASSWORD, "password": NEW_PASSWORD})
CREDENTIALS_CHANGED = answer_example(
    {"message": "User updated successfully", "session": TOKENS}, "With a fresh session when the password changed"
)
FORGOT_PASSWORD = request_example({"email": EMAIL})
RESET_MAIL_SENT = answer_example(
    {"message": "If an account uses this email, a link to reset its password is on its way."}
)
RESET_PASSWORD = request_example({"token": RESET_TOKEN, "password": NEW_PASSWORD})
PASSWORD_RESET = answer_example({"message": "Password has been reset"})
VERIFY_EMAIL = request_example({"key": "MQ:1vQx2a:hV1Zp3o4YkT2c6WqgS0Lr8nU"})
EMAIL_VERIFIED = answer_example({"message": "Email verified"})

PROFILE_ANSWER = answer_example(PROFILE, "Your profile")
PROFILE_UPDATE = request_example({"username": "minh.nguyen", "country": "VN"})
USER_LIST = answer_example(USER_ITEM, "A page of users, newest first")
USER_READ = answer_example({**USER_ITEM, "country": "VN"}, "What anyone may see of an account")

# The password APIs of the two reference documents.
UPDATE_PASSWORD = request_example({"password": PASSWORD, "newPassword": NEW_PASSWORD})
PASSWORD_UPDATED = answer_example(
    {"status": True, "data": {"done": True, "message": "Password updated successfully", "session": TOKENS}}
)
CHANGE_PASSWORD = request_example(
    {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
)
PASSWORD_CHANGED = answer_example({"message": "Password updated successfully", "session": TOKENS})
FORGOT_PASSWORD_BY_LOGIN = request_example({"email": "minh"}, "Request (an email or a username)")
FORGOT_PASSWORD_SUBMIT = request_example({"user": USER_KEY, "token": RESET_TOKEN, "new_password": NEW_PASSWORD})
