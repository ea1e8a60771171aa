"""OpenAPI generation that describes the wire format as it really is, and explains itself.

- item answers wrapped in `{"data": ...}` where the view says so (`data_envelope`), examples too;
- the error envelope documented for every status an operation can answer, each with an example
  made by the code that answers it (`hustmusik.errors`);
- every operation's description ends with who may call it (read from its permissions) and what
  can go wrong (its error statuses, with the `code` values of their examples);
- distinct operation ids for `POST` and `PATCH` on item URLs (both partial updates).

Views give each operation a `summary`, a `description` and examples: `request_example`,
`answer_example`, and `documented_error("...", some_code="The sentence it answers.")`.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from drf_spectacular.drainage import warn
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_examples_list, force_instance, get_doc, is_serializer
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.permissions import AND, OR, AllowAny

from hustmusik.errors import api_exception_handler, api_not_found, error_body
from hustmusik.pagination import DEFAULT_LIMIT
from hustmusik.permissions import IsAdmin, IsArtistManager, IsOwner, IsSignedIn, ManagesObject
from hustmusik.request_guard import payload_too_large

BODY_METHODS = {"POST", "PUT", "PATCH"}
EXAMPLE_SERVER = "http://127.0.0.1:8000"  # where `make run` serves, in the examples' URLs
WHO_HEADING = "**Who may call it:**"
ERRORS_HEADING = "**What can go wrong**"
# What each permission means to a caller; a permission missing here is a schema warning.
WHO = {
    AllowAny: "anyone, signed in or not",
    IsSignedIn: "any signed-in user",
    IsAdmin: "an Admin",
    IsArtistManager: "an Artist Manager",
    IsOwner: "its owner",
    ManagesObject: "the Artist Manager who manages it",
}
# The partial update every item URL takes, by POST (what the clients send) or PATCH.
PARTIAL_UPDATE = (
    "Changes only the fields sent (POST and PATCH on the item's URL are the same partial update), "
    "as JSON or multipart/form-data; a picture is uploaded as the multipart field `file`. "
    "A body naming no known field is refused (400)."
)


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="One human sentence.")
    code = serializers.CharField(help_text="Machine-readable snake_case code.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field, on validation errors only.",
    )
    retryAfter = serializers.IntegerField(required=False, help_text="Seconds to wait, on 429 only.")


class MessageSerializer(serializers.Serializer):
    """`{"message": "<one human sentence>"}`: the answer of actions that return nothing else."""

    message = serializers.CharField()


def error_example(code: str, sentence: str, **extra) -> OpenApiExample:
    """The envelope with this `code` and sentence, as an example of an error answer."""
    return OpenApiExample(code, summary=code, value=error_body(sentence, code, **extra))


def example_of(exc: exceptions.APIException) -> OpenApiExample:
    """The envelope the API answers for `exc`, made by its exception handler."""
    body = api_exception_handler(exc, {}).data
    return OpenApiExample(body["code"], summary=body["code"], value=body)


def documented_error(description: str, *examples: OpenApiExample, **sentences: str) -> OpenApiResponse:
    """An error answer in the envelope, for `@extend_schema(responses={409: documented_error(...)})`:
    `documented_error("The email is taken.", email_taken="An account with this email already exists.")`;
    each keyword is a `code` the answer may carry, with its sentence."""
    examples = [*examples, *(error_example(code, sentence) for code, sentence in sentences.items())]
    return OpenApiResponse(ErrorSerializer, description=description, examples=examples)


def request_example(value, summary: str = "Request") -> OpenApiExample:
    return OpenApiExample(_example_name(summary), summary=summary, value=value, request_only=True)


def answer_example(value, summary: str = "Answer", *, status: int = 200) -> OpenApiExample:
    """An example of a successful answer; item answers are wrapped in `{"data": ...}` by the schema
    where the view wraps them, and list items in the page envelope."""
    return OpenApiExample(
        _example_name(summary), summary=summary, value=value, response_only=True, status_codes=[str(status)]
    )


def _example_name(summary: str) -> str:
    """The key of an example in the document: its summary's first words, without punctuation."""
    return "_".join(re.findall(r"[A-Za-z0-9]+", summary)[:6]) or "example"


