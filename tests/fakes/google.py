"""A fake Google OAuth 2.0 / OpenID Connect provider on loopback, for tests.

It speaks the parts of Google's protocol that django-allauth uses: the authorize
endpoint (consent is automatic), the token endpoint (authorization code + PKCE),
and the certificates endpoint (x509 PEM per `kid`). Keys are generated per run.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.fakes.loopback import LoopbackServer

ISSUER = "https://accounts.google.com"


@functools.lru_cache(maxsize=2)
def _new_key_and_cert(purpose: str):
    """An RSA key and its self-signed certificate, made once per test run and purpose."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-google")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


class FakeGoogle(LoopbackServer):
    def __init__(self, client_id: str, client_secret: str):
        self.client_id = client_id
        self.client_secret = client_secret
        self.kid = secrets.token_hex(8)
        self.key, self.cert_pem = _new_key_and_cert("signing")
        self.other_key, _ = _new_key_and_cert("forgery")  # same kid, wrong key
        self.profile = {"sub": "1000001", "email": "listener@gmail.com", "email_verified": True, "name": "Google Fan"}
        self.pending: dict[str, dict] = {}  # authorization code -> request details
        self.token_requests: list[dict] = []
        self._start_server()

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/o/oauth2/v2/auth"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    @property
    def certs_url(self) -> str:
        return f"{self.base_url}/oauth2/v1/certs"

    # --- tokens -----------------------------------------------------------------------

    def id_token(self, *, key=None, kid=None, algorithm="RS256", **overrides) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": self.client_id,
            "azp": self.client_id,
            "iat": now,
            "exp": now + 3600,
            **self.profile,
            **overrides,
        }
        signing_key = None if algorithm == "none" else (key or self.key)
        return jwt.encode(claims, signing_key, algorithm=algorithm, headers={"kid": kid or self.kid})

    # --- HTTP -------------------------------------------------------------------------

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict):
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/oauth2/v1/certs":
                    return self._json(200, {fake.kid: fake.cert_pem})
                if url.path == "/o/oauth2/v2/auth":
                    if query.get("client_id") != fake.client_id or query.get("response_type") != "code":
                        return self._json(400, {"error": "invalid_request"})
                    code = secrets.token_urlsafe(16)
                    fake.pending[code] = query
                    location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path != "/token":
                    return self._json(404, {"error": "not_found"})
                fake.token_requests.append(form)
                request = fake.pending.pop(form.get("code", ""), None)
                if (
                    request is None
                    or form.get("client_id") != fake.client_id
                    or form.get("client_secret") != fake.client_secret
                    or form.get("redirect_uri") != request["redirect_uri"]
                ):
                    return self._json(400, {"error": "invalid_grant"})
                if request.get("code_challenge"):
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != request["code_challenge"]:
                        return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return self._json(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(24),
                        "expires_in": 3599,
                        "token_type": "Bearer",
                        "scope": request.get("scope", ""),
                        "id_token": fake.id_token(),
                    },
                )

        return Handler
