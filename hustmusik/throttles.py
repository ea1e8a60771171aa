"""Throttles backed by the default cache (local memory, or Redis when REDIS_URL is set).

Each view names its bucket with `throttle_scope`; the rate comes from the throttle's
`scope` in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], so sign-in and sign-up count apart.
"""

import hashlib
import re

from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])")
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_address(request) -> str:
    """The client's address as the throttles count it (REMOTE_ADDR, or X-Forwarded-For per NUM_PROXIES)."""
    return BaseThrottle().get_ident(request)


class _ViewScopedThrottle(SimpleRateThrottle):
    def parse_rate(self, rate):
        """DRF's "10/min", plus a period multiplier: "30/15m" is 30 per 15 minutes."""
        if rate is None:
            return (None, None)
        match = RATE.match(rate)
        if not match:
            raise ValueError(f"Invalid throttle rate {rate!r}")
        count, multiplier, unit = match.groups()
        return int(count), int(multiplier or 1) * PERIOD_SECONDS[unit]
    def get_cache_key(self, request, view):
        ident = self.get_identity(request, view)
        if ident is None:
            return None
        bucket = f"{self.scope}:{getattr(view, 'throttle_scope', view.__class__.__name__)}"
        # Hashed: an identity may be any length or alphabet (emails, tokens); cache keys may not.
        digest = hashlib.sha256(str(ident).encode()).hexdigest()[:32]
        return self.cache_format % {"scope": bucket, "ident": digest}

    def get_identity(self, request, view):  # pragma: no cover - abstract
        raise NotImplementedError


class PerIPThrottle(_ViewScopedThrottle):
    """Counts requests per client address."""

    scope = "auth_ip"

    def get_identity(self, request, view):
        return self.get_ident(request)


class PerAccountThrottle(_ViewScopedThrottle):
    """Counts requests per account, whatever address they come from.

    The account is what the view's `throttle_account(request)` returns, by default
    the email in the body, case-folded; requests naming no account are not counted here.
    """

    scope = "auth_account"

    def get_identity(self, request, view):
        account = view.throttle_account(request) if hasattr(view, "throttle_account") else None
        if account is None:
            email = request.data.get("email") if hasattr(request.data, "get") else None
            account = email.strip().casefold() if isinstance(email, str) and email.strip() else None
        return account


class PerObjectThrottle(_ViewScopedThrottle):
    """Counts requests per object of the URL (`view.kwargs[lookup]`), whoever sends them."""

    scope = "per_object"

    def get_identity(self, request, view):
        return view.kwargs.get(getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk"))
