"""Bodies and answers of /v1/order. The answers are ZaloPay's own (not wrapped in `data`)."""

import json

from django.utils.translation import gettext as _
from rest_framework import serializers

from payments.models import OrderStatus
from payments.services import MAX_ITEMS, MAX_QUANTITY, CheckoutLine

STATUS_HELP = "One of " + ", ".join(f"`{value}`" for value in OrderStatus.values) + "."


class CheckoutItemSerializer(serializers.Serializer):
    itemname = serializers.CharField(max_length=50, help_text="The code of a plan the server sells.")
    itemprice = serializers.IntegerField(
        required=False, min_value=0, help_text="Price the client shows, in VND; refused unless it is the server's."
    )
    itemquantity = serializers.IntegerField(required=False, default=1, min_value=1, max_value=MAX_QUANTITY)


class CheckoutItemsField(serializers.ListField):
    """A list of items; multipart and form bodies may send it as one JSON string."""

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = data[0]
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("not_a_list", input_type="invalid JSON")
        return super().to_internal_value(data)


class CheckoutSerializer(serializers.Serializer):
    """Either `items` or `plan`. Any user id in the body is ignored: orders are the caller's."""

    items = CheckoutItemsField(
        child=CheckoutItemSerializer(),
        required=False,
        min_length=1,
        max_length=MAX_ITEMS,
        help_text="Plans to buy; `itemname` is a plan code.",
    )
    plan = serializers.CharField(required=False, max_length=50, help_text="A plan code: the same as one item of it.")

    def validate(self, attrs):
        if ("items" in attrs) == ("plan" in attrs):
            raise serializers.ValidationError(_("Send either `items` or `plan`."))
        return attrs

    def to_lines(self) -> list[CheckoutLine]:
        data = self.validated_data
        if "plan" in data:
            return [CheckoutLine(code=data["plan"])]
        return [
            CheckoutLine(code=item["itemname"], quantity=item["itemquantity"], price=item.get("itemprice"))
            for item in data["items"]
        ]


class CheckoutAnswerSerializer(serializers.Serializer):
    """ZaloPay's answer to /v2/create as it came (more keys may appear), plus ours."""

    return_code = serializers.IntegerField(help_text="1: created; 2: refused by ZaloPay.")
    return_message = serializers.CharField()
    sub_return_code = serializers.IntegerField(required=False)
    sub_return_message = serializers.CharField(required=False)
    order_url = serializers.CharField(required=False, help_text="Where the buyer pays.")
    zp_trans_token = serializers.CharField(required=False)
    order_token = serializers.CharField(required=False)
    qr_code = serializers.CharField(required=False)
    app_trans_id = serializers.CharField(help_text="Our order's id at ZaloPay: `yymmdd_<unique>`, Vietnam date.")
    amount = serializers.IntegerField(help_text="What the order costs, in VND, from the server's prices.")
    status = serializers.CharField(help_text=STATUS_HELP)


class CallbackSerializer(serializers.Serializer):
    data = serializers.CharField(help_text="JSON text of the transaction, as ZaloPay signed it.")
    mac = serializers.CharField(help_text="Hex HMAC-SHA256 of `data` under key2.")


class CallbackAnswerSerializer(serializers.Serializer):
    return_code = serializers.IntegerField(
        help_text="1: accepted (also for repeats); 0: retry later; -1: refused (bad MAC, unreadable, unknown or "
        "disagreeing order)."
    )
    return_message = serializers.CharField()


class OrderStatusAnswerSerializer(serializers.Serializer):
    """ZaloPay's answer to /v2/query as it came (more keys may appear), plus the local order's state."""

    return_code = serializers.IntegerField(help_text="1: paid; 2: failed; 3: pending or processing.")
    return_message = serializers.CharField()
    sub_return_code = serializers.IntegerField(required=False)
    sub_return_message = serializers.CharField(required=False)
    is_processing = serializers.BooleanField(required=False)
    amount = serializers.IntegerField(required=False)
    zp_trans_id = serializers.IntegerField(required=False)
    app_trans_id = serializers.CharField()
    status = serializers.CharField(help_text=f"The local order's status: {STATUS_HELP}")
    flagged = serializers.BooleanField(help_text="Payment evidence disagreed with the order; held for review.")
