"""The body parsers of the API: DRF's, refusing what no field of ours can hold.

- JSON nested deeper than MAX_JSON_DEPTH (a document nested 100,000 deep would otherwise end in
  a RecursionError, in the parser or in whatever walks the data next);
- text that is not Unicode: lone surrogates in JSON (`"\\ud800"` is valid JSON escaping but
  cannot be encoded, hashed, logged or stored), bytes that are not UTF-8 in a form;
- NUL characters (PostgreSQL text cannot hold them).
Each is a 400 in the error envelope, like any other unparsable body.
"""

import codecs
import io
from urllib.parse import unquote_to_bytes

from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        if codecs.lookup(encoding).name != "utf-8":  # RFC 8259: JSON between systems is UTF-8
            raise json_error(_("JSON must be UTF-8, not %(encoding)s.") % {"encoding": encoding})
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise json_error(too_deep()) from None
        except ParseError as error:  # DRF's "JSON parse error - <the decoder's own words>"
            raise json_error(str(error.detail).removeprefix("JSON parse error - ")) from None
        problem = json_value_problem(data)
        if problem:
            raise json_error(problem)
        return data


def json_error(problem: str) -> ParseError:
    return ParseError(_("JSON parse error - %(problem)s") % {"problem": problem})


def multipart_error(problem: str) -> ParseError:
    return ParseError(_("Multipart form parse error - %(problem)s") % {"problem": problem})


def not_utf8() -> str:
    return _("the text is not valid UTF-8.")


def too_deep() -> str:
    return _("nested deeper than %(levels)d levels.") % {"levels": MAX_JSON_DEPTH}


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("Form parse error - %(problem)s") % {"problem": not_utf8()}) from None
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        watched = _TailWatcher(stream)
        parsed = super().parse(watched, media_type, parser_context)
        boundary = parse_header_parameters(media_type or "")[1].get("boundary", "")
        # Django's parser keeps what it read of a body cut short (a client gone mid-upload).
        if not watched.tail.rstrip(b"\r\n").endswith(f"--{boundary}--".encode()):
            raise multipart_error(_("the body does not end with its closing boundary."))
        for name, values in parsed.data.lists():
            for text in (name, *values):
                # Django decodes form fields with errors="replace": U+FFFD is what bytes that
                # were not UTF-8 became (no client types it).
                problem = text_problem(text) or (not_utf8() if "\ufffd" in text else None)
                if problem:
                    raise multipart_error(problem)
        return parsed


class _TailWatcher:
    """A stream passed through unchanged, remembering its last bytes."""

    KEEP = 128

    def __init__(self, stream):
        self.stream, self.tail = stream, b""

    def read(self, *args):
        chunk = self.stream.read(*args) if self.stream is not None else b""
        if chunk:
            self.tail = (self.tail + chunk)[-self.KEEP :]
        return chunk


def text_problem(text: str) -> str | None:
    """Why a decoded string cannot be accepted, or None."""
    if "\x00" in text:
        return _("NUL characters are not allowed.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("the text is not valid Unicode (lone surrogate).")
    return None


def json_value_problem(value) -> str | None:
    """Walk a parsed document without recursion; the first reason to refuse it, or None."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return problem
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            return too_deep()
        if isinstance(item, dict):
            for key, child in item.items():
                pending.append((key, depth))
                pending.append((child, depth + 1))
        else:
            pending.extend((child, depth + 1) for child in item)
    return None
