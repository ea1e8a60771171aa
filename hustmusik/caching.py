"""Response caching helpers shared by the cached read endpoints."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

BYPASS_DIRECTIVES = ("no-cache", "no-store", "max-age=0")


def wants_fresh(request) -> bool:
    """The client asked for fresh data (`Cache-Control: no-cache`, `no-store` or `max-age=0`)."""
    header = request.headers.get("Cache-Control", "").lower().replace(" ", "")
    return any(directive in header.split(",") for directive in BYPASS_DIRECTIVES)


def cache_key(*parts) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:40]
    return f"answer:{digest}"


def cached_answer(request, key: str, compute: Callable[[], dict], *, timeout: int | None = None) -> dict:
    """The cached answer for `key`, or a fresh one (stored for the next caller)."""
    if not wants_fresh(request):
        hit = cache.get(key)
        if hit is not None:
            return hit
    answer = compute()
    cache.set(key, answer, settings.RESPONSE_CACHE_SECONDS if timeout is None else timeout)
    return answer
