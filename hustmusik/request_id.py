"""A request id for every request, logged and echoed back: made here, or taken from `X-Request-ID`
when a trusted proxy (NUM_PROXIES) sets it and it is sane; a client cannot choose the id of its requests."""

import contextvars
import logging
import re
import time
import uuid

from hustmusik.proxies import behind_trusted_proxy, client_address

REQUEST_ID_HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_logger = logging.getLogger("hustmusik.access")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "") if behind_trusted_proxy() else ""
        request_id = incoming if _SANE.match(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "client": client_address(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every log record."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True
