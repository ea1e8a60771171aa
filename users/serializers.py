from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from hustmusik.images import ImageUploadField, ImageUrlField, absolute_image_url
from hustmusik.schema import MessageSerializer
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

    avatarurl = ImageUrlField("avatar", kind="user")
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


class CredentialsAnswerSerializer(MessageSerializer):
    session = SessionTokensSerializer(required=False, help_text="A fresh session when the password changed.")


class ReferenceErrorDetailSerializer(serializers.Serializer):
    code = serializers.IntegerField(
        help_text="4002 no token, 4004 invalid token, 4006 invalid credentials, "
        "5057 password rules failed; otherwise the HTTP status."
    )
    message = serializers.CharField()
    details = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Each failed password rule, with code 5057."
    )


class ReferenceErrorSerializer(serializers.Serializer):
    """The error envelope of the "update password from profile" document."""

    status = serializers.BooleanField(help_text="Always false.")
    error = ReferenceErrorDetailSerializer()


class UpdatePasswordDoneSerializer(serializers.Serializer):
    done = serializers.BooleanField()
    message = serializers.CharField()
    session = SessionTokensSerializer(help_text="A fresh session: the password change ended every other one.")


class UpdatePasswordAnswerSerializer(serializers.Serializer):
    status = serializers.BooleanField(help_text="Always true.")
    data = UpdatePasswordDoneSerializer()


class OAuthUrlSerializer(serializers.Serializer):
    url = serializers.URLField()


# --- requests -------------------------------------------------------------------


class SignUpSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text="Alias of `username` (the web client sends it)."
    )
    country = serializers.CharField(max_length=100, required=False, allow_blank=True)
    file = ImageUploadField(help_text="Avatar image (PNG, JPEG, GIF, WebP or AVIF, at most 10 MB).")

    def validate(self, attrs):
        attrs["username"] = attrs.get("username") or attrs.pop("name", "")
        attrs.pop("name", None)
        _password_rules(attrs["password"], email=attrs["email"], username=attrs["username"])
        return attrs


class SignInSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)


class RenewSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096, required=False, allow_blank=True)


PASSWORDS_DIFFER = gettext_lazy("The two password fields didn't match.")


class CredentialsSerializer(serializers.Serializer):
    """New email and/or password; the user-password document's field names are accepted too."""

    email = serializers.EmailField(max_length=254, required=False)
    password = serializers.CharField(max_length=4096, required=False, help_text="The new password.", **PASSWORD_FIELD)
    current_password = serializers.CharField(max_length=4096, required=False, **PASSWORD_FIELD)
    new_password = serializers.CharField(
        max_length=4096, required=False, help_text="Alias of `password`.", **PASSWORD_FIELD
    )
    old_password = serializers.CharField(
        max_length=4096, required=False, help_text="Alias of `current_password`.", **PASSWORD_FIELD
    )
    confirm_password = serializers.CharField(
        max_length=4096, required=False, help_text="When given, must equal the new password.", **PASSWORD_FIELD
    )

    def validate(self, attrs):
        current, old = attrs.pop("current_password", None), attrs.pop("old_password", None)
        new, new_alias = attrs.pop("password", None), attrs.pop("new_password", None)
        current, new = current or old, new or new_alias
        if current is None:
            raise serializers.ValidationError(
                {"current_password": [serializers.Field.default_error_messages["required"]]}
            )
        if not attrs.get("email") and not new:
            raise serializers.ValidationError(_("Give a new email, a new password, or both."))
        if "confirm_password" in attrs and attrs.pop("confirm_password") != new:
            raise serializers.ValidationError({"confirm_password": [PASSWORDS_DIFFER]})
        return {**attrs, "current_password": current, "password": new}


class ChangePasswordSerializer(serializers.Serializer):
    """The user-password document's change of password."""

    old_password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)
    new_password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)
    confirm_password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)

    def validate(self, attrs):
        if attrs["confirm_password"] != attrs["new_password"]:
            raise serializers.ValidationError({"confirm_password": [PASSWORDS_DIFFER]})
        return attrs


class UpdatePasswordSerializer(serializers.Serializer):
    """The "update password from profile" document's change of password."""

    password = serializers.CharField(max_length=128, help_text="The current password.", **PASSWORD_FIELD)
    newPassword = serializers.CharField(  # noqa: N815 - the document's field name
        max_length=4096, help_text="The new password: 8 to 128 characters, every password rule.", **PASSWORD_FIELD
    )


class ForgotPasswordSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ForgotPasswordByLoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254, help_text="The account's email or its username.")


class ResetPasswordSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=512)
    password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)


class ForgotPasswordSubmitSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=64, help_text="The user key from the reset link (`user=`).")
    token = serializers.CharField(max_length=512, help_text="The token from the reset link (`token=`).")
    new_password = serializers.CharField(max_length=4096, **PASSWORD_FIELD)


class VerifyEmailSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=512, required=False, help_text="The key from the verification email.")
    token = serializers.CharField(max_length=512, required=False, help_text="Alias of `key`.")

    def validate(self, attrs):
        key = attrs.get("key") or attrs.get("token")
        if not key:
            raise serializers.ValidationError({"key": [serializers.Field.default_error_messages["required"]]})
        return {"key": key}


class OAuthStartSerializer(serializers.Serializer):
    redirect_to = serializers.CharField(required=False, max_length=2048)
    returnUrl = serializers.CharField(  # noqa: N815 - the web client's name
        required=False, max_length=2048, help_text="Alias of `redirect_to`."
    )

    def validate(self, attrs):
        return {"redirect_to": attrs.get("redirect_to") or attrs.get("returnUrl")}


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
            raise serializers.ValidationError(_("Give at least one of username, country or file."))
        return attrs


class UserCardSerializer(serializers.ModelSerializer):
    """`{id, username, avatarurl, role}`: a user shown beside something else (an owner, a search hit;
    the web client's admin table shows the role of user hits)."""

    avatarurl = ImageUrlField("avatar", kind="user")

    class Meta:
        model = User
        fields = ["id", "username", "avatarurl", "role"]

    def to_representation(self, user: User):  # by hand, as the other list items
        return {
            "id": str(user.id),
            "username": user.username,
            "avatarurl": absolute_image_url(self.context.get("request"), user.avatar, kind="user"),
            "role": user.role,
        }


class PublicUserListSerializer(serializers.ModelSerializer):
    avatarurl = ImageUrlField("avatar", kind="user")

    class Meta:
        model = User
        fields = ["id", "username", "role", "avatarurl"]


class PublicUserSerializer(PublicUserListSerializer):
    """What anyone may see of an account."""

    class Meta(PublicUserListSerializer.Meta):
        fields = [*PublicUserListSerializer.Meta.fields, "country"]
