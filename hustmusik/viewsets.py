"""Base viewset of the API: the contract's item envelope on item answers."""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets


class DataEnvelopeMixin:
    """Wraps successful answers of the actions in `data_envelope` as `{"data": ...}`.

    Lists are left alone: the pagination class gives them `{"count", "data"}`.
    The schema generator reads the same attribute, so the documentation matches.
    """

    data_envelope: set[str] | bool = {"retrieve", "create", "partial_update"}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        envelope = self.data_envelope
        wraps = envelope if isinstance(envelope, bool) else getattr(self, "action", None) in envelope
        if wraps and 200 <= response.status_code < 300 and response.data is not None:
            response.data = {"data": response.data}
        return response


class ApiModelViewSet(
    DataEnvelopeMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create, update (POST or PATCH on the item URL) and delete."""


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    """Parse input with a serializer; invalid input raises the 400 envelope, as does an update
    naming no field it knows (an empty, unreadable or cut-off body changes nothing)."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    if partial and not serializer.validated_data:
        raise serializers.ValidationError({"non_field_errors": [_("Give at least one field to change.")]})
    return dict(serializer.validated_data)
