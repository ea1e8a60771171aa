"""Example requests and answers of /v1/order, for the OpenAPI document. ZaloPay's keys are its own."""

import json

from hustmusik.schema import answer_example, request_example
from payments.services import CALLBACK_BAD_MAC, CALLBACK_SUCCESS

APP_TRANS_ID = "250131_e7081e74cf52475dbdb6547c46c42d9f"
ZP_TOKEN = "AC7s-l_8wFGP_QsLT1iNy7xQ"

CHECKOUT_PLAN = request_example({"plan": "premium_monthly"}, "A plan by its code")
CHECKOUT_ITEMS = request_example(
    {"items": [{"itemname": "premium_monthly", "itemprice": 59000, "itemquantity": 1}]},
    "Items, as the web client sends them (the price must be the server's)",
)
CHECKOUT_ANSWER = answer_example(
    {
        "return_code": 1,
        "return_message": "Giao dịch thành công",
        "sub_return_code": 1,
        "sub_return_message": "Giao dịch thành công",
        "zp_trans_token": ZP_TOKEN,
        "order_url": f"https://qcgateway.zalopay.vn/openinapp?order={ZP_TOKEN}",
        "order_token": ZP_TOKEN,
        "qr_code": f"00020101021226520010vn.zalopay0106{ZP_TOKEN}",
        "app_trans_id": APP_TRANS_ID,
        "amount": 59000,
        "status": "pending",
    },
    "ZaloPay's answer: send the buyer to `order_url`",
)
ORDER_STATUS_ANSWER = answer_example(
    {
        "return_code": 1,
        "return_message": "Giao dịch thành công",
        "sub_return_code": 1,
        "sub_return_message": "Giao dịch thành công",
        "is_processing": False,
        "amount": 59000,
        "zp_trans_id": 250131000012345,
        "app_trans_id": APP_TRANS_ID,
        "status": "paid",
        "flagged": False,
    },
    "Paid: the buyer is Premium",
)
CALLBACK = request_example(
    {
        "data": json.dumps(
            {
                "app_id": 2553,
                "app_trans_id": APP_TRANS_ID,
                "app_time": 1738311300000,
                "app_user": "22c75c0a-2ebc-4def-9a43-51c5f6a34016",
                "amount": 59000,
                "zp_trans_id": 250131000012345,
                "server_time": 1738311360000,
                "channel": 38,
            }
        ),
        "mac": "9d1c0f4e2b7a6c5d8e3f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d",
    },
    "What ZaloPay posts",
)
CALLBACK_ANSWERS = [
    answer_example(CALLBACK_SUCCESS, "Accepted (also for a repeat)"),
    answer_example(CALLBACK_BAD_MAC, "Bad MAC: nothing changes"),
]
