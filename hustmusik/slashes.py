"""Every /v1 path answers the same with or without its trailing slash, for every method.

Clients disagree on slashes (the web client posts to `/v1/collection/`, a reference
document names `/v1/user/forgot-password/`); a redirect would lose a POST body. So the
catch-all route of /v1, reached only when no route matched, tries the other spelling and
serves it in place; a path that matches neither is a JSON 404. Routed requests pay nothing.
"""

from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt

from hustmusik.errors import api_not_found


@csrf_exempt  # every /v1 view is csrf-exempt (bearer tokens, signed URLs); an unknown path is a 404, never a CSRF page
def api_fallback(request, *args, **kwargs):
    path = request.path_info
    other = path[:-1] if path.endswith("/") else f"{path}/"
    try:
        match = resolve(other)
    except Resolver404:
        match = None
    if match is None or match.func is api_fallback:
        return api_not_found(request)
    script_prefix = request.path[: len(request.path) - len(path)]
    request.path_info, request.path = other, f"{script_prefix}{other}"
    request.resolver_match = match
    return match.func(request, *match.args, **match.kwargs)
