from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hustmusik.errors import ApiError, api_exception_handler, fields_renamed
from hustmusik.permissions import IsAdmin, IsSignedIn
from hustmusik.schema import PARTIAL_UPDATE, MessageSerializer, documented_error, example_of
from hustmusik.throttles import PerAccountThrottle, PerIPThrottle
from hustmusik.viewsets import DataEnvelopeMixin, validated
from users import examples, services
from users.adapters import back_to_client
from users.models import User
from users.serializers import (
    PASSWORDS_DIFFER,
    ChangePasswordSerializer,
    CredentialsAnswerSerializer,
    CredentialsSerializer,
    ForgotPasswordByLoginSerializer,
    ForgotPasswordSerializer,
    ForgotPasswordSubmitSerializer,
    GoogleIdTokenSerializer,
    OAuthCodeSerializer,
    OAuthStartSerializer,
    OAuthUrlSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
    PublicUserListSerializer,
    PublicUserSerializer,
    ReferenceErrorSerializer,
    RenewSerializer,
    ResetPasswordSerializer,
    SessionSerializer,
    SignInSerializer,
    SignUpSerializer,
    UpdatePasswordAnswerSerializer,
    UpdatePasswordSerializer,
    VerifyEmailSerializer,
)
from users.tokens import issue_session

AUTH_TAG = ["auth"]
EMAIL_TAKEN = documented_error(
    "The email is already registered.", email_taken="An account with this email already exists."
)
WEAK_PASSWORD = documented_error(
    "Invalid input; a password failing the password rules gets one message per failed rule.",
    example_of(
        exceptions.ValidationError(
            {
                "password": [
                    "This password is too short. It must contain at least 8 characters.",
                    "This password must contain at least one digit.",
                ]
            }
        )
    ),
)
ENDS_SESSIONS = "Every session of the account ends (refresh and access tokens alike)"


def session_response(user) -> Response:
    return Response(SessionSerializer({"user": user, "session": issue_session(user)}).data)


