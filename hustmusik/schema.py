"""OpenAPI generation that describes the wire format as it really is.

- item answers wrapped in `{"data": ...}` where the view says so (`data_envelope`);
- the error envelope documented for every status an operation can answer;
- distinct operation ids for `POST` and `PATCH` on item URLs (both partial updates).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

BODY_METHODS = {"POST", "PUT", "PATCH"}


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


def documented_error(description: str) -> OpenApiResponse:
    """An error answer in the envelope, for `@extend_schema(responses={409: documented_error("...")})`."""
    return OpenApiResponse(ErrorSerializer, description=description)


ERROR_DESCRIPTIONS = {
    "400": "Invalid input, or a request that is not valid UTF-8 or holds a NUL character.",
    "401": "Missing, invalid, expired or revoked credentials.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found (or not visible to the caller).",
    "413": "The body is larger than accepted (`payload_too_large`).",
    "415": "Unsupported body media type.",
    "429": "Too many requests; see `Retry-After`.",
}


class ApiAutoSchema(AutoSchema):
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
        if direction == "response":
            for code in self._error_codes():
                responses.setdefault(code, self._error_response(code))
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
