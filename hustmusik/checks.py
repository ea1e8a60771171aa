"""A deployment that refuses to run unsafe.

With DEBUG off, public values must not sign or verify anything: ZaloPay's public sandbox keys
(anyone can MAC a callback with key2 and buy Premium for free) unless `ZALOPAY_SANDBOX=1` says
the deployment is a sandbox on purpose, and the development SECRET_KEY (or JWT key). The same
list is a system check (`manage.py check`, `check --deploy`, `runserver`) and stops the WSGI and
ASGI applications from loading (`refuse_unsafe_deployment`), so gunicorn does not start.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


def default_secrets_in_use() -> list[str]:
    """What in the configuration is a public default where a secret belongs (empty with DEBUG on)."""
    if settings.DEBUG:
        return []
    problems = []
    sandbox = settings.ZALOPAY_SANDBOX_APP
    public_keys = [name for name in ("KEY1", "KEY2") if getattr(settings, f"ZALOPAY_{name}") == sandbox[name]]
    if public_keys and not settings.ZALOPAY_SANDBOX:
        names = " and ".join(f"ZALOPAY_{name}" for name in public_keys)
        problems.append(
            f"{names} {'is' if len(public_keys) == 1 else 'are'} ZaloPay's public sandbox key: anyone can sign a "
            "payment callback with it. Set ZALOPAY_APP_ID, ZALOPAY_KEY1 and ZALOPAY_KEY2 to your merchant app's, "
            "or ZALOPAY_SANDBOX=1 if this deployment is a sandbox on purpose."
        )
    if settings.SECRET_KEY == settings.INSECURE_DEVELOPMENT_SECRET_KEY:
        problems.append("SECRET_KEY is the public development key. Set SECRET_KEY to a long random secret.")
    if settings.SIMPLE_JWT["SIGNING_KEY"] == settings.INSECURE_DEVELOPMENT_SECRET_KEY:
        problems.append(
            "JWT_SIGNING_KEY is the public development key. Set it (or SECRET_KEY) to a long random secret."
        )
    return problems


@register(Tags.security)
def check_default_secrets(app_configs=None, **kwargs):
    return [Error(problem, id="hustmusik.E001") for problem in default_secrets_in_use()]


@register(Tags.security, deploy=True)
def check_proxy_count(app_configs=None, **kwargs):
    if settings.BEHIND_TLS_PROXY and settings.NUM_PROXIES == 0:
        return [
            Warning(
                "BEHIND_TLS_PROXY is on but NUM_PROXIES is 0: every request seems to come from the proxy, so all "
                "clients share one throttle budget and the logs show the proxy's address.",
                hint="Set NUM_PROXIES to the number of proxies that append to X-Forwarded-For (usually 1).",
                id="hustmusik.W001",
            )
        ]
    return []


def refuse_unsafe_deployment() -> None:
    """Raise at start-up when the configuration is unsafe: the server does not start."""
    problems = default_secrets_in_use()
    if problems:
        raise ImproperlyConfigured("Refusing to start with DEBUG off:\n- " + "\n- ".join(problems))
