"""Plans are curated here; orders are records, read-only, with a way to ask ZaloPay about them."""

import json

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hustmusik.admin_mixins import ViewOnlyAdmin
from hustmusik.errors import ApiError
from payments.models import Order, OrderItem, Plan
from payments.services import order_reconcile

MAX_QUERIED_AT_ONCE = 50


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "price", "duration_days", "active", "updated_at")
    list_editable = ("active",)
    list_filter = ("active",)
    search_fields = ("code", "name")
    readonly_fields = ("id", "created_at", "updated_at")
    fields = ("id", "code", "name", "price", "duration_days", "active", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Clients name plans by code: once sold, a code stays (retire the plan with `active` instead).
        if obj is not None and obj.order_items.exists():
            readonly.append("code")
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.order_items.exists():
            return False
        return super().has_delete_permission(request, obj)


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    fields = ("plan_code", "name", "unit_price", "quantity", "duration_days")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def pretty_json(value):
    if value in (None, {}, ""):
        return "-"
    return format_html('<pre style="white-space:pre-wrap">{}</pre>', json.dumps(value, indent=2, ensure_ascii=False))


@admin.register(Order)
class OrderAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("app_trans_id", "user", "amount", "status", "flagged", "zp_trans_id", "created_at", "paid_at")
    list_filter = ("status", "flagged", "created_at", "paid_at")
    date_hierarchy = "created_at"
    search_fields = ("app_trans_id", "user__email", "zp_trans_id")
    list_select_related = ("user",)
    inlines = [OrderItemInline]
    actions = ["query_zalopay_now"]
    fieldsets = (
        (None, {"fields": ("id", "app_trans_id", "user", "app_user", "amount", "premium_days", "description")}),
        (
            gettext_lazy("State"),
            {"fields": ("status", "flagged", "flag_reason", "failure_reason", "paid_at", "queried_at")},
        ),
        ("ZaloPay", {"fields": ("zp_trans_id", "zp_trans_token", "order_url")}),
        (
            gettext_lazy("Audit"),
            {
                "fields": (
                    "create_request_pretty",
                    "create_payload_pretty",
                    "callback_payload_pretty",
                    "query_payload_pretty",
                )
            },
        ),
        (gettext_lazy("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = (
        "id",
        "app_trans_id",
        "user",
        "app_user",
        "amount",
        "premium_days",
        "description",
        "status",
        "flagged",
        "flag_reason",
        "failure_reason",
        "paid_at",
        "queried_at",
        "zp_trans_id",
        "zp_trans_token",
        "order_url",
        "create_request_pretty",
        "create_payload_pretty",
        "callback_payload_pretty",
        "query_payload_pretty",
        "created_at",
        "updated_at",
    )

    @admin.display(description=gettext_lazy("Sent to /v2/create"))
    def create_request_pretty(self, order):
        return pretty_json(order.create_request)

    @admin.display(description=gettext_lazy("/v2/create answer"))
    def create_payload_pretty(self, order):
        return pretty_json(order.create_payload)

    @admin.display(description=gettext_lazy("Callback"))
    def callback_payload_pretty(self, order):
        return pretty_json(order.callback_payload)

    @admin.display(description=gettext_lazy("Latest /v2/query answer"))
    def query_payload_pretty(self, order):
        return pretty_json(order.query_payload)

    @admin.action(description=gettext_lazy("Query ZaloPay now (and settle paid orders)"), permissions=["view"])
    def query_zalopay_now(self, request, queryset):
        orders = list(queryset.order_by("-created_at")[: MAX_QUERIED_AT_ONCE + 1])
        if len(orders) > MAX_QUERIED_AT_ONCE:
            self.message_user(
                request, _("Select at most %(count)d orders at once.") % {"count": MAX_QUERIED_AT_ONCE}, messages.ERROR
            )
            return
        outcomes, unreachable = [], 0
        for order in orders:
            try:
                result = order_reconcile(order=order)
            except ApiError:
                unreachable += 1
                continue
            outcome = {"order": order.app_trans_id, "status": result.order.status}
            outcomes.append(
                (_("%(order)s: %(status)s (flagged)") if result.order.flagged else "%(order)s: %(status)s") % outcome
            )
        if outcomes:
            self.message_user(
                request, _("ZaloPay says: %(outcomes)s") % {"outcomes": ", ".join(outcomes)}, messages.SUCCESS
            )
        if unreachable:
            message = ngettext(
                "ZaloPay could not be reached for %(count)d order.",
                "ZaloPay could not be reached for %(count)d orders.",
                unreachable,
            )
            self.message_user(request, message % {"count": unreachable}, messages.ERROR)
