from rest_framework.routers import Route, SimpleRouter

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class ApiRouter(SimpleRouter):
    """The v1 router: no trailing slashes, UUID lookups, and updates as the clients send them.

    `POST` on an item URL is a partial update, as is `PATCH`; `PUT` is not offered.
    """

    def __init__(self):
        super().__init__(trailing_slash=False)
        routes = []
        for route in self.routes:
            if isinstance(route, Route) and route.detail:
                route = route._replace(
                    mapping={
                        "get": "retrieve",
                        "post": "partial_update",
                        "patch": "partial_update",
                        "delete": "destroy",
                    }
                )
            routes.append(route)
        self.routes = routes
        # Ids are UUIDs: anything else is not an item URL (404, never a failed lookup).
        self._default_value_pattern = UUID_PATTERN
