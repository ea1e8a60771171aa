from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from hustmusik.admin_mixins import DeletesThroughService
from hustmusik.filters import FoldedAdminSearchMixin
from hustmusik.images import admin_image_preview, default_picture_filter
from users.models import User
from users.services import user_delete, user_revoke_sessions


class UserCreationForm(DjangoUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(DeletesThroughService, FoldedAdminSearchMixin, DjangoUserAdmin):
    add_form = UserCreationForm
    ordering = ("-created_at",)
    list_display = ("preview", "email", "username", "role", "email_is_verified", "is_staff", "is_active", "created_at")
    list_display_links = ("preview", "email")
    list_filter = (
        "role",
        "is_staff",
        "is_superuser",
        "is_active",
        "emailaddress__verified",
        default_picture_filter("avatar"),
    )
    search_fields = ("email", "username")
    readonly_fields = ("id", "created_at", "updated_at", "last_login", "session_generation", "open_sessions")
    actions = ["end_all_sessions", "mark_email_verified"]
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        (_("Profile"), {"fields": ("username", "country", "avatar", "premium_until")}),
        (_("Access"), {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Sessions"), {"fields": ("open_sessions", "session_generation", "last_login")}),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "role")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("emailaddress_set")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not (request.user.is_superuser or request.user.has_admin_role):
            # Staff who are not administrators (say, artist managers) cannot hand out roles or access.
            readonly += ["role", "is_staff", "is_superuser", "groups", "user_permissions"]
        return readonly

    def delete_through(self, user):
        user_delete(user=user)

    @admin.display(description=_("Avatar"))
    def preview(self, user):
        return admin_image_preview(user.avatar, kind="user", size=32)

    @admin.display(boolean=True, description=_("Email verified"))
    def email_is_verified(self, user):
        return any(a.verified and a.email.lower() == user.email for a in user.emailaddress_set.all())

    @admin.display(description=_("Open sessions"))
    def open_sessions(self, user):
        if user.pk is None:
            return "-"
        count = OutstandingToken.objects.filter(
            user=user, blacklistedtoken__isnull=True, expires_at__gt=timezone.now()
        ).count()
        return ngettext("%(count)d unexpired refresh token", "%(count)d unexpired refresh tokens", count) % {
            "count": count
        }

    @admin.action(description=_("End all sessions (sign out everywhere)"))
    def end_all_sessions(self, request, queryset):
        for user in queryset:
            user_revoke_sessions(user=user)
        count = queryset.count()
        message = ngettext("Ended every session of %(count)d user.", "Ended every session of %(count)d users.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark email as verified"))
    def mark_email_verified(self, request, queryset):
        for user in queryset:
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        count = queryset.count()
        message = ngettext(
            "Marked %(count)d email address as verified.", "Marked %(count)d email addresses as verified.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