class PublicAuthView(APIView):
    """An auth endpoint anyone may call, rate limited per address and per account."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PerIPThrottle, PerAccountThrottle]


class SignUpView(PublicAuthView):
    throttle_scope = "signup"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Create an account",
        description="Answers a session, signed in at once, and mails a link to verify the email. The password "
        "must pass every password rule: 8 to 128 characters, an upper-case and a lower-case letter, a digit and "
        "another character, not common, not all digits, not like the email or username. `name` is an alias of "
        "`username`; `file` an avatar (multipart). Answers 200, not 201, as the clients expect.",
        request={"application/json": SignUpSerializer, "multipart/form-data": SignUpSerializer},
        # 200, not 201: the original service's status, which the web client checks for.
        responses={200: SessionSerializer, 400: WEAK_PASSWORD, 409: EMAIL_TAKEN},
        examples=[examples.SIGN_UP, examples.SESSION_ANSWER],
    )
    def post(self, request):
        data = validated(SignUpSerializer, request.data)
        user = services.user_sign_up(
            request=request,
            email=data["email"],
            password=data["password"],
            username=data.get("username", ""),
            country=data.get("country", ""),
            avatar=data.get("file"),
        )
        return session_response(user)


class SignInView(PublicAuthView):
    throttle_scope = "signin"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Sign in",
        description="Answers a session: send `session.access_token` as `Authorization: Bearer <access_token>` "
        "(in Swagger UI: the Authorize button), and renew it with `session.refresh_token` before `expires_at`. "
        "A wrong email and a wrong password get the same answer.",
        request=SignInSerializer,
        responses={
            200: SessionSerializer,
            401: documented_error("Wrong email or password.", invalid_credentials="Invalid email or password."),
        },
        examples=[examples.SIGN_IN, examples.SESSION_ANSWER],
    )
    def post(self, request):
        data = validated(SignInSerializer, request.data)
        return session_response(services.user_sign_in(request=request, email=data["email"], password=data["password"]))


class SignOutView(APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(
        tags=AUTH_TAG,
        summary="Sign out everywhere",
        description=f"{ENDS_SESSIONS}, on every device.",
        operation_id="auth_signout",
        request=None,
        responses={204: None},
    )
    def get(self, request):
        services.user_revoke_sessions(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=AUTH_TAG,
        summary="Sign out everywhere",
        description=f"{ENDS_SESSIONS}, on every device (the same as GET).",
        operation_id="auth_signout_post",
        request=None,
        responses={204: None},
    )
    def post(self, request):
        return self.get(request)


class SessionRenewView(PublicAuthView):
    throttle_scope = "renew"

    def throttle_account(self, request):
        token = request.data.get("refresh_token") if hasattr(request.data, "get") else None
        return services.refresh_token_owner(token) if isinstance(token, str) else None

    @extend_schema(
        tags=AUTH_TAG,
        summary="Renew a session",
        description="Trades the refresh token for a new pair of tokens; the old refresh token is dead afterwards. "
        "Presenting it again means it was copied: every session of the account ends.",
        request=RenewSerializer,
        responses={
            200: SessionSerializer,
            401: documented_error(
                "Missing, invalid, ended or reused refresh token (reuse ends every session).",
                not_authenticated="A refresh_token is required.",
                token_not_valid="The refresh token is invalid or expired.",
                session_revoked="This session has ended. Sign in again.",
                token_reused="This refresh token was already used. Every session of the account has been ended; "
                "sign in again.",
            ),
        },
        examples=[examples.RENEW, examples.SESSION_ANSWER],
    )
    def post(self, request):
        data = validated(RenewSerializer, request.data)
        if not data.get("refresh_token"):
            raise ApiError(_("A refresh_token is required."), code="not_authenticated", status=401)
        return session_response(services.session_renew(refresh_token=data["refresh_token"]))


class PasswordChangeView(APIView):
    """A signed-in change of password: one throttle for every endpoint that offers it."""

    permission_classes = [IsSignedIn]
    throttle_classes = [PerIPThrottle, PerAccountThrottle]
    throttle_scope = "credentials"

    def throttle_account(self, request):
        return str(request.user.pk) if request.user.is_authenticated else None


class CredentialsView(PasswordChangeView):
    @extend_schema(
        tags=AUTH_TAG,
        summary="Change your email or password",
        description="`current_password` is required; give a new `email`, a new `password`, or both. A new "
        "password must pass the password rules and ends every other session: the answer carries this caller's "
        "fresh `session`. `old_password`, `new_password` and `confirm_password` are accepted too.",
        request=CredentialsSerializer,
        responses={
            200: CredentialsAnswerSerializer,
            403: documented_error(
                "Wrong current password, or an account without a password (signed up with Google).",
                invalid_credentials="The current password is incorrect.",
                no_password_account="This account signs in with Google and has no password to change.",
            ),
            409: EMAIL_TAKEN,
        },
        examples=[examples.CREDENTIALS, examples.CREDENTIALS_CHANGED],
    )
    def post(self, request):
        data = validated(CredentialsSerializer, request.data)
        # Password-rule errors carry the name the client sent the new password under.
        renamed = {"password": "new_password"} if "new_password" in request.data else {}
        with fields_renamed(renamed):
            password_changed = services.user_change_credentials(
                request=request,
                user=request.user,
                current_password=data["current_password"],
                email=data.get("email"),
                password=data.get("password"),
            )
        answer = {"message": _("User updated successfully")}
        if password_changed:
            # The other sessions ended; this caller stays signed in with a fresh one.
            answer["session"] = issue_session(request.user)
        return Response(answer)


RESET_MAIL_MESSAGE = gettext_lazy("If an account uses this email, a link to reset its password is on its way.")


class ForgotPasswordView(PublicAuthView):
    throttle_scope = "forgot_password"
    request_serializer = ForgotPasswordSerializer

    @extend_schema(
        tags=AUTH_TAG,
        summary="Ask for a password-reset link",
        description="Mails a link to `<FRONTEND_URL>/new-password?token=...&user=...` when an account uses the "
        "email; the answer is the same either way.",
        request=ForgotPasswordSerializer,
        responses=MessageSerializer,
        examples=[examples.FORGOT_PASSWORD, examples.RESET_MAIL_SENT],
    )
    def post(self, request):
        data = validated(self.request_serializer, request.data)
        services.password_reset_request(login=data["email"])
        return Response({"message": str(RESET_MAIL_MESSAGE)})


class ResetPasswordView(PublicAuthView):
    throttle_scope = "reset_password"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Reset a forgotten password",
        description=f"With the `token` of the reset link (single-use, valid for PASSWORD_RESET_SECONDS). "
        f"{ENDS_SESSIONS}.",
        request=ResetPasswordSerializer,
        responses={
            200: MessageSerializer,
            400: documented_error(
                "Bad, used or expired token, or a weak password.",
                invalid_token="This reset link is invalid, expired or already used.",
            ),
        },
        examples=[examples.RESET_PASSWORD, examples.PASSWORD_RESET],
    )
    def post(self, request):
        data = validated(ResetPasswordSerializer, request.data)
        services.password_reset_confirm(token=data["token"], password=data["password"])
        return Response({"message": _("Password has been reset")})


class VerifyEmailView(PublicAuthView):
    throttle_scope = "verify_email"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Verify an email address",
        description="With the `key` of the verification email (`token` is accepted as its alias); "
        "`email_verified` becomes true.",
        request=VerifyEmailSerializer,
        responses={
            200: MessageSerializer,
            400: documented_error(
                "Missing, bad, used or expired key.",
                invalid_key="This verification link is invalid, expired or already used.",
            ),
        },
        examples=[examples.VERIFY_EMAIL, examples.EMAIL_VERIFIED],
    )
    def post(self, request):
        data = validated(VerifyEmailSerializer, request.data)
        services.email_verify(request=request, key=data["key"])
        return Response({"message": _("Email verified")})


class OAuthStartView(PublicAuthView):
    throttle_scope = "oauth"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Start Google sign-in",
        description="Answers the URL to send the browser to. After Google, the browser comes back to "
        "`redirect_to` (an allow-listed client URL, OAUTH_REDIRECT_ALLOWLIST) with a one-time `?code=`, never "
        "with tokens; the client trades the code at `GET /v1/auth/oauth/callback`.",
        operation_id="auth_oauth_start",
        parameters=[
            OpenApiParameter("redirect_to", str, description="Allow-listed client URL to come back to."),
            OpenApiParameter("returnUrl", str, description="Alias of `redirect_to` (the web client's name)."),
        ],
        responses={
            200: OAuthUrlSerializer,
            400: documented_error(
                "`redirect_to` is not an allowed client URL.",
                redirect_not_allowed="redirect_to is not an allowed client URL.",
            ),
        },
        examples=[examples.OAUTH_URL],
    )
    def get(self, request):
        data = validated(OAuthStartSerializer, request.query_params)
        redirect_to = data.get("redirect_to") or settings.OAUTH_REDIRECT_ALLOWLIST[0]
        return Response({"url": services.oauth_start_url(request=request, redirect_to=redirect_to)})


class OAuthCallbackView(PublicAuthView):
    throttle_scope = "oauth"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Finish Google sign-in",
        description="Trades the one-time code of the redirect (valid for OAUTH_CODE_SECONDS, usable once) "
        "for a session.",
        operation_id="auth_oauth_callback",
        parameters=[OpenApiParameter("code", str, required=True, description="The one-time code from the redirect.")],
        responses={
            200: SessionSerializer,
            400: documented_error(
                "Invalid, used or expired code.", invalid_code="This sign-in code is invalid, expired or already used."
            ),
        },
        examples=[examples.SESSION_ANSWER],
    )
    def get(self, request):
        data = validated(OAuthCodeSerializer, request.query_params)
        return session_response(services.oauth_exchange_code(code=data["code"]))


class GoogleIdTokenView(PublicAuthView):
    throttle_scope = "oauth"

    @extend_schema(
        tags=AUTH_TAG,
        summary="Sign in with a Google ID token",
        description="For native apps using Google Sign-In on the device: the ID token's signature, audience and "
        "expiry are checked, and its account found or created.",
        request=GoogleIdTokenSerializer,
        responses={
            200: SessionSerializer,
            401: documented_error(
                "The ID token failed verification.", invalid_token="The Google ID token is invalid or expired."
            ),
            409: documented_error(
                "An account has this email, which Google does not vouch for.",
                email_taken="An account with this email already exists.",
            ),
        },
        examples=[examples.GOOGLE_ID_TOKEN, examples.SESSION_ANSWER],
    )
    def post(self, request):
        data = validated(GoogleIdTokenSerializer, request.data)
        return session_response(services.google_id_token_sign_in(request=request, id_token=data["id_token"]))


def oauth_complete(request):
    """End of the browser's Google sign-in: hand the client a one-time code, never tokens.

    django-allauth signed the browser into a server session on its way here; that session
    is only a carrier and is ended at once.
    """
    redirect_to = services.oauth_check_redirect(request.GET.get("redirect_to", ""))
    if not request.user.is_authenticated:
        return back_to_client(redirect_to, error="oauth_failed")
    code = services.oauth_issue_code(user=request.user)
    logout(request)
    return back_to_client(redirect_to, code=code)


PROFILE_UPDATE_TEXT = "`username`, `country` and an avatar (`file`); a `role` sent is ignored."


class MeView(DataEnvelopeMixin, APIView):
    """The signed-in user's own profile."""

    permission_classes = [IsSignedIn]
    data_envelope = True

    @extend_schema(
        tags=["user"],
        summary="Read your profile",
        description="What only you (and Admins) see of your account: email, verification, Premium.",
        operation_id="user_me_retrieve",
        responses=ProfileSerializer,
        examples=[examples.PROFILE_ANSWER],
    )
    def get(self, request):
        return Response(ProfileSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        tags=["user"],
        summary="Update your profile",
        description=f"{PROFILE_UPDATE_TEXT} {PARTIAL_UPDATE}",
        operation_id="user_me_update",
        request={"application/json": ProfileUpdateSerializer, "multipart/form-data": ProfileUpdateSerializer},
        responses=ProfileSerializer,
        examples=[examples.PROFILE_UPDATE, examples.PROFILE_ANSWER],
    )
    def post(self, request):
        data = validated(ProfileUpdateSerializer, request.data)
        user = services.user_update_profile(user=request.user, avatar=data.pop("file", None), data=data)
        return Response(ProfileSerializer(user, context={"request": request}).data)

    @extend_schema(
        tags=["user"],
        summary="Update your profile",
        description=f"{PROFILE_UPDATE_TEXT} {PARTIAL_UPDATE}",
        operation_id="user_me_partial_update",
        request={"application/json": ProfileUpdateSerializer, "multipart/form-data": ProfileUpdateSerializer},
        responses=ProfileSerializer,
        examples=[examples.PROFILE_UPDATE, examples.PROFILE_ANSWER],
    )
    def patch(self, request):
        return self.post(request)


