"""Requests no view should see, refused before any view runs, in the error envelope.

- a URL longer than REQUEST_MAX_URL_BYTES → 414 `uri_too_long`; a header field longer than
  REQUEST_MAX_HEADER_BYTES → 431 `header_too_large`;
- a path, query string or header that is not valid UTF-8, or holds a NUL → 400 `invalid_encoding`
  (PostgreSQL cannot store a NUL, and half a character cannot be searched, hashed or logged);
- a body announced larger than the view accepts → 413 `payload_too_large`, unread: a multipart
  body up to REQUEST_MAX_BYTES (images), any other up to DATA_UPLOAD_MAX_MEMORY_SIZE. A view that
  streams its body under its own limit (the signed audio upload) says so with `@streams_request_body`.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hustmusik.errors import error_response


def streams_request_body(view):
    """Mark a view that reads its body as a stream and bounds it itself."""
    view.streams_request_body = True
    return view


def _wsgi_bytes(value: str) -> bytes:
    """A WSGI string back to the bytes that came off the wire (PEP 3333: latin-1)."""
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:  # already decoded text (a test client); judge its characters
        return value.encode("utf-8", "surrogatepass")


def _path_and_query(request) -> tuple[bytes, bytes]:
    """The request target, percent-encoded as the client sent it.

    gunicorn gives it whole (RAW_URI; REQUEST_URI elsewhere). Without it, the path is Django's
    decoded `path_info`, in which bytes that were not UTF-8 came back percent-encoded.
    """
    raw_uri = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw_uri:
        path, _separator, query = _wsgi_bytes(raw_uri).partition(b"?")
        return path, query
    query = request.META.get("QUERY_STRING", "")
    try:
        query_bytes = query.encode("iso-8859-1")
        query_bytes.decode("utf-8")
    except UnicodeError:  # a test client's decoded text
        query_bytes = query.encode("utf-8", "surrogatepass")
    return request.path_info.encode("utf-8", "surrogatepass"), query_bytes


def _is_clean_text(raw: bytes) -> bool:
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def body_limit(request) -> int:
    if request.content_type == "multipart/form-data":
        return settings.REQUEST_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def payload_too_large(limit: int):
    return error_response(
        _("The request body is too large; at most %(kilobytes)d KB are accepted here.") % {"kilobytes": limit // 1024},
        "payload_too_large",
        413,
    )


def _bad_encoding(message: str):
    return error_response(message, "invalid_encoding", 400)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Before LocaleMiddleware: a refusal is worded in the request's language here.
        with translation.override(translation.get_language_from_request(request)):
            refusal = self.refusal(request)
        return refusal or self.get_response(request)

    def refusal(self, request):
        path, query = _path_and_query(request)
        if len(path) + len(query) > settings.REQUEST_MAX_URL_BYTES:
            return error_response(
                _("The URL is too long; at most %(bytes)d bytes are accepted.")
                % {"bytes": settings.REQUEST_MAX_URL_BYTES},
                "uri_too_long",
                414,
            )
        if not _is_clean_text(unquote_to_bytes(path)):
            return _bad_encoding(_("The path is not valid UTF-8 text, or holds a NUL character."))
        if not _is_clean_text(unquote_to_bytes(query.replace(b"+", b" "))):
            return _bad_encoding(_("The query string is not valid UTF-8 text, or holds a NUL character."))
        for name, value in request.META.items():
            if not (name.startswith("HTTP_") or name in ("CONTENT_TYPE", "CONTENT_LENGTH")) or not isinstance(
                value, str
            ):
                continue
            raw = _wsgi_bytes(value)
            if len(raw) > settings.REQUEST_MAX_HEADER_BYTES:
                return error_response(
                    _("A header field is too large; at most %(bytes)d bytes are accepted.")
                    % {"bytes": settings.REQUEST_MAX_HEADER_BYTES},
                    "header_too_large",
                    431,
                )
            if not _is_clean_text(raw):
                header = name.removeprefix("HTTP_").replace("_", "-").title()
                return _bad_encoding(
                    _("The %(header)s header is not valid UTF-8 text, or holds a NUL character.") % {"header": header}
                )
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "streams_request_body", False):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(_("The Content-Length header is not a number."), "bad_request", 400)
        limit = body_limit(request)
        if length > limit:
            return payload_too_large(limit)
        return None
