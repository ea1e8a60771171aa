from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from hustmusik.images import ImageUploadField
from users.models import User
from users.services import check_password_rules

PASSWORD_FIELD = {"write_only": True, "trim_whitespace": False, "style": {"input_type": "password"}}


def _password_rules(password: str, **identity) -> None:
    try:
        check_password_rules(password, **identity)
    except DjangoValidationError as error:
        raise serializers.ValidationError(get_error_detail(error)) from None


# --- answers --------------------------------------------------------------------


class SessionUserSerializer(serializers.ModelSerializer):
    aud = serializers.SerializerMethodField()
    email_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "aud", "email", "username", "role", "email_verified"]

    def get_aud(self, user) -> str:
        return "authenticated"


class SessionTokensSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField(default="bearer")
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
    expires_at = serializers.IntegerField(help_text="Unix time at which the access token expires.")
    refresh_token = serializers.CharField()


class SessionSerializer(serializers.Serializer):
    """The session object answered by sign-up, sign-in, renewal and Google sign-in."""

    user = SessionUserSerializer()
    session = SessionTokensSerializer()


class ProfileSerializer(serializers.ModelSerializer):
    """What the owner (and admins) see of an account."""

    avatarurl = serializers.ImageField(source="avatar", read_only=True, use_url=True)
    email_verified = serializers.BooleanField(read_only=True)
    is_premium = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "role",
            "country",
            "avatarurl",
            "email_verified",
            "premium_until",
            "is_premium",
            "created_at",
        ]
        read_only_fields = fields


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class CredentialsAnswerSerializer(MessageSerializer):
    session = SessionTokensSerializer(required=False, help_text="A fresh session when the password changed.")


class OAuthUrlSerializer(serializers.Serializer):
    url = serializers.URLField()


# --- requests -------------------------------------------------------------------


class SignUpSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    country = serializers.CharField(max_length=100, required=False, allow_blank=True)
    file = ImageUploadField(help_text="Avatar image (PNG, JPEG, GIF, WebP or AVIF, at most 10 MB).")

    def validate(self, attrs):
        _password_rules(attrs["password"], email=attrs["email"], username=attrs.get("username", ""))
        return attrs


class SignInSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)


class RenewSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096, required=False, allow_blank=True)


class CredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, required=False)
    password = serializers.CharField(max_length=4096, required=False, help_text="The new password.", **PASSWORD_FIELD)
    current_password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)

    def validate(self, attrs):
        if not attrs.get("email") and not attrs.get("password"):
            raise serializers.ValidationError("Give a new email, a new password, or both.")
        return attrs


class ForgotPasswordSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ResetPasswordSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=512)
    password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)


class VerifyEmailSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=512)


class OAuthStartSerializer(serializers.Serializer):
    redirect_to = serializers.CharField(required=False, max_length=2048)


class OAuthCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=256)


class GoogleIdTokenSerializer(serializers.Serializer):
    id_token = serializers.CharField(max_length=8192)


class ProfileUpdateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False, allow_blank=False)
    country = serializers.CharField(max_length=100, required=False, allow_blank=True)
    file = ImageUploadField(help_text="Avatar image (PNG, JPEG, GIF, WebP or AVIF, at most 10 MB).")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Give at least one of username, country or file.")
        return attrs


class PublicUserListSerializer(serializers.ModelSerializer):
    avatarurl = serializers.ImageField(source="avatar", read_only=True, use_url=True)

    class Meta:
        model = User
        fields = ["id", "username", "role", "avatarurl"]


class PublicUserSerializer(PublicUserListSerializer):
    """What anyone may see of an account."""

    class Meta(PublicUserListSerializer.Meta):
        fields = [*PublicUserListSerializer.Meta.fields, "country"]