@extend_schema_view(
    list=extend_schema(
        tags=["user"],
        summary="List users",
        description="Public profiles, newest first; `search` looks for words in usernames.",
        responses=PublicUserListSerializer(many=True),
        examples=[examples.USER_LIST],
    ),
    retrieve=extend_schema(
        tags=["user"],
        summary="Read a user's public profile",
        description="What anyone may see of an account.",
        responses={200: PublicUserSerializer, 404: documented_error("No such user.", not_found="User does not exist")},
        examples=[examples.USER_READ],
    ),
    destroy=extend_schema(
        tags=["user"],
        summary="Delete an account",
        description="With everything it owns: collections, history and follows.",
        responses={204: None, 404: documented_error("No such user.", not_found="User does not exist")},
    ),
)
class UserViewSet(
    DataEnvelopeMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Public profiles; administrators delete accounts."""

    folded_search = True  # ?search= on the list

    queryset = User.objects.filter(is_active=True).order_by("-created_at", "id")
    data_envelope = {"retrieve"}

    def get_permissions(self):
        return [IsAdmin()] if self.action == "destroy" else [AllowAny()]

    def get_serializer_class(self):
        return PublicUserListSerializer if self.action == "list" else PublicUserSerializer

    def get_object(self):
        user = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if user is None:
            raise NotFound(_("User does not exist"))
        return user

    def perform_destroy(self, instance):
        services.user_delete(user=instance)


# --- password APIs of the reference documents -------------------------------------
# Each document's paths, fields and envelopes, as thin views over the services, throttles
# and mail of /v1/auth/credentials, forgot-password and reset-password.

REFERENCE_TAG = ["password APIs of the reference documents"]
# English here (the schema quotes them); translated where they answer.
OLD_PASSWORD_WRONG = gettext_noop("Your old password was entered incorrectly. Please enter it again.")
RESET_TOKEN_INVALID = gettext_noop("The token is invalid. Enter the correct token that send to your email.")
PASSWORD_RULES_FAILED = gettext_lazy("Insufficient Password Complexity")


class InsufficientPasswordComplexity(ApiError):
    def __init__(self, rules: list[str]):
        super().__init__(PASSWORD_RULES_FAILED, code="password_rules", status=400)
        self.rules = rules


def reference_error(exc, standard: dict, status_code: int) -> dict:
    """The "update password from profile" document's `error` for an exception (`standard`: our envelope)."""
    if isinstance(exc, InsufficientPasswordComplexity):
        return {"code": 5057, "message": str(PASSWORD_RULES_FAILED), "details": exc.rules}
    if isinstance(exc, exceptions.NotAuthenticated):
        return {"code": 4002, "message": _("No auth token")}
    if isinstance(exc, exceptions.AuthenticationFailed):
        return {"code": 4004, "message": _("Invalid Token")}
    if standard.get("code") in {"invalid_credentials", "no_password_account"}:
        return {"code": 4006, "message": _("Invalid Credentials")}
    return {"code": status_code, "message": standard.get("error", "")}


def reference_errors(description: str, *errors: exceptions.APIException) -> OpenApiResponse:
    """A documented error of the first document, with an example of each exception as the view answers it."""
    examples = []
    for exc in errors:
        standard = api_exception_handler(exc, {})
        error = reference_error(exc, standard.data, standard.status_code)
        examples.append(
            OpenApiExample(str(error["code"]), summary=error["message"], value={"status": False, "error": error})
        )
    return OpenApiResponse(ReferenceErrorSerializer, description=description, examples=examples)


class UpdatePasswordView(PasswordChangeView):
    """First document: `POST .../auth/register/update-password`, its `{"status", "data" | "error"}` envelope."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)  # status and headers (Retry-After) as everywhere
        response.data = {"status": False, "error": reference_error(exc, response.data, response.status_code)}
        return response

    @extend_schema(
        tags=REFERENCE_TAG,
        summary="Change your password (first reference document)",
        operation_id="auth_register_update_password",
        description="The current password (`password`) and a new one (`newPassword`). Errors: 4002 no bearer, "
        "4004 invalid or expired bearer (401), 4006 wrong current password (403), 5057 a password rule failed "
        "(400, each failed rule in `details`); other errors carry their HTTP status as `code`. "
        "Ends every other session; `data.session` is this caller's fresh one. Requests refused before any "
        "view runs (a body too large, a URL or header not valid UTF-8) answer in the API's usual error envelope.",
        request={"application/json": UpdatePasswordSerializer, "multipart/form-data": UpdatePasswordSerializer},
        responses={
            200: UpdatePasswordAnswerSerializer,
            400: reference_errors(
                "A password rule failed (each in `details`), or invalid input.",
                InsufficientPasswordComplexity(["This password must contain at least one digit."]),
            ),
            401: reference_errors(
                "No bearer, or an invalid or expired one.",
                exceptions.NotAuthenticated(),
                exceptions.AuthenticationFailed(),
            ),
            403: reference_errors(
                "A wrong current password, or an account without a password.", services.WrongCurrentPassword()
            ),
            415: reference_errors("Unsupported body media type.", exceptions.UnsupportedMediaType("text/plain")),
            429: reference_errors("Too many requests; wait `Retry-After` seconds.", exceptions.Throttled(wait=59)),
        },
        examples=[examples.UPDATE_PASSWORD, examples.PASSWORD_UPDATED],
    )
    def post(self, request):
        data = validated(UpdatePasswordSerializer, request.data)
        try:
            services.user_change_credentials(
                request=request, user=request.user, current_password=data["password"], password=data["newPassword"]
            )
        except DjangoValidationError as error:
            raise InsufficientPasswordComplexity(error.messages) from None
        done = {"done": True, "message": _("Password updated successfully"), "session": issue_session(request.user)}
        return Response({"status": True, "data": done})


class ChangePasswordView(PasswordChangeView):
    """Second document: `POST .../user/profile/change-password/`."""

    @extend_schema(
        tags=REFERENCE_TAG,
        summary="Change your password (second reference document)",
        operation_id="user_profile_change_password",
        description="The old password, the new one twice. The new one must pass the password rules. Ends every "
        "other session; `session` is this caller's fresh one.",
        request={"application/json": ChangePasswordSerializer, "multipart/form-data": ChangePasswordSerializer},
        responses={
            200: CredentialsAnswerSerializer,
            400: documented_error(
                "`confirm_password` differs, or a password rule failed (`fields.new_password`).",
                example_of(exceptions.ValidationError({"confirm_password": [PASSWORDS_DIFFER]})),
            ),
            401: documented_error(
                "No valid bearer, or a wrong old password.",
                example_of(exceptions.NotAuthenticated()),
                invalid_credentials=OLD_PASSWORD_WRONG,
            ),
            403: documented_error(
                "An account without a password (signed up with Google).",
                no_password_account="This account signs in with Google and has no password to change.",
            ),
        },
        examples=[examples.CHANGE_PASSWORD, examples.PASSWORD_CHANGED],
    )
    def post(self, request):
        data = validated(ChangePasswordSerializer, request.data)
        try:
            with fields_renamed({"password": "new_password"}):
                services.user_change_credentials(
                    request=request,
                    user=request.user,
                    current_password=data["old_password"],
                    password=data["new_password"],
                )
        except services.WrongCurrentPassword:
            raise ApiError(_(OLD_PASSWORD_WRONG), code="invalid_credentials", status=401) from None
        return Response({"message": _("Password updated successfully"), "session": issue_session(request.user)})


@extend_schema_view(
    post=extend_schema(
        tags=REFERENCE_TAG,
        operation_id="user_forgot_password",
        summary="Ask for a password-reset link (second reference document)",
        description="`email` holds an email or a username. The answer is the same whether or not an account "
        "matches (the document's 401 for an unknown account would tell anyone who has one). Mails the link of "
        "`/v1/auth/forgot-password`: `<client>/new-password?token=<token>&user=<user key>`.",
        request={
            "application/json": ForgotPasswordByLoginSerializer,
            "multipart/form-data": ForgotPasswordByLoginSerializer,
        },
        responses=MessageSerializer,
        examples=[examples.FORGOT_PASSWORD_BY_LOGIN, examples.RESET_MAIL_SENT],
    )
)
class UserForgotPasswordView(ForgotPasswordView):
    """Second document: `POST .../user/forgot-password/`, by email or username."""

    request_serializer = ForgotPasswordByLoginSerializer


class ForgotPasswordSubmitView(PublicAuthView):
    """Second document: `POST .../user/forgot-password-submit/`, the link's `user` and `token`."""

    throttle_scope = "reset_password"

    @extend_schema(
        tags=REFERENCE_TAG,
        operation_id="user_forgot_password_submit",
        summary="Reset a forgotten password (second reference document)",
        description="With the `user` and `token` of the reset link. The token is single-use across this endpoint and `/v1/auth/reset-password`; every session ends.",
        request={
            "application/json": ForgotPasswordSubmitSerializer,
            "multipart/form-data": ForgotPasswordSubmitSerializer,
        },
        responses={
            200: MessageSerializer,
            400: documented_error(
                "Missing field; a bad, used or expired token (`fields.token`); "
                "or a password rule failed (`fields.new_password`).",
                example_of(exceptions.ValidationError({"token": [RESET_TOKEN_INVALID]})),
            ),
        },
        examples=[examples.FORGOT_PASSWORD_SUBMIT, examples.PASSWORD_RESET],
    )
    def post(self, request):
        data = validated(ForgotPasswordSubmitSerializer, request.data)
        try:
            with fields_renamed({"password": "new_password"}):
                services.password_reset_confirm(
                    token=data["token"], password=data["new_password"], user_key=data["user"]
                )
        except services.InvalidResetToken:
            raise exceptions.ValidationError({"token": [_(RESET_TOKEN_INVALID)]}) from None
        return Response({"message": _("Password has been reset")})
