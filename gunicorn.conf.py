"""gunicorn settings for Hust Musik app servers (`gunicorn -c gunicorn.conf.py hustmusik.wsgi`)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a stuck request is killed, not waited on forever
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))  # recycle workers, bounding leaks
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django logs every request with its request id (hustmusik.access); gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Request-line and header limits above the app's own (REQUEST_MAX_URL_BYTES, 4 KB; REQUEST_MAX_HEADER_BYTES,
# 8 KB), so that Django answers 414 and 431 itself, in the API's error envelope, with a request id.
limit_request_line = 8190  # gunicorn's largest bounded value
limit_request_field_size = 128 * 1024
limit_request_fields = 100

# What gunicorn still refuses by itself (a longer request line or header, a malformed request) is
# answered in the same JSON envelope, not gunicorn's HTML page: its one error writer, replaced.
import json as _json  # noqa: E402

from gunicorn import util as _gunicorn_util  # noqa: E402

_GUNICORN_ERRORS = {
    403: ("The request was refused.", "forbidden"),
    414: ("The URL is too long.", "uri_too_long"),
    417: ("The expectation cannot be met.", "expectation_failed"),
    431: ("A header field is too large, or there are too many.", "header_too_large"),
    500: ("Something went wrong on our side.", "server_error"),
    501: ("This transfer coding is not supported.", "not_implemented"),
}


def _write_json_error(sock, status_int, reason, mesg):
    sentence, code = _GUNICORN_ERRORS.get(status_int, ("The request could not be understood.", "bad_request"))
    body = _json.dumps({"error": sentence, "code": code}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    _gunicorn_util.write_nonblock(sock, head.encode("latin-1") + body)


_gunicorn_util.write_error = _write_json_error
