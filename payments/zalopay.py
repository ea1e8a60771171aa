"""A small ZaloPay v2 client: create an order, query it, check a callback's MAC.

Protocol (https://docs.zalopay.vn/v2/): form-encoded POSTs to `<endpoint>/v2/create` and
`<endpoint>/v2/query`, each signed with HMAC-SHA256 under key1; ZaloPay signs its
callbacks' `data` with key2. Configuration comes from the ZALOPAY_* settings, read at
call time (the sandbox unless the environment says otherwise).

Every failure to get a ZaloPay answer (unreachable, timeout, HTTP error, not a JSON
object with an integer `return_code`) raises `ZaloPayUnavailable`; answers with a
non-success `return_code` are returned as they are, for the caller to judge.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("hustmusik.payments.zalopay")

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

CREATE_PATH = "/v2/create"
QUERY_PATH = "/v2/query"
CREATE_MAC_FIELDS = ("app_id", "app_trans_id", "app_user", "amount", "app_time", "embed_data", "item")

# return_code of /v2/query
QUERY_PAID = 1
QUERY_FAILED = 2
QUERY_PROCESSING = 3


class ZaloPayUnavailable(Exception):
    """ZaloPay could not be reached, or did not answer like ZaloPay."""


@dataclass(frozen=True)
class ZaloPayConfig:
    endpoint: str
    app_id: int
    key1: str
    key2: str
    callback_url: str
    redirect_url: str
    timeout: float

    @classmethod
    def from_settings(cls) -> ZaloPayConfig:
        return cls(
            endpoint=settings.ZALOPAY_ENDPOINT.rstrip("/"),
            app_id=int(settings.ZALOPAY_APP_ID),
            key1=settings.ZALOPAY_KEY1,
            key2=settings.ZALOPAY_KEY2,
            callback_url=settings.ZALOPAY_CALLBACK_URL,
            redirect_url=settings.ZALOPAY_REDIRECT_URL,
            timeout=float(settings.ZALOPAY_TIMEOUT_SECONDS),
        )


def hmac_sha256(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def macs_equal(expected: str, given: str) -> bool:
    """Constant-time comparison of hex MACs (bytes, so any text given is safe to compare)."""
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())


def create_mac(form: dict, key1: str) -> str:
    return hmac_sha256(key1, "|".join(str(form[name]) for name in CREATE_MAC_FIELDS))


def query_mac(*, app_id: int, app_trans_id: str, key1: str) -> str:
    return hmac_sha256(key1, f"{app_id}|{app_trans_id}|{key1}")


def new_app_trans_id(*, now: datetime | None = None, unique: str | None = None) -> str:
    """`yymmdd_<unique>`, the date being Vietnam's (ZaloPay's day, whatever the server's zone)."""
    day = (now or timezone.now()).astimezone(VIETNAM).strftime("%y%m%d")
    return f"{day}_{unique or uuid.uuid4().hex}"


def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ZaloPayClient:
    def __init__(self, config: ZaloPayConfig | None = None):
        self.config = config or ZaloPayConfig.from_settings()

    # --- create -----------------------------------------------------------------

    def build_create_form(
        self,
        *,
        app_trans_id: str,
        app_user: str,
        amount: int,
        items: list[dict],
        description: str,
        app_time_ms: int | None = None,
    ) -> dict:
        """The /v2/create fields, MAC excluded (it is added when sending)."""
        return {
            "app_id": self.config.app_id,
            "app_user": app_user,
            "app_trans_id": app_trans_id,
            "app_time": app_time_ms if app_time_ms is not None else int(timezone.now().timestamp() * 1000),
            "amount": amount,
            "item": compact_json(items),
            "embed_data": compact_json({"redirecturl": self.config.redirect_url}),
            "description": description,
            "bank_code": "",
            "callback_url": self.config.callback_url,
        }

    def create_order(self, *, form: dict) -> dict:
        """Send a form from `build_create_form`; ZaloPay's answer (`return_code` 1 = created)."""
        return self._post(CREATE_PATH, {**form, "mac": create_mac(form, self.config.key1)})

    # --- query ------------------------------------------------------------------

    def query_order(self, *, app_trans_id: str) -> dict:
        """ZaloPay's view of an order: `return_code` 1 paid, 2 failed, 3 pending or processing."""
        form = {
            "app_id": self.config.app_id,
            "app_trans_id": app_trans_id,
            "mac": query_mac(app_id=self.config.app_id, app_trans_id=app_trans_id, key1=self.config.key1),
        }
        return self._post(QUERY_PATH, form)

    # --- callback ---------------------------------------------------------------

    def callback_mac_is_valid(self, *, data: str, mac: str) -> bool:
        return macs_equal(hmac_sha256(self.config.key2, data), mac)

    # --- transport --------------------------------------------------------------

    def _post(self, path: str, form: dict) -> dict:
        url = f"{self.config.endpoint}{path}"
        try:
            response = requests.post(url, data=form, timeout=self.config.timeout)
        except requests.RequestException as error:
            logger.warning("ZaloPay %s unreachable: %s", path, error.__class__.__name__)
            raise ZaloPayUnavailable(f"ZaloPay could not be reached ({error.__class__.__name__}).") from error
        if response.status_code != 200:
            logger.warning("ZaloPay %s answered HTTP %s", path, response.status_code)
            raise ZaloPayUnavailable(f"ZaloPay answered HTTP {response.status_code}.")
        try:
            answer = response.json()
        except ValueError as error:
            raise ZaloPayUnavailable("ZaloPay answered something that is not JSON.") from error
        if not isinstance(answer, dict) or type(answer.get("return_code")) is not int:
            raise ZaloPayUnavailable("ZaloPay's answer has no return_code.")
        return answer
