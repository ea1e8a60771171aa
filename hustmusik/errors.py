"""The one error envelope of the API, for every error DRF or Django can raise.

    {"error": "<one human sentence>", "code": "<snake_case>", "fields": {...}}

`fields` appears on validation errors only; 429 answers add `retryAfter`. The sentences are in
the request's language (English or Vietnamese); the codes and field names never change.
"""

from __future__ import annotations

import logging
import math
import re
from contextlib import contextmanager

import psycopg
from django.apps import apps
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

logger = logging.getLogger("hustmusik.errors")

# Outages of PostgreSQL or Redis are answered 503, not 500; psycopg's own errors are what
# libraries that wrap the connection (Procrastinate's "Database error.") carry as their cause.
CACHE_UNAVAILABLE_ERRORS = (RedisConnectionError, RedisTimeoutError)
SERVICE_UNAVAILABLE_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    *CACHE_UNAVAILABLE_ERRORS,
)

API_PATH_PREFIX = "/v1/"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("The request could not be understood.")
    default_code = "bad_request"


def client_error_for(exc: BaseException) -> exceptions.APIException | None:
    """The API error answering an exception Django raises for a malformed request, if it is one."""
    if isinstance(exc, RequestDataTooBig):  # a body (or multipart field) past DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a bad host, a tampered path...
        return BadRequest()
    return None


class ApiError(exceptions.APIException):
    """An error with its own code and status: `raise ApiError("...", code="email_taken", status=409)`."""

    def __init__(self, message: str, *, code: str, status: int = status.HTTP_400_BAD_REQUEST):
        self.status_code = status
        super().__init__(detail=message, code=code)


def error_body(message: str, code: str, fields: dict | None = None, **extra) -> dict:
    body = {"error": message, "code": code}
    if fields is not None:
        body["fields"] = fields
    body.update(extra)
    return body


def error_response(message: str, code: str, status_code: int, **extra) -> JsonResponse:
    """The envelope as a plain Django response, for code outside DRF views."""
    return JsonResponse(error_body(message, code, **extra), status=status_code)


@contextmanager
def fields_renamed(names: dict[str, str]):
    """Report validation errors under the names the client sent: `fields_renamed({"password": "new_password"})`.

    A service names its fields once; an endpoint whose clients call them otherwise renames them here.
    """
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(name, name): errors for name, errors in error.error_dict.items()}
        ) from None
    except exceptions.ValidationError as error:
        if not isinstance(error.detail, dict):
            raise
        raise exceptions.ValidationError(
            {names.get(name, name): errors for name, errors in error.detail.items()}
        ) from None


# --- DRF ------------------------------------------------------------------------


# Django's get_object_or_404 (which DRF's get_object uses) says "No Song matches the given query.",
# in English whatever the language: the answer names the model itself, translated.
DJANGO_NOT_FOUND = re.compile(r"^No (?P<object_name>\w+) matches the given query\.$")


