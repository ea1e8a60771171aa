"""Every /v1 path answers the same with or without its trailing slash, for every method.

Clients disagree on slashes (the web client posts to `/v1/collection/`, a reference
document names `/v1/user/forgot-password/`); a redirect would lose a POST body, so the
request is routed to the other spelling in place when only that one names a route.
"""

from django.urls import Resolver404, resolve

from hustmusik.errors import API_PATH_PREFIX, api_not_found


def _routes(path: str) -> bool:
    try:
        return resolve(path).func is not api_not_found
    except Resolver404:
        return False


class OptionalTrailingSlashMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(API_PATH_PREFIX) and len(path) > len(API_PATH_PREFIX) and not _routes(path):
            other = path[:-1] if path.endswith("/") else f"{path}/"
            if _routes(other):
                script_prefix = request.path[: len(request.path) - len(path)]
                request.path_info, request.path = other, f"{script_prefix}{other}"
        return self.get_response(request)
