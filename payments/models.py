"""Premium plans and the orders that buy them through ZaloPay."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """Something the server sells: Premium for a number of days at a price in VND.

    Clients name plans by `code` (the checkout's `itemname`); prices always come from here.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("What clients send as `plan` or `itemname`.")
    )
    name = models.CharField(_("name"), max_length=200)
    price = models.PositiveBigIntegerField(_("price (VND)"))
    duration_days = models.PositiveIntegerField(_("Premium days"))
    active = models.BooleanField(_("active"), default=True, help_text=_("Only active plans can be bought."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["price", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="payments_plan_price_positive"),
            models.CheckConstraint(condition=Q(duration_days__gt=0), name="payments_plan_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """One ZaloPay order, kept for good (it is a financial record).

    `amount`, `premium_days` and the items are as sold, from the server's prices at checkout.
    An order is paid at most once: the transition to `paid` happens under a row lock and
    is the only thing that extends the buyer's Premium. `flagged` marks an order whose
    payment evidence disagreed with it (amount, app or user); it waits for a person.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="orders",
        verbose_name=_("user"),
        help_text=_("The buyer; kept empty if the account is deleted (the order stays for the books)."),
    )
    app_user = models.CharField(_("app user"), max_length=50, help_text=_("The buyer's id as sent to ZaloPay."))
    app_trans_id = models.CharField(
        _("app trans id"), max_length=40, unique=True, help_text=_("yymmdd_<unique>, Vietnam date.")
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    premium_days = models.PositiveIntegerField(
        _("premium days"), help_text=_("Days of Premium the order gives once paid.")
    )
    description = models.CharField(_("description"), max_length=256)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    flagged = models.BooleanField(
        _("flagged"), default=False, help_text=_("Payment evidence disagreed with the order.")
    )
    flag_reason = models.CharField(_("flag reason"), max_length=300, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    zp_trans_id = models.CharField(_("ZaloPay transaction id"), max_length=40, blank=True)
    zp_trans_token = models.CharField(_("zp trans token"), max_length=500, blank=True)
    order_url = models.URLField(_("order url"), max_length=1000, blank=True)
    create_request = models.JSONField(
        _("create request"), default=dict, blank=True, help_text=_("What was sent to /v2/create (no MAC).")
    )
    create_payload = models.JSONField(
        _("create payload"), null=True, blank=True, help_text=_("ZaloPay's answer to /v2/create.")
    )
    callback_payload = models.JSONField(
        _("callback payload"),
        null=True,
        blank=True,
        help_text=_("The verified callback that settled or flagged the order (data and MAC)."),
    )
    query_payload = models.JSONField(
        _("query payload"), null=True, blank=True, help_text=_("ZaloPay's latest answer to /v2/query.")
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    queried_at = models.DateTimeField(_("queried at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="payments_order_status_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_order_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="payments_order_user_idx"),
            models.Index(fields=["status", "-created_at"], name="payments_order_status_idx"),
            # The dashboard's revenue per day reads paid orders by payment date.
            models.Index(fields=["paid_at"], name="payments_order_paid_idx", condition=Q(status=OrderStatus.PAID)),
        ]

    def __str__(self) -> str:
        return self.app_trans_id


class OrderItem(models.Model):
    """A line of an order as sold: which plan, at what price, how many, for how many days."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items", verbose_name=_("order"))
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="order_items", verbose_name=_("plan"))
    plan_code = models.CharField(_("plan code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    unit_price = models.PositiveBigIntegerField(_("unit price (VND)"))
    quantity = models.PositiveIntegerField(_("quantity"))
    duration_days = models.PositiveIntegerField(_("Premium days per unit"))

    class Meta:
        verbose_name = _("order item")
        verbose_name_plural = _("order items")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="payments_orderitem_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.plan_code}"

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity
