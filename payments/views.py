"""/v1/order: Premium checkout through ZaloPay, ZaloPay's callback, and the order status query.

These answers are ZaloPay's own plus a few keys of ours, not wrapped in `{"data": ...}`.
"""

import json
import logging

from django.core.exceptions import SuspiciousOperation
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ParseError, UnsupportedMediaType
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hustmusik.permissions import IsSignedIn
from hustmusik.schema import ApiAutoSchema, documented_error
from hustmusik.throttles import PerAccountThrottle
from payments import examples, selectors, services
from payments.serializers import (
    CallbackAnswerSerializer,
    CallbackSerializer,
    CheckoutAnswerSerializer,
    CheckoutSerializer,
    OrderStatusAnswerSerializer,
)

logger = logging.getLogger("hustmusik.payments")

ORDER_TAG = ["order"]
PROVIDER_UNAVAILABLE = "The payment provider is unavailable. Please try again shortly."
PROVIDER_DOWN = documented_error(
    "ZaloPay could not be reached or answered garbage.", payment_provider_unavailable=PROVIDER_UNAVAILABLE
)


class PerBuyerThrottle(PerAccountThrottle):
    """Per signed-in account, at REST_FRAMEWORK's `order` rate (THROTTLE_ORDER)."""

    scope = "order"


class PerBuyerView(APIView):
    """Signed in; each call reaches ZaloPay, so calls are counted per account."""

    permission_classes = [IsSignedIn]
    throttle_classes = [PerBuyerThrottle]

    def throttle_account(self, request):
        return str(request.user.pk) if request.user.is_authenticated else None


class CheckoutView(PerBuyerView):
    """Buy Premium: a pending order for the caller at the server's prices, opened at ZaloPay (/v2/create).

    Answers ZaloPay's answer (`order_url` is where the buyer pays) plus `app_trans_id`.
    """

    throttle_scope = "order_checkout"

    @extend_schema(
        tags=ORDER_TAG,
        summary="Buy Premium",
        description="Opens an order for the caller (never for a user named in the body) at the server's prices, "
        "at ZaloPay (`/v2/create`); the buyer pays at `order_url`. Premium starts when ZaloPay confirms the "
        "payment (its callback, or the status query). Limited to THROTTLE_ORDER calls per account.",
        request={"application/json": CheckoutSerializer, "multipart/form-data": CheckoutSerializer},
        responses={
            200: CheckoutAnswerSerializer,
            400: documented_error(
                "Invalid body, a plan the server does not sell or a price that is not the server's.",
                unknown_plan="There is no plan 'gold' for sale.",
                price_mismatch="The price of 'premium_monthly' is 59000 VND, not 1000.",
            ),
            502: documented_error(
                "ZaloPay could not be reached; the order is kept as failed.",
                payment_provider_unavailable=PROVIDER_UNAVAILABLE,
            ),
        },
        examples=[examples.CHECKOUT_PLAN, examples.CHECKOUT_ITEMS, examples.CHECKOUT_ANSWER],
    )
    def post(self, request):
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.order_checkout(user=request.user, lines=serializer.to_lines())
        order = result.order
        return Response(
            {**result.answer, "app_trans_id": order.app_trans_id, "amount": order.amount, "status": order.status}
        )


class OrderStatusView(PerBuyerView):
    """Ask ZaloPay about an order (/v2/query) and bring the local order up to date.

    A payment whose callback never arrived is settled here. Answers ZaloPay's answer plus the local `status`.
    """

    throttle_scope = "order_status"

    @extend_schema(
        tags=ORDER_TAG,
        summary="Check an order's payment",
        description="Asks ZaloPay about the order (`/v2/query`) and brings it up to date: a payment whose "
        "callback never arrived is settled here. Only the order's buyer, or an Admin, finds it (others get 404).",
        operation_id="order_status",
        parameters=[
            OpenApiParameter("app_trans_id", str, OpenApiParameter.PATH, description="`yymmdd_<unique>`."),
        ],
        request=None,
        responses={
            200: OrderStatusAnswerSerializer,
            404: documented_error(
                "No such order, or not the caller's (Admins see every order).", not_found="Order does not exist"
            ),
            502: PROVIDER_DOWN,
        },
        examples=[examples.ORDER_STATUS_ANSWER],
    )
    def post(self, request, app_trans_id: str):
        order = selectors.order_for_status(user=request.user, app_trans_id=app_trans_id)
        if order is None:
            raise NotFound(_("Order does not exist"))
        result = services.order_reconcile(order=order)
        order = result.order
        return Response(
            {**result.answer, "app_trans_id": order.app_trans_id, "status": order.status, "flagged": order.flagged}
        )


# --- the callback -------------------------------------------------------------------


class CallbackSchema(ApiAutoSchema):
    """ZaloPay's callback answers HTTP 200 whatever happens; `return_code` tells the outcome."""

    def _error_codes(self) -> list[str]:
        return []


class JsonWhateverAccepted(DefaultContentNegotiation):
    """ZaloPay gets JSON, whatever its Accept header says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CallbackView(APIView):
    """Called by ZaloPay: no authentication, no CSRF, no rate limit; trust comes from the key2 MAC."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    content_negotiation_class = JsonWhateverAccepted
    schema = CallbackSchema()

    @extend_schema(
        tags=ORDER_TAG,
        summary="ZaloPay's payment callback",
        operation_id="order_checkout_callback",
        request=CallbackSerializer,
        responses={
            200: CallbackAnswerSerializer,
        },
        examples=[examples.CALLBACK, *examples.CALLBACK_ANSWERS],
        description=(
            "For ZaloPay only: no authentication and no rate limit; trust comes from the MAC (HMAC-SHA256 of "
            "`data` under key2). "
            'Always HTTP 200, as ZaloPay expects. Bad MAC: `{"return_code": -1, "return_message": "mac not '
            'equal"}` and nothing changes. Good: `return_code` 1, the order is paid and Premium extended once, '
            "however often ZaloPay repeats. Unreadable body or data, unknown order, or an amount that disagrees "
            "with the order: `return_code` -1 (a disagreeing order is flagged for review, not paid). A passing "
            "fault on our side: `return_code` 0, so ZaloPay retries."
        ),
    )
    def post(self, request):
        fields = _callback_fields(request)
        if fields is None:
            return Response(services.CALLBACK_INVALID)
        data, mac = fields
        try:
            answer = services.order_apply_callback(data=data, mac=mac)
        except Exception:  # ZaloPay must get an answer it understands; 0 makes it retry.
            logger.exception("ZaloPay callback could not be processed")
            answer = services.CALLBACK_RETRY
        return Response(answer)


def _callback_fields(request) -> tuple[str, str] | None:
    """`data` and `mac` of the body (JSON, or a form), or None if there are no such strings."""
    try:
        body = request.data
    except UnsupportedMediaType:
        body = _json_body(request)
    except (ParseError, RawPostDataException, SuspiciousOperation, ValueError):
        return None
    if not hasattr(body, "get"):
        return None
    data, mac = body.get("data"), body.get("mac")
    if not isinstance(data, str) or not isinstance(mac, str):
        return None
    return data, mac


def _json_body(request):
    """A JSON body sent without a JSON content type."""
    try:
        return json.loads(request.body)
    except (ValueError, RawPostDataException, SuspiciousOperation):
        return None
