"""A fake ZaloPay v2 on loopback, for tests.

It speaks the parts of ZaloPay's protocol the app uses: `/v2/create` and `/v2/query`
(form-encoded POSTs whose MACs it checks with key1), and it builds the signed callbacks
ZaloPay would send once a buyer pays (`data` JSON text and its key2 MAC). The MACs are
computed here from the protocol, independently of the app's code.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import LoopbackServer

CREATE_FIELDS = (
    "app_id",
    "app_user",
    "app_trans_id",
    "app_time",
    "amount",
    "item",
    "embed_data",
    "description",
    "bank_code",
    "callback_url",
    "mac",
)


def sign(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


class FakeZaloPay(LoopbackServer):
    def __init__(self, *, app_id: int, key1: str, key2: str):
        self.app_id = app_id
        self.key1 = key1
        self.key2 = key2
        self.orders: dict[str, dict] = {}  # app_trans_id -> {"form", "status", "zp_trans_id"}
        self.requests: list[tuple[str, dict]] = []
        self.rejected: list[tuple[str, str]] = []  # (path, why) of requests answered with an error
        self.http_status = 200  # anything else: answered as an HTTP error page
        self.delay_seconds = 0.0
        self._zp_ids = itertools.count(int(time.time()) * 1000)
        self._lock = threading.Lock()
        self._start_server()

    # --- what ZaloPay does when the buyer acts ---------------------------------------

    def pay(self, app_trans_id: str, **overrides) -> dict:
        """The buyer pays: the order is paid at ZaloPay; returns the callback ZaloPay would post."""
        with self._lock:
            order = self.orders[app_trans_id]
            order["status"] = "paid"
            order["zp_trans_id"] = order["zp_trans_id"] or next(self._zp_ids)
        return self.callback_body(app_trans_id, **overrides)

    def fail(self, app_trans_id: str) -> None:
        with self._lock:
            self.orders[app_trans_id]["status"] = "failed"

    def callback_body(self, app_trans_id: str, *, key2: str | None = None, **overrides) -> dict:
        """`{"data": <json text>, "mac": <hex>}` as ZaloPay posts it; overrides change `data` fields."""
        order = self.orders[app_trans_id]
        form = order["form"]
        now_ms = int(time.time() * 1000)
        data = {
            "app_id": int(form["app_id"]),
            "app_trans_id": app_trans_id,
            "app_time": int(form["app_time"]),
            "app_user": form["app_user"],
            "amount": int(form["amount"]),
            "embed_data": form["embed_data"],
            "item": form["item"],
            "zp_trans_id": order["zp_trans_id"] or next(self._zp_ids),
            "server_time": now_ms,
            "channel": 38,
            "merchant_user_id": "fake-merchant-user",
            "user_fee_amount": 0,
            "discount_amount": 0,
            **overrides,
        }
        text = json.dumps(data, separators=(",", ":"))
        return {"data": text, "mac": sign(key2 or self.key2, text)}

    # --- HTTP -------------------------------------------------------------------------

    def _create(self, form: dict) -> dict:
        missing = [name for name in CREATE_FIELDS if name not in form]
        if missing:
            return self._reject("/v2/create", f"missing {missing}", sub=-401)
        message = "|".join(
            form[name] for name in ("app_id", "app_trans_id", "app_user", "amount", "app_time", "embed_data", "item")
        )
        if not hmac.compare_digest(sign(self.key1, message), form["mac"]):
            return self._reject("/v2/create", "mac", sub=-402, message="Xác thực mac thất bại")
        if form["app_id"] != str(self.app_id):
            return self._reject("/v2/create", "app_id", sub=-401)
        try:
            items = json.loads(form["item"])
            embed = json.loads(form["embed_data"])
        except ValueError:
            return self._reject("/v2/create", "item or embed_data is not JSON", sub=-401)
        if not isinstance(items, list) or "redirecturl" not in embed:
            return self._reject("/v2/create", "item or embed_data", sub=-401)
        with self._lock:
            if form["app_trans_id"] in self.orders:
                return self._reject("/v2/create", "duplicate app_trans_id", sub=-68, message="Trùng mã giao dịch")
            self.orders[form["app_trans_id"]] = {"form": form, "status": "pending", "zp_trans_id": 0}
        token = secrets.token_urlsafe(18)
        return {
            "return_code": 1,
            "return_message": "Giao dịch thành công",
            "sub_return_code": 1,
            "sub_return_message": "Giao dịch thành công",
            "zp_trans_token": token,
            "order_url": f"https://qcgateway.zalopay.vn/openinapp?order={token}",
            "order_token": token,
            "qr_code": f"00020101021226520010vn.zalopay0106{token}",
        }

    def _query(self, form: dict) -> dict:
        app_trans_id = form.get("app_trans_id", "")
        expected = sign(self.key1, f"{form.get('app_id', '')}|{app_trans_id}|{self.key1}")
        if not hmac.compare_digest(expected, form.get("mac", "")):
            return self._reject("/v2/query", "mac", sub=-402, message="Xác thực mac thất bại")
        order = self.orders.get(app_trans_id)
        if order is None:
            return self._reject("/v2/query", "unknown order", sub=-54, message="Giao dịch không tồn tại")
        base = {"is_processing": False, "discount_amount": 0}
        if order["status"] == "paid":
            return {
                **base,
                "return_code": 1,
                "return_message": "Giao dịch thành công",
                "sub_return_code": 1,
                "sub_return_message": "Giao dịch thành công",
                "amount": int(order["form"]["amount"]),
                "zp_trans_id": order["zp_trans_id"],
            }
        if order["status"] == "failed":
            return {
                **base,
                "return_code": 2,
                "return_message": "Giao dịch thất bại",
                "sub_return_code": -1,
                "sub_return_message": "Người dùng huỷ giao dịch",
                "amount": 0,
                "zp_trans_id": 0,
            }
        return {
            **base,
            "return_code": 3,
            "return_message": "Giao dịch chưa thanh toán hoặc đang xử lý",
            "sub_return_code": 3,
            "sub_return_message": "Giao dịch đang xử lý",
            "amount": 0,
            "zp_trans_id": 0,
        }

    def _reject(self, path: str, why: str, *, sub: int, message: str = "Giao dịch thất bại") -> dict:
        self.rejected.append((path, why))
        return {
            "return_code": 2,
            "return_message": "Giao dịch thất bại",
            "sub_return_code": sub,
            "sub_return_message": message,
        }

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, content_type: str):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                path = urlsplit(self.path).path
                if fake.delay_seconds:
                    time.sleep(fake.delay_seconds)
                if fake.http_status != 200:
                    return self._send(fake.http_status, b"<html>upstream error</html>", "text/html")
                if self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
                    return self._send(400, b"form expected", "text/plain")
                form = {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}
                fake.requests.append((path, form))
                if path == "/v2/create":
                    answer = fake._create(form)
                elif path == "/v2/query":
                    answer = fake._query(form)
                else:
                    return self._send(404, b"not found", "text/plain")
                return self._send(200, json.dumps(answer, ensure_ascii=False).encode(), "application/json")

        return Handler
