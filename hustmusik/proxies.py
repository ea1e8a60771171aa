"""Who is calling: the client address as far as the configured proxies can be trusted.

`NUM_PROXIES` (settings, from the environment) says how many proxies in front of the app
servers append to `X-Forwarded-For`. With 0, the default, the socket's address is the client
and anything a client writes in `X-Forwarded-For` is ignored; with N, the address the
outermost trusted proxy saw. Throttles, access logs and request ids all ask here.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def behind_trusted_proxy() -> bool:
    """Whether headers such as X-Request-ID come from our own proxy rather than from the client."""
    return settings.NUM_PROXIES > 0
