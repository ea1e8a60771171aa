"""The API's JSON renderer: DRF's JSON, written by orjson (the same bytes, several times faster)."""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

# What orjson leaves to its `default` (datetimes, so that they read as DRF writes them, `Z` for
# UTC; lazy translations, decimals, ...) goes through DRF's own encoder.
_drf_default = JSONEncoder().default
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)  # pretty printing asked for
        rendered = orjson.dumps(data, default=_drf_default, option=OPTIONS)
        # As DRF: U+2028 and U+2029 escaped, so that the JSON is also valid JavaScript.
        if b"\xe2\x80\xa8" in rendered or b"\xe2\x80\xa9" in rendered:
            rendered = rendered.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return rendered
