"""Premium purchases: checkout, ZaloPay's callback, and reconciliation through ZaloPay's query.

Nothing a client or a callback says is taken on trust: orders are for the signed-in user
at the server's prices, a callback counts only with a good key2 MAC and only if it agrees
with the order, and the move to `paid` (the one thing that extends Premium) happens once,
under a lock on the order row.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hustmusik.errors import ApiError
from payments.models import Order, OrderItem, OrderStatus, Plan
from payments.selectors import plans_for_sale
from payments.zalopay import (
    QUERY_FAILED,
    QUERY_PAID,
    QUERY_PROCESSING,
    ZaloPayClient,
    ZaloPayUnavailable,
    new_app_trans_id,
)
from users.models import User
from users.services import user_premium_extend

logger = logging.getLogger("hustmusik.payments")

MAX_ITEMS = 10
MAX_QUANTITY = 12

CALLBACK_SUCCESS = {"return_code": 1, "return_message": "success"}
CALLBACK_BAD_MAC = {"return_code": -1, "return_message": "mac not equal"}
CALLBACK_INVALID = {"return_code": -1, "return_message": "invalid callback data"}
CALLBACK_UNKNOWN_ORDER = {"return_code": -1, "return_message": "order not found"}
CALLBACK_FLAGGED = {"return_code": -1, "return_message": "order does not match the payment; held for review"}
CALLBACK_RETRY = {"return_code": 0, "return_message": "temporarily unable to process; retry"}


def provider_unavailable() -> ApiError:
    return ApiError(
        _("The payment provider is unavailable. Please try again shortly."),
        code="payment_provider_unavailable",
        status=502,
    )


# --- checkout ---------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutLine:
    """What the client asked for: a plan code, the price it believes, how many."""

    code: str
    quantity: int = 1
    price: int | None = None


@dataclass(frozen=True)
class OrderAnswer:
    """An order and ZaloPay's answer about it (checkout and status queries alike)."""

    order: Order
    answer: dict


def _sold_lines(*, lines: list[CheckoutLine]) -> list[tuple[Plan, int]]:
    """Each line priced by the server: unknown or retired plans and disagreeing prices are refused."""
    if not lines:
        raise ApiError(_("Name at least one plan to buy."), code="empty_order")
    if len(lines) > MAX_ITEMS:
        raise ApiError(_("An order holds at most %(count)d items.") % {"count": MAX_ITEMS}, code="too_many_items")
    codes = [line.code for line in lines]
    if len(set(codes)) != len(codes):
        raise ApiError(_("Each plan may appear once in an order; use itemquantity."), code="duplicate_item")
    plans = {plan.code: plan for plan in plans_for_sale().filter(code__in=codes)}
    sold = []
    for line in lines:
        plan = plans.get(line.code)
        if plan is None:
            raise ApiError(_("There is no plan '%(plan)s' for sale.") % {"plan": line.code}, code="unknown_plan")
        if line.price is not None and line.price != plan.price:
            raise ApiError(
                _("The price of '%(plan)s' is %(price)s VND, not %(offered)s.")
                % {"plan": plan.code, "price": plan.price, "offered": line.price},
                code="price_mismatch",
            )
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise ApiError(
                _("Buy between 1 and %(most)d of '%(plan)s'.") % {"most": MAX_QUANTITY, "plan": plan.code},
                code="invalid_quantity",
            )
        sold.append((plan, line.quantity))
    return sold


def order_checkout(*, user: User, lines: list[CheckoutLine], client: ZaloPayClient | None = None) -> OrderAnswer:
    """Record a pending order for `user` at server prices, then open it at ZaloPay (/v2/create).

    The order is committed before ZaloPay is called (no transaction is held over the
    network). If ZaloPay cannot be reached the order is kept as `failed` and a 502 raised;
    a ZaloPay refusal (`return_code` other than 1) also fails the order and is answered as is.
    """
    client = client or ZaloPayClient()
    sold = _sold_lines(lines=lines)
    amount = sum(plan.price * quantity for plan, quantity in sold)
    premium_days = sum(plan.duration_days * quantity for plan, quantity in sold)
    app_trans_id = new_app_trans_id()
    description = f"Hust Musik - Payment for the order #{app_trans_id}"
    form = client.build_create_form(
        app_trans_id=app_trans_id,
        app_user=str(user.pk),
        amount=amount,
        items=[
            {"itemid": plan.code, "itemname": plan.code, "itemprice": plan.price, "itemquantity": quantity}
            for plan, quantity in sold
        ],
        description=description,
    )

    with transaction.atomic():
        order = Order.objects.create(
            user=user,
            app_user=str(user.pk),
            app_trans_id=app_trans_id,
            amount=amount,
            premium_days=premium_days,
            description=description,
            create_request=form,
        )
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                plan=plan,
                plan_code=plan.code,
                name=plan.name,
                unit_price=plan.price,
                quantity=quantity,
                duration_days=plan.duration_days,
            )
            for plan, quantity in sold
        )

    try:
        answer = client.create_order(form=form)
    except ZaloPayUnavailable as error:
        Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
            status=OrderStatus.FAILED, failure_reason=str(error)[:300], updated_at=timezone.now()
        )
        raise provider_unavailable() from error

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        order.create_payload = answer
        if answer["return_code"] == 1:
            order.zp_trans_token = str(answer.get("zp_trans_token") or "")[:500]
            order.order_url = str(answer.get("order_url") or "")[:1000]
        elif order.status == OrderStatus.PENDING:
            order.status = OrderStatus.FAILED
            order.failure_reason = _provider_message(answer)
        order.save(
            update_fields=["create_payload", "zp_trans_token", "order_url", "status", "failure_reason", "updated_at"]
        )
    return OrderAnswer(order=order, answer=answer)


def _provider_message(answer: dict) -> str:
    message = answer.get("sub_return_message") or answer.get("return_message") or ""
    return f"ZaloPay return_code {answer.get('return_code')}: {message}"[:300]


# --- settling -------------------------------------------------------------------


NOT_CARRIED = object()  # a field the evidence does not carry: ZaloPay's query answers name no app nor buyer


def _evidence_problems(
    order: Order, *, amount, expected_app_id: int, app_id=NOT_CARRIED, app_user=NOT_CARRIED
) -> list[str]:
    """Why payment evidence (a callback or a query answer) does not fit the order, if it does not.
    A field the evidence carries must be there and agree: a callback without its app or buyer is flagged."""
    problems = []
    if app_id is not NOT_CARRIED and app_id != expected_app_id:
        problems.append(f"app_id {app_id!r} is not ours ({expected_app_id})")
    if app_user is not NOT_CARRIED and app_user != order.app_user:
        problems.append(f"app_user {app_user!r} is not the buyer")
    if type(amount) is not int or amount != order.amount:
        problems.append(f"amount {amount!r} differs from the order's {order.amount}")
    return problems


def _flag(order: Order, *, reason: str) -> None:
    order.flagged = True
    order.flag_reason = reason[:300]
    logger.warning("Order %s flagged: %s", order.app_trans_id, reason)


def _mark_paid(order: Order, *, zp_trans_id, now: datetime) -> None:
    """The one place an order becomes paid and Premium is extended; the order row must be locked."""
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.zp_trans_id = str(zp_trans_id or "")[:40]
    if order.user_id is not None:
        user_premium_extend(user_id=order.user_id, days=order.premium_days, now=now)


def order_apply_callback(*, data: str, mac: str, client: ZaloPayClient | None = None) -> dict:
    """Handle ZaloPay's callback; the answer is what ZaloPay expects back (always with HTTP 200).

    Bad MAC or unreadable data: nothing changes. A good callback agreeing with its order pays
    it and extends the buyer's Premium, once: repeats (sequential or concurrent) find the
    order paid under the row lock and change nothing. A good callback disagreeing with the
    order (amount, app, user) flags the order, which stays unpaid for a person to review.
    """
    client = client or ZaloPayClient()
    if not client.callback_mac_is_valid(data=data, mac=mac):
        return CALLBACK_BAD_MAC
    try:
        payload = json.loads(data)
    except ValueError:
        return CALLBACK_INVALID
    if not isinstance(payload, dict):
        return CALLBACK_INVALID
    app_trans_id = payload.get("app_trans_id")
    if not isinstance(app_trans_id, str) or not app_trans_id or len(app_trans_id) > 40:
        return CALLBACK_INVALID

    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(app_trans_id=app_trans_id).first()
        if order is None:
            logger.warning("Verified callback for an unknown order %s", app_trans_id)
            return CALLBACK_UNKNOWN_ORDER
        if order.status == OrderStatus.PAID:
            return CALLBACK_SUCCESS  # a repeat: already settled, nothing more to do
        if order.flagged:
            return CALLBACK_FLAGGED
        order.callback_payload = {"data": data, "mac": mac, "received_at": now.isoformat()}
        problems = _evidence_problems(
            order,
            app_id=payload.get("app_id"),
            app_user=payload.get("app_user"),
            amount=payload.get("amount"),
            expected_app_id=client.config.app_id,
        )
        if problems:
            _flag(order, reason="Callback: " + "; ".join(problems))
            answer = CALLBACK_FLAGGED
        else:
            _mark_paid(order, zp_trans_id=payload.get("zp_trans_id"), now=now)
            answer = CALLBACK_SUCCESS
        order.save(
            update_fields=[
                "callback_payload",
                "flagged",
                "flag_reason",
                "status",
                "paid_at",
                "zp_trans_id",
                "updated_at",
            ]
        )
    return answer


def order_reconcile(
    *,
    order: Order,
    client: ZaloPayClient | None = None,
    close_as: str = OrderStatus.FAILED,
    expired_before: datetime | None = None,
) -> OrderAnswer:
    """Ask ZaloPay about the order (/v2/query) and bring the local order up to date.

    Paid at ZaloPay but not here (the callback never came): paid now, Premium extended,
    unless the amount disagrees (flagged). Failed at ZaloPay: a pending order is closed as
    `close_as`; so is one created before `expired_before` that ZaloPay still reports unpaid
    and not in progress (it expired there).
    """
    client = client or ZaloPayClient()
    try:
        answer = client.query_order(app_trans_id=order.app_trans_id)
    except ZaloPayUnavailable as error:
        raise provider_unavailable() from error

    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        order.query_payload = answer
        order.queried_at = now
        return_code = answer["return_code"]
        if return_code == QUERY_PAID and order.status != OrderStatus.PAID and not order.flagged:
            problems = _evidence_problems(order, amount=answer.get("amount"), expected_app_id=client.config.app_id)
            if problems:
                _flag(order, reason="Query: " + "; ".join(problems))
            else:
                _mark_paid(order, zp_trans_id=answer.get("zp_trans_id"), now=now)
        elif return_code == QUERY_FAILED and order.status == OrderStatus.PENDING and not answer.get("is_processing"):
            order.status = close_as
            order.failure_reason = _provider_message(answer)
        elif (
            return_code == QUERY_PROCESSING
            and order.status == OrderStatus.PENDING
            and not answer.get("is_processing")
            and expired_before is not None
            and order.created_at < expired_before
        ):
            order.status = close_as
            order.failure_reason = f"Expired unpaid: {_provider_message(answer)}"[:300]
        order.save(
            update_fields=[
                "query_payload",
                "queried_at",
                "status",
                "paid_at",
                "zp_trans_id",
                "flagged",
                "flag_reason",
                "failure_reason",
                "updated_at",
            ]
        )
    return OrderAnswer(order=order, answer=answer)


def orders_reconcile_pending(*, client: ZaloPayClient | None = None) -> int:
    """The schedule's reconciliation (a job, every minute): ask ZaloPay about every order still
    pending ORDER_RECONCILE_AFTER_SECONDS after its creation, through `order_reconcile` (the
    one path to `paid`, so Premium is extended once). ZaloPay's failed orders, and unpaid ones
    older than ORDER_EXPIRE_SECONDS, are closed as cancelled. Returns how many were asked about.
    """
    client = client or ZaloPayClient()
    now = timezone.now()
    due = Order.objects.filter(
        status=OrderStatus.PENDING,
        flagged=False,
        created_at__lte=now - timedelta(seconds=settings.ORDER_RECONCILE_AFTER_SECONDS),
    ).order_by("created_at")[: settings.ORDER_RECONCILE_BATCH]
    expired_before = now - timedelta(seconds=settings.ORDER_EXPIRE_SECONDS)
    asked = 0
    for order in due:
        try:
            order_reconcile(order=order, client=client, close_as=OrderStatus.CANCELLED, expired_before=expired_before)
        except ApiError as error:  # ZaloPay unreachable: the next run asks again
            logger.warning("Could not reconcile order %s: %s", order.app_trans_id, error.detail)
            continue
        asked += 1
    return asked