def not_found_error(exc: Http404) -> exceptions.NotFound:
    match = DJANGO_NOT_FOUND.match(str(exc))
    if match is None:
        return exceptions.NotFound(*exc.args)
    models = [model for model in apps.get_models() if model._meta.object_name == match["object_name"]]
    if len(models) != 1:
        return exceptions.NotFound(_("The requested resource was not found."))
    return exceptions.NotFound(capfirst(_("%(object)s not found.") % {"object": models[0]._meta.verbose_name}))


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception of an API view ends here."""
    if isinstance(exc, Http404):
        exc = not_found_error(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif (client_error := client_error_for(exc)) is not None:
        exc = client_error

    if isinstance(exc, exceptions.APIException):
        set_rollback()
        body, headers = _api_exception_parts(exc)
        return Response(body, status=exc.status_code, headers=headers)

    set_rollback()
    return Response(_unexpected_error_body(exc, context.get("request")), status=_unexpected_status(exc))


def _api_exception_parts(exc: exceptions.APIException) -> tuple[dict, dict]:
    """The envelope and headers answering a DRF exception."""
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header

    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_validation_errors(exc.detail)
        body = error_body(_validation_sentence(fields), "validation_error", fields)
    elif isinstance(exc, exceptions.Throttled):
        retry_after = max(1, math.ceil(exc.wait or 1))
        headers["Retry-After"] = str(retry_after)
        message = ngettext(
            "Too many requests. Try again in %(seconds)d second.",
            "Too many requests. Try again in %(seconds)d seconds.",
            retry_after,
        ) % {"seconds": retry_after}
        body = error_body(message, "throttled", retryAfter=retry_after)
    else:
        body = error_body(*_message_and_code(exc))
    return body, headers


def _message_and_code(exc: exceptions.APIException) -> tuple[str, str]:
    detail = exc.detail
    if isinstance(detail, dict):  # simplejwt's InvalidToken carries {"detail", "code", "messages"}
        message = str(detail.get("detail") or exc.default_detail)
        code = str(detail.get("code") or exc.default_code)
        return message, code
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail) or str(exc.default_detail), str(exc.default_code)
    return str(detail), str(getattr(detail, "code", None) or exc.default_code)


def flatten_validation_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"field" or "parent.0.child": [messages]}."""
    key = prefix or "non_field_errors"
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for name, value in detail.items():
            child = f"{prefix}.{name}" if prefix else str(name)
            if name == "non_field_errors" and prefix == "":
                child = "non_field_errors"
            for field, messages in flatten_validation_errors(value, child).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {key: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if not item:
                continue
            child = f"{prefix}.{index}" if prefix else str(index)
            for field, messages in flatten_validation_errors(item, child).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {key: [str(detail)]}


def _validation_sentence(fields: dict[str, list[str]]) -> str:
    general = fields.get("non_field_errors")
    if general:
        return general[0]
    names = [name for name in fields if name != "non_field_errors"]
    if len(names) == 1 and len(fields[names[0]]) == 1:
        return _("Invalid value for %(field)s: %(message)s") % {"field": names[0], "message": fields[names[0]][0]}
    return _("Invalid value for %(fields)s.") % {"fields": ", ".join(names)}


def is_outage(exc: BaseException | None) -> bool:
    """Whether `exc`, or what it was raised from, says PostgreSQL or Redis is unreachable."""
    for _depth in range(8):  # a cause chain is short; a cycle must not hang the error handler
        if exc is None:
            return False
        if isinstance(exc, SERVICE_UNAVAILABLE_ERRORS):
            return True
        exc = exc.__cause__
    return False


def _unexpected_status(exc: BaseException) -> int:
    return status.HTTP_503_SERVICE_UNAVAILABLE if is_outage(exc) else 500


def _unexpected_error_body(exc: BaseException, request) -> dict:
    path = getattr(request, "path", "?")
    if is_outage(exc):
        logger.error("Backing service unavailable on %s: %s", path, exc)
        return error_body(_("The service is temporarily unavailable. Please retry shortly."), "service_unavailable")
    logger.error("Unhandled error on %s", path, exc_info=exc)
    return error_body(_("Something went wrong on our side."), "server_error")


# --- Django ---------------------------------------------------------------------


def is_api_path(path: str) -> bool:
    return path == "/" or path.startswith(API_PATH_PREFIX)


class ApiExceptionMiddleware:
    """JSON instead of HTML for exceptions raised outside DRF views on API paths.

    Applies whatever DEBUG says: an API client never gets a debug page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        if isinstance(exception, exceptions.APIException):
            body, headers = _api_exception_parts(exception)
            return JsonResponse(body, status=exception.status_code, headers=headers)
        if isinstance(exception, Http404):
            return error_response(_("The requested resource was not found."), "not_found", 404)
        if isinstance(exception, DjangoPermissionDenied):
            return error_response(_("You do not have permission to perform this action."), "permission_denied", 403)
        if (error := client_error_for(exception)) is not None:
            return error_response(str(error.detail), error.default_code, error.status_code)
        if isinstance(exception, DatabaseError) and not is_outage(exception):
            logger.error("Database error on %s", request.path, exc_info=exception)
            return error_response(_("Something went wrong on our side."), "server_error", 500)
        return JsonResponse(_unexpected_error_body(exception, request), status=_unexpected_status(exception))


def _json_or_default(default_view, message, code: str, status_code: int):
    def handler(request, *args, **kwargs):
        if is_api_path(request.path):
            return error_response(str(message), code, status_code)
        return default_view(request, *args, **kwargs)

    return handler


def make_error_handlers():
    """handler400/403/404/500 for the root URLconf: JSON on API paths, Django's pages elsewhere."""
    from django.views import defaults

    return {
        "handler400": _json_or_default(
            defaults.bad_request, gettext_lazy("The request could not be understood."), "bad_request", 400
        ),
        "handler403": _json_or_default(
            defaults.permission_denied,
            gettext_lazy("You do not have permission to perform this action."),
            "permission_denied",
            403,
        ),
        "handler404": _json_or_default(
            defaults.page_not_found, gettext_lazy("The requested resource was not found."), "not_found", 404
        ),
        "handler500": _json_or_default(
            defaults.server_error, gettext_lazy("Something went wrong on our side."), "server_error", 500
        ),
    }


@csrf_exempt  # an unknown path is a 404 whatever the method, never a CSRF page
def api_not_found(request, *args, **kwargs):
    """Catch-all for unknown paths under /v1/ (answers JSON even with DEBUG on)."""
    return error_response(_("The requested resource was not found."), "not_found", 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the envelope on API paths (the API itself uses bearer tokens, not cookies)."""
    if is_api_path(request.path):
        return error_response(_("The request was refused (CSRF check failed)."), "csrf_failed", 403)
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason=reason)
