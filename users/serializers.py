from rest_framework import serializers

from users.models import User


class ProfileSerializer(serializers.ModelSerializer):
    """What the owner (and admins) see of an account."""

    avatarurl = serializers.ImageField(source="avatar", read_only=True, use_url=True)
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
            "premium_until",
            "is_premium",
            "created_at",
        ]
        read_only_fields = fields
