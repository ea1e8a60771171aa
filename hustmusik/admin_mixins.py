"""What several admin pages share: who sees everything, rows written by the API only, and deletes
through the services."""


def sees_everything(request) -> bool:
    """Superusers and the Admin role see the whole service; staff Artist Managers only their own."""
    return request.user.is_superuser or request.user.has_admin_role


class ViewOnlyAdmin:
    """Staff look these rows up; the API and the jobs alone write them (`deletable` to allow deletes)."""

    deletable = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


class DeletesThroughService:
    """Admin deletes, of one row or of a selection, go through the app's delete service (which
    takes the row's stored files along); `delete_through(obj)` names it."""

    def delete_through(self, obj) -> None:  # pragma: no cover - each admin names its service
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.delete_through(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through(obj)
