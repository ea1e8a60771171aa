"""Hostile requests, generated for one operation of the OpenAPI document.

What an attacker sends and schema-bound fuzzing never does: bodies past the limits, nesting
100,000 deep, lone surrogates and bytes that are not UTF-8 (in the body, the query, the path
and the headers), NUL characters, wrong content types, broken multipart, over-long strings,
values of the wrong type and ids that are not ids. Every probe must be refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

BOUNDARY = "hostileBoundary7MA4YWxkTrZu0gW"
REQUESTS_SENT = {"count": 0}  # reported at the end of the run (tests/hostile/conftest.py)
MB = 1024 * 1024


@dataclass
class Probe:
    name: str
    path: str
    query: str = ""
    body: bytes | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Operation:
    method: str
    path: str  # as in the document, with {params}
    path_params: list[str]
    query_params: list[str]
    body_properties: dict[str, dict]  # property name -> its JSON schema, for operations taking a body
    takes_body: bool
    # The error schema its 4xx answers document: "Error" (the contract's envelope) or, for the
    # reference documents' own password API, "ReferenceError" ({"status": false, "error": {code, message}}).
    error_schema: str = "Error"

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def operations(document: dict) -> list[Operation]:
    """Every operation of the OpenAPI document."""
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            parameters = operation.get("parameters", [])
            content = operation.get("requestBody", {}).get("content", {})
            schema = _resolve(document, content.get("application/json", {}).get("schema", {}))
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    path_params=[p["name"] for p in parameters if p["in"] == "path"],
                    query_params=[p["name"] for p in parameters if p["in"] == "query"],
                    body_properties={
                        name: _resolve(document, prop) for name, prop in schema.get("properties", {}).items()
                    },
                    takes_body=bool(content),
                    error_schema=_error_schema(operation),
                )
            )
    return found


def _error_schema(operation: dict) -> str:
    documented = operation.get("responses", {}).get("400", {}).get("content", {}).get("application/json", {})
    return documented.get("schema", {}).get("$ref", "/Error").rsplit("/", 1)[-1]


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(document, schema["allOf"][0])
    return schema


# --- the probes -------------------------------------------------------------------------

ODD_IDS = [
    "0",
    "-1",
    "1e309",
    "9" * 64,
    "null",
    "undefined",
    "true",
    "%7B%7D",
    "%5B%5D",
    "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "..%5C..%5Cwindows",
    "'%20OR%201=1--",
    "%F0%9F%8E%B5",
    "00000000-0000-0000-0000-000000000000",
    str(uuid.UUID(int=0xDEADBEEF)),
    "x" * 300,
]
BAD_TEXT_IN_URL = {"not utf-8": "%FF%FE", "lone surrogate": "%ED%A0%80", "NUL": "a%00b"}
BAD_HEADERS = {
    # Header values as WSGI hands them over: the bytes off the wire, read as latin-1.
    "X-Forwarded-For": b"\xff\xfe".decode("latin-1"),
    "Cache-Control": b"no-cache\xed\xa0\x80".decode("latin-1"),
    "Accept-Language": "vi\x00en",
    "X-Padding": "a" * 100_000,
}
DEEP = 100_000


def id_like(param: str) -> bool:
    return param == "id" or param.endswith("_id") or param.endswith("id")


def fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def json_probe(name: str, path: str, text: str | bytes, content_type: str = "application/json") -> Probe:
    body = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return Probe(name, path, body=body, content_type=content_type)


def multipart(parts: list[tuple[str, bytes]], boundary: str = BOUNDARY, closing: bool = True) -> bytes:
    chunks = []
    for headers, content in parts:
        chunks.append(f"--{boundary}\r\n{headers}\r\n\r\n".encode() + content + b"\r\n")
    if closing:
        chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks)


def field_part(name: str, value: bytes) -> tuple[str, bytes]:
    return f'Content-Disposition: form-data; name="{name}"', value


def probes_for(operation: Operation, real_ids: dict[str, str]) -> list[Probe]:
    path = fill(operation.path, real_ids)
    probes = [*_request_probes(operation, path, real_ids)]
    if operation.takes_body:
        probes += _body_probes(operation, path)
    return probes


def _request_probes(operation: Operation, path: str, real_ids: dict[str, str]):
    """Refused whatever the operation does with its input: sizes, encodings, ids."""
    yield json_probe("10 MB JSON body", path, '{"email": "' + "a" * (10 * MB) + '@x.y"}')
    yield Probe(
        "12 MB multipart body",
        path,
        body=multipart([field_part("title", b"a" * (12 * MB))]),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    yield Probe("10 MB unknown body", path, body=b"\x00" * (10 * MB), content_type="application/octet-stream")
    yield Probe("URL over 4 KB", path, query="pad=" + "a" * 5000)
    for name in operation.query_params or ["q"]:
        for what, text in BAD_TEXT_IN_URL.items():
            yield Probe(f"{what} in query {name}", path, query=f"{name}={text}")
    for header, value in BAD_HEADERS.items():
        yield Probe(f"bad {header} header", path, headers={header: value})
    for what, text in BAD_TEXT_IN_URL.items():
        if operation.path_params:
            for param in operation.path_params:
                yield Probe(f"{what} in path {param}", fill(operation.path, {**real_ids, param: text}))
        else:
            yield Probe(f"{what} in path", path.rstrip("/") + "/" + text)
    for param in operation.path_params:
        if id_like(param):
            for odd in ODD_IDS:
                yield Probe(f"odd {param} {odd[:20]!r}", fill(operation.path, {**real_ids, param: odd}))


def _odd_values(schema: dict) -> list[str]:
    """JSON texts of values a property of this schema must refuse."""
    kind = schema.get("type")
    if schema.get("format") == "binary":
        return ['"not a file"', "[]", "{}", "true"]
    if kind == "string":
        return ["[]", '{"$gt": ""}', "true", '["a", "b"]']
    if kind in ("integer", "number"):
        return ['"twelve"', "[]", "{}", "true", "1e309", "1" + "0" * 5000]
    if kind == "array":
        return ['"x"', "{}", "[[[[]]]]", "[null]"]
    if kind == "boolean":
        return ['"maybe"', "[]", "{}"]
    return ["[]", '"x"', "[[[[]]]]"]


def _body_probes(operation: Operation, path: str):
    """Refused by the parser, or by the operation's validation."""
    yield json_probe("JSON nested 100,000 deep", path, "[" * DEEP + "]" * DEEP)
    yield json_probe("JSON object nested 100,000 deep", path, '{"a":' * DEEP + "1" + "}" * DEEP)
    yield json_probe("JSON nested 40 deep", path, '{"title": ' + "[" * 40 + "]" * 40 + "}")
    yield json_probe("truncated JSON", path, '{"email": "a@b.c", ')
    yield json_probe("JSON that is not UTF-8", path, b'{"email": "\xff\xfe@x.y"}')
    yield json_probe("JSON NaN", path, '{"email": NaN}')
    yield json_probe("UTF-16 JSON", path, '{"email": "a@b.c"}'.encode("utf-16"), "application/json; charset=utf-16")
    for text in ("[]", '"text"', "123", "null", "true", "[" + '{"a": 1},' * 1000 + "{}]"):
        yield json_probe(f"JSON body {text[:10]}", path, text)
    yield json_probe("lone surrogate in a key", path, '{"\\udfff": "x"}')
    for name, schema in operation.body_properties.items():
        yield json_probe(f"lone surrogate in {name}", path, f'{{"{name}": "\\ud800@x.y"}}')
        yield json_probe(f"NUL in {name}", path, f'{{"{name}": "a\\u0000b"}}')
        if schema.get("type") == "string" or schema.get("format") == "binary":
            yield json_probe(f"over-long {name}", path, f'{{"{name}": "{"x" * 100_000}"}}')
        for odd in _odd_values(schema):
            yield json_probe(f"{name} as {odd[:12]}", path, f'{{"{name}": {odd}}}')
        yield Probe(
            f"form {name} not UTF-8",
            path,
            body=f"{name}=%FF%FE".encode(),
            content_type="application/x-www-form-urlencoded",
        )
        yield Probe(
            f"form {name} with NUL",
            path,
            body=f"{name}=a%00b".encode(),
            content_type="application/x-www-form-urlencoded",
        )
        yield Probe(
            f"multipart {name} not UTF-8",
            path,
            body=multipart([field_part(name, b"\xff\xfe\xed\xa0\x80")]),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
    for content_type, body in (
        ("text/plain", b"email=a@b.c"),
        ("application/xml", b"<email>a@b.c</email>"),
        ("application/octet-stream", b"\x00\x01"),
        ("image/png", b"\x89PNG\r\n"),
    ):
        yield Probe(f"wrong content type {content_type}", path, body=body, content_type=content_type)
    yield from _broken_multipart(path)


def _broken_multipart(path: str):
    multi = f"multipart/form-data; boundary={BOUNDARY}"
    title = field_part("title", b"x")
    yield Probe("multipart without boundary", path, body=multipart([title]), content_type="multipart/form-data")
    yield Probe(
        "multipart with an empty boundary", path, body=multipart([title]), content_type="multipart/form-data; boundary="
    )
    yield Probe("multipart cut short", path, body=multipart([title], closing=False)[:-7], content_type=multi)
    yield Probe("multipart of garbage", path, body=b"\x00\xff" * 500, content_type=multi)
    yield Probe(
        "multipart part without headers",
        path,
        body=f"--{BOUNDARY}\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode(),
        content_type=multi,
    )
    yield Probe(
        "multipart base64 gone wrong",
        path,
        content_type=multi,
        body=multipart(
            [
                (
                    'Content-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n'
                    "Content-Transfer-Encoding: base64",
                    b"!!!not base64!!!",
                ),
            ]
        ),
    )
    yield Probe(
        "multipart image that is not one",
        path,
        content_type=multi,
        body=multipart(
            [
                (
                    'Content-Disposition: form-data; name="file"; filename="../../../etc/passwd\x00.png"\r\nContent-Type: image/png',
                    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                ),
            ]
        ),
    )
    yield Probe(
        "multipart with 1,001 fields",
        path,
        content_type=multi,
        body=multipart([field_part(f"f{n}", b"x") for n in range(1001)]),
    )
    yield Probe(
        "multipart with a NUL field name", path, content_type=multi, body=multipart([field_part("ti\x00tle", b"x")])
    )