ERROR_DESCRIPTIONS = {
    "400": "Invalid input, or a request that is not valid UTF-8 or holds a NUL character.",
    "401": "No credentials where they are needed, or a token that is invalid, expired or of an ended session.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found (or not visible to the caller).",
    "413": "The body is larger than accepted.",
    "415": "Unsupported body media type.",
    "429": "Too many requests; wait `Retry-After` seconds.",
}


class ApiAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        own = operation.get("description", "")
        if not operation.get("summary") or not own:
            warn(f"{self.method} {self.path} needs a summary and a description (extend_schema)")
        sections = [own, f"{WHO_HEADING} {self._who()}.", self._errors_section(operation["responses"])]
        operation["description"] = "\n\n".join(section for section in sections if section)
        return operation

    def get_description(self):
        # The operation's own text only: a class docstring describes the class, not each operation.
        return get_doc(getattr(self.view, getattr(self.view, "action", self.method.lower()), None))

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        if self.method == "POST" and self._is_item_path():
            # POST on an item URL is the clients' update; PATCH keeps `partial_update`.
            prefix = operation_id[: -len("_create")] if operation_id.endswith("_create") else operation_id
            return f"{prefix}_update"
        return operation_id

    def _get_paginator(self):
        # An item answer that is an array (GET /v1/artist/{id}) is not a page.
        if getattr(self.view, "action", None) == "retrieve":
            return None
        return super()._get_paginator()

    def _is_item_path(self) -> bool:
        return self.path.rstrip("/").endswith("}")

    def _wraps_in_data_envelope(self) -> bool:
        envelope = getattr(self.view, "data_envelope", False)
        if isinstance(envelope, bool):
            return envelope
        return getattr(self.view, "action", None) in envelope

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response" and self._wraps_in_data_envelope():
            for code, response in responses.items():
                if code.startswith("2"):
                    for media in response.get("content", {}).values():
                        media["schema"] = {
                            "type": "object",
                            "required": ["data"],
                            "properties": {"data": media["schema"]},
                        }
                        for example in media.get("examples", {}).values():
                            example["value"] = {"data": example["value"]}
        if direction == "response" and self._get_paginator():
            # The page envelope's example links to this list's own next page.
            for code, response in responses.items():
                for media in response.get("content", {}).values() if code.startswith("2") else ():
                    for example in media.get("examples", {}).values():
                        if isinstance(example["value"], dict) and example["value"].get("next"):
                            example["value"]["next"] = f"{EXAMPLE_SERVER}{self.path}?limit={DEFAULT_LIMIT}&page=2"
        if direction == "response":
            for code in self._error_codes():
                responses.setdefault(code, self._error_response(code))
            error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
            for code, response in responses.items():
                media = response.get("content", {}).get("application/json", {})
                if media.get("schema") == error_ref and not media.get("examples"):
                    media["examples"] = build_examples_list(self._generic_error_examples(code))
        return responses

    def _error_codes(self) -> list[str]:
        # Any request may be malformed (hustmusik.request_guard): 400 is possible everywhere.
        codes = ["400"]
        has_body = self.method in BODY_METHODS
        if self.view.get_authenticators():
            codes.append("401")
        if self.view.get_authenticators() and not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
        if has_body:
            codes.extend(["413", "415"])
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _error_response(self, code: str) -> dict:
        component = self.resolve_serializer(ErrorSerializer, "response")
        return {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": component.ref}},
        }

    def _signs_in(self) -> bool:
        return not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _generic_error_examples(self, code: str) -> list[OpenApiExample]:
        """What the API answers for this status when the view documents nothing more precise."""
        if code == "400":
            examples = [
                error_example("invalid_encoding", "The query string is not valid UTF-8 text, or holds a NUL character.")
            ]
            field = self._first_required_field()
            if field:
                examples.insert(0, example_of(exceptions.ValidationError({field: ["This field is required."]})))
            elif number := self._number_parameter():
                examples.insert(0, example_of(exceptions.ValidationError({number: ["A valid integer is required."]})))
            return examples
        if code == "401":
            invalid = [example_of(error) for error in self._token_errors()]
            return [example_of(exceptions.NotAuthenticated()), *invalid] if self._signs_in() else invalid
        if code == "403":
            # DRF answers with the refusing permission's message; a combination has none of its own.
            permissions = self.view.get_permissions()
            only = permissions[0] if len(permissions) == 1 and type(permissions[0]) is not IsSignedIn else None
            return [example_of(exceptions.PermissionDenied(getattr(only, "message", None)))]
        if code == "404":
            body = json.loads(api_not_found(None).content)
            return [error_example(body["code"], body["error"])]
        if code == "413":
            body = json.loads(payload_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).content)
            return [error_example(body["code"], body["error"])]
        if code == "415":
            return [example_of(exceptions.UnsupportedMediaType("text/plain"))]
        if code == "429":
            return [example_of(exceptions.Throttled(wait=59))]
        return []

    def _token_errors(self) -> list[exceptions.APIException]:
        """What the view's authentication raises for a bearer that is no valid token."""
        errors = []
        for authenticator in self.view.get_authenticators():
            validate = getattr(authenticator, "get_validated_token", None)
            if validate is None:
                continue
            try:
                validate(b"not-a-token")
            except exceptions.APIException as error:
                errors.append(error)
        return errors

    def _number_parameter(self) -> str | None:
        """`page` or `limit`, when the operation takes them (a page, or a `limit` of its own)."""
        if self._get_paginator() and self._is_list_view():
            return "page"
        names = [getattr(parameter, "name", None) for parameter in self.get_override_parameters()]
        return next((name for name in ("page", "limit") if name in names), None)

    def _first_required_field(self) -> str | None:
        if self.method not in BODY_METHODS:
            return None
        serializer = self.get_request_serializer()
        if isinstance(serializer, dict):
            serializer = next(iter(serializer.values()), None)
        serializer = force_instance(serializer)
        if not is_serializer(serializer) or not hasattr(serializer, "fields"):
            return None
        return next((name for name, field in serializer.fields.items() if field.required), None)

    def _who(self) -> str:
        permissions = self.view.get_permissions()
        who = " and ".join(self._who_of(permission) for permission in permissions) or WHO[AllowAny]
        if not self.view.get_authenticators():
            who = "anyone; no token needed (one sent is ignored)" if who == WHO[AllowAny] else who
        return who[0].upper() + who[1:]

    def _who_of(self, permission) -> str:
        if isinstance(permission, OR):
            return f"{self._who_of(permission.op1)} or {self._who_of(permission.op2)}"
        if isinstance(permission, AND):
            return f"{self._who_of(permission.op1)} who is also {self._who_of(permission.op2)}"
        if type(permission) not in WHO:
            warn(f"{self.method} {self.path}: say who {type(permission).__name__} lets in (hustmusik.schema.WHO)")
            return type(permission).__name__
        return WHO[type(permission)]

    def _errors_section(self, responses: dict) -> str:
        lines = []
        for status, response in sorted(responses.items()):
            if status.startswith("2"):
                continue
            examples = response.get("content", {}).get("application/json", {}).get("examples", {})
            codes = dict.fromkeys(_code_of(example.get("value")) for example in examples.values())
            named = "".join(f" `{code}`" for code in codes if code is not None)
            lines.append(f"- {status}{named}: {response['description']}")
        if not lines:
            return ""
        return f"{ERRORS_HEADING} (the status, then the `code` of each example):\n" + "\n".join(lines)


def _code_of(body):
    """The `code` of an error example: the envelope's, or a reference document's `error.code`."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    return error.get("code") if isinstance(error, dict) else body.get("code")
