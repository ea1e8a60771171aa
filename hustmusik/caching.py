"""Response caching shared by the cached read endpoints (search answers, catalogue reads).

An answer is cached under a key naming everything it depends on: the host (answers hold
absolute URLs), the request, who asks as far as visibility goes, and the language it is
written in (no English answer is ever served to a Vietnamese request, nor the reverse). `Cache-Control:
no-cache` (or `no-store`, `max-age=0`) from the client skips the cached answer and stores the
fresh one. Catalogue answers also carry the catalogue's version, which every catalogue write
bumps, so a write is seen by the next read. The cache being down never fails a read: the
answer is computed as if nothing were cached.
"""

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter

from hustmusik.errors import CACHE_UNAVAILABLE_ERRORS

logger = logging.getLogger("hustmusik.caching")

BYPASS_DIRECTIVES = ("no-cache", "no-store", "max-age=0")
CATALOGUE_VERSION_KEY = "catalogue:version"
CACHE_HEADER = OpenApiParameter(
    "Cache-Control", str, OpenApiParameter.HEADER, required=False, description="`no-cache` skips the cached answer."
)


def wants_fresh(request) -> bool:
    """The client asked for fresh data (`Cache-Control: no-cache`, `no-store` or `max-age=0`)."""
    header = request.headers.get("Cache-Control", "").lower().replace(" ", "")
    return any(directive in header.split(",") for directive in BYPASS_DIRECTIVES)


def viewer_scope(request) -> str:
    """Who is asking, as far as visibility goes (private collections show to their owner and admins)."""
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    return "admin" if user.has_admin_role else f"user:{user.pk}"


def cache_key(*parts) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:40]
    return f"answer:{digest}"


def cached_answer(request, key: str, compute: Callable[[], dict], *, timeout: int | None = None) -> dict:
    """The cached answer for `key`, or a fresh one (stored for the next caller)."""
    if not wants_fresh(request):
        try:
            hit = cache.get(key)
        except CACHE_UNAVAILABLE_ERRORS as error:
            logger.warning("Response cache unavailable, answering uncached: %s", error)
            return compute()
        if hit is not None:
            return hit
    answer = compute()
    try:
        cache.set(key, answer, settings.RESPONSE_CACHE_SECONDS if timeout is None else timeout)
    except CACHE_UNAVAILABLE_ERRORS as error:
        logger.warning("Response cache unavailable, answer not stored: %s", error)
    return answer


# --- the catalogue ---------------------------------------------------------------------------


def catalogue_version() -> int:
    version = cache.get(CATALOGUE_VERSION_KEY)
    if version is None:
        # A clock value, never 1: a version lost with its cache must not name answers of the past.
        cache.add(CATALOGUE_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(CATALOGUE_VERSION_KEY)
    return version


def versioned_answer(request, key_parts: tuple, compute: Callable[[], dict]) -> dict:
    """`cached_answer` under the catalogue's current version: the next catalogue write retires it."""
    try:
        version = catalogue_version()
    except CACHE_UNAVAILABLE_ERRORS as error:
        logger.warning("Response cache unavailable, answering uncached: %s", error)
        return compute()
    return cached_answer(request, cache_key(*key_parts, translation.get_language(), version), compute)


def catalogue_answer(request, compute: Callable[[], dict]) -> dict:
    """`versioned_answer` for a public catalogue read, when CATALOGUE_CACHE is on."""
    if not settings.CATALOGUE_CACHE:
        return compute()
    # Per caller: a few answers depend on who asks (`?managed=`, private releases of a song).
    caller = request.user.pk if request.user.is_authenticated else "anonymous"
    return versioned_answer(request, ("catalogue", request.build_absolute_uri(), caller), compute)


def catalogue_changed() -> None:
    """Retire every cached catalogue answer once the current transaction commits."""
    transaction.on_commit(_bump_catalogue_version)


def _bump_catalogue_version() -> None:
    try:
        try:
            cache.incr(CATALOGUE_VERSION_KEY)
        except ValueError:  # no version yet: nothing cached under one either
            pass
    except CACHE_UNAVAILABLE_ERRORS as error:
        # The write has committed; failing its answer now would only mislead. Cached answers
        # expire within RESPONSE_CACHE_SECONDS.
        logger.error("Could not retire cached catalogue answers: %s", error)
