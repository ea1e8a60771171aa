"""The permission vocabulary of the API, composed in views with `|` and `&`.

Roles are read from the user (`has_admin_role`, `has_artist_manager_role`); objects
tell who owns or manages them (`owner_id`, `is_managed_by(user)`), so this module
knows no app's models.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """GET, HEAD and OPTIONS, for anyone."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS


class IsSignedIn(BasePermission):
    """A signed-in caller. `OPTIONS` (which methods does this URL allow?) is answered to anyone:
    DRF's answer asks the permissions again for each method it lists, as that method."""

    message = _("Sign in to do this.")

    def has_permission(self, request, view):
        return request.method == "OPTIONS" or self.allows(request, view)

    def allows(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)


class IsAdmin(IsSignedIn):
    """The Admin role."""

    message = _("Only administrators can do this.")

    def allows(self, request, view):
        return super().allows(request, view) and request.user.has_admin_role


class IsArtistManager(IsSignedIn):
    """The Artist Manager role (not yet tied to a given artist)."""

    message = _("Only artist managers can do this.")

    def allows(self, request, view):
        return super().allows(request, view) and request.user.has_artist_manager_role


class IsOwner(IsSignedIn):
    """The signed-in user owns the object (`obj.owner_id`, or the view's `owner_field`)."""

    message = _("Only the owner can do this.")

    def has_object_permission(self, request, view, obj):
        owner_field = getattr(view, "owner_field", "owner_id")
        return getattr(obj, owner_field, None) == request.user.pk


class ManagesObject(IsSignedIn):
    """The signed-in Artist Manager manages the object: `obj.is_managed_by(user)`."""

    message = _("Only the artist's manager can do this.")

    def has_object_permission(self, request, view, obj):
        return request.user.has_artist_manager_role and obj.is_managed_by(request.user)
