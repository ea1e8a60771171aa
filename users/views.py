from django.conf import settings
from django.contrib.auth import logout
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hustmusik.errors import ApiError
from hustmusik.permissions import IsAdmin, IsSignedIn
from hustmusik.schema import error_response
from hustmusik.throttles import PerAccountThrottle, PerIPThrottle
from hustmusik.viewsets import DataEnvelopeMixin, validated
from users import services
from users.adapters import back_to_client
from users.models import User
from users.serializers import (
    CredentialsAnswerSerializer,
    CredentialsSerializer,
    ForgotPasswordSerializer,
    GoogleIdTokenSerializer,
    MessageSerializer,
    OAuthCodeSerializer,
    OAuthStartSerializer,
    OAuthUrlSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
    PublicUserListSerializer,
    PublicUserSerializer,
    RenewSerializer,
    ResetPasswordSerializer,
    SessionSerializer,
    SignInSerializer,
    SignUpSerializer,
    VerifyEmailSerializer,
)
from users.tokens import issue_session

AUTH_TAG = ["auth"]


def session_response(user, *, status_code=status.HTTP_200_OK) -> Response:
    return Response(SessionSerializer({"user": user, "session": issue_session(user)}).data, status=status_code)


class PublicAuthView(APIView):
    """An auth endpoint anyone may call, rate limited per address and per account."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PerIPThrottle, PerAccountThrottle]


class SignUpView(PublicAuthView):
    throttle_scope = "signup"

    @extend_schema(
        tags=AUTH_TAG,
        request={"application/json": SignUpSerializer, "multipart/form-data": SignUpSerializer},
        responses={201: SessionSerializer, 409: error_response("The email is already registered (`email_taken`).")},
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
        return session_response(user, status_code=status.HTTP_201_CREATED)


class SignInView(PublicAuthView):
    throttle_scope = "signin"

    @extend_schema(
        tags=AUTH_TAG,
        request=SignInSerializer,
        responses={200: SessionSerializer, 401: error_response("Wrong email or password (`invalid_credentials`).")},
    )
    def post(self, request):
        data = validated(SignInSerializer, request.data)
        return session_response(services.user_sign_in(request=request, email=data["email"], password=data["password"]))


class SignOutView(APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(tags=AUTH_TAG, operation_id="auth_signout", request=None, responses={204: None})
    def get(self, request):
        services.user_revoke_sessions(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(tags=AUTH_TAG, operation_id="auth_signout_post", request=None, responses={204: None})
    def post(self, request):
        return self.get(request)


class SessionRenewView(PublicAuthView):
    throttle_scope = "renew"

    def throttle_account(self, request):
        token = request.data.get("refresh_token") if hasattr(request.data, "get") else None
        return services.refresh_token_owner(token) if isinstance(token, str) else None

    @extend_schema(
        tags=AUTH_TAG,
        request=RenewSerializer,
        responses={
            200: SessionSerializer,
            401: error_response("Missing, invalid, ended or reused refresh token (reuse ends every session)."),
        },
    )
    def post(self, request):
        data = validated(RenewSerializer, request.data)
        if not data.get("refresh_token"):
            raise ApiError("A refresh_token is required.", code="not_authenticated", status=401)
        return session_response(services.session_renew(refresh_token=data["refresh_token"]))


class CredentialsView(APIView):
    permission_classes = [IsSignedIn]
    throttle_classes = [PerIPThrottle, PerAccountThrottle]
    throttle_scope = "credentials"

    def throttle_account(self, request):
        return str(request.user.pk) if request.user.is_authenticated else None

    @extend_schema(
        tags=AUTH_TAG,
        request=CredentialsSerializer,
        responses={
            200: CredentialsAnswerSerializer,
            403: error_response("Wrong current password, or an account without a password."),
            409: error_response("The new email is already registered (`email_taken`)."),
        },
    )
    def post(self, request):
        data = validated(CredentialsSerializer, request.data)
        password_changed = services.user_change_credentials(
            request=request,
            user=request.user,
            current_password=data["current_password"],
            email=data.get("email"),
            password=data.get("password"),
        )
        answer = {"message": "User updated successfully"}
        if password_changed:
            # The other sessions ended; this caller stays signed in with a fresh one.
            answer["session"] = issue_session(request.user)
        return Response(answer)


class ForgotPasswordView(PublicAuthView):
    throttle_scope = "forgot_password"

    @extend_schema(tags=AUTH_TAG, request=ForgotPasswordSerializer, responses=MessageSerializer)
    def post(self, request):
        data = validated(ForgotPasswordSerializer, request.data)
        services.password_reset_request(email=data["email"])
        return Response({"message": "If an account uses this email, a link to reset its password is on its way."})


class ResetPasswordView(PublicAuthView):
    throttle_scope = "reset_password"

    @extend_schema(
        tags=AUTH_TAG,
        request=ResetPasswordSerializer,
        responses={200: MessageSerializer, 400: error_response("Bad, used or expired token, or a weak password.")},
    )
    def post(self, request):
        data = validated(ResetPasswordSerializer, request.data)
        services.password_reset_confirm(token=data["token"], password=data["password"])
        return Response({"message": "Password has been reset"})


class VerifyEmailView(PublicAuthView):
    throttle_scope = "verify_email"

    @extend_schema(tags=AUTH_TAG, request=VerifyEmailSerializer, responses=MessageSerializer)
    def post(self, request):
        data = validated(VerifyEmailSerializer, request.data)
        services.email_verify(request=request, key=data["key"])
        return Response({"message": "Email verified"})


class OAuthStartView(PublicAuthView):
    throttle_scope = "oauth"

    @extend_schema(
        tags=AUTH_TAG,
        operation_id="auth_oauth_start",
        parameters=[OpenApiParameter("redirect_to", str, description="Allow-listed client URL to come back to.")],
        responses=OAuthUrlSerializer,
    )
    def get(self, request):
        data = validated(OAuthStartSerializer, request.query_params)
        redirect_to = data.get("redirect_to") or settings.OAUTH_REDIRECT_ALLOWLIST[0]
        return Response({"url": services.oauth_start_url(request=request, redirect_to=redirect_to)})


class OAuthCallbackView(PublicAuthView):
    throttle_scope = "oauth"

    @extend_schema(
        tags=AUTH_TAG,
        operation_id="auth_oauth_callback",
        parameters=[OpenApiParameter("code", str, required=True, description="The one-time code from the redirect.")],
        responses={200: SessionSerializer, 400: error_response("Invalid, used or expired code (`invalid_code`).")},
    )
    def get(self, request):
        data = validated(OAuthCodeSerializer, request.query_params)
        return session_response(services.oauth_exchange_code(code=data["code"]))


class GoogleIdTokenView(PublicAuthView):
    throttle_scope = "oauth"

    @extend_schema(
        tags=AUTH_TAG,
        request=GoogleIdTokenSerializer,
        responses={
            200: SessionSerializer,
            401: error_response("The ID token failed verification (`invalid_token`)."),
            409: error_response("An account has this email, which Google does not vouch for."),
        },
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


class MeView(DataEnvelopeMixin, APIView):
    """The signed-in user's own profile."""

    permission_classes = [IsSignedIn]
    data_envelope = True

    @extend_schema(tags=["user"], operation_id="user_me_retrieve", responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        tags=["user"],
        operation_id="user_me_update",
        request={"application/json": ProfileUpdateSerializer, "multipart/form-data": ProfileUpdateSerializer},
        responses=ProfileSerializer,
    )
    def post(self, request):
        data = validated(ProfileUpdateSerializer, request.data)
        user = services.user_update_profile(
            user=request.user, username=data.get("username"), country=data.get("country"), avatar=data.get("file")
        )
        return Response(ProfileSerializer(user, context={"request": request}).data)

    @extend_schema(
        tags=["user"],
        operation_id="user_me_partial_update",
        request={"application/json": ProfileUpdateSerializer, "multipart/form-data": ProfileUpdateSerializer},
        responses=ProfileSerializer,
    )
    def patch(self, request):
        """The same partial update as POST (the contract accepts both)."""
        return self.post(request)


@extend_schema_view(
    list=extend_schema(tags=["user"], responses=PublicUserListSerializer(many=True)),
    retrieve=extend_schema(tags=["user"], responses=PublicUserSerializer),
    destroy=extend_schema(tags=["user"], responses={204: None}),
)
class UserViewSet(DataEnvelopeMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                  viewsets.GenericViewSet):
    """Public profiles; administrators delete accounts."""

    queryset = User.objects.filter(is_active=True).order_by("-created_at", "id")
    data_envelope = {"retrieve"}

    def get_permissions(self):
        return [IsAdmin()] if self.action == "destroy" else [AllowAny()]

    def get_serializer_class(self):
        return PublicUserListSerializer if self.action == "list" else PublicUserSerializer

    def get_object(self):
        user = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if user is None:
            raise NotFound("User does not exist")
        return user

    def perform_destroy(self, instance):
        services.user_delete(user=instance)
