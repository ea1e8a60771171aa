"""The one pagination of the API: `?page=` (from 1) and `?limit=` (default 10, clamped to 1..50).

Answers `{"count", "data", "page", "limit", "next", "previous", "total"}` (`total` repeats `count`:
the web client's playlists table pages by it).
"""

from __future__ import annotations

import json

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_PAGE = 100_000
# Past this many matches the count is PostgreSQL's estimate: an exact COUNT(*) over a million
# rows on every page costs more than the page itself, and no client pages that far.
EXACT_COUNT_UP_TO = 10_000
# DRF's own messages for integers, in the request's language.
INTEGER_MESSAGES = serializers.IntegerField.default_error_messages


def _int_param(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise serializers.ValidationError({name: [INTEGER_MESSAGES["invalid"]]}) from None


def page_and_limit(request, *, default_limit: int = DEFAULT_LIMIT, max_limit: int = MAX_LIMIT) -> tuple[int, int]:
    """Parse and check `page` and `limit`; shared by every paginated answer."""
    page = _int_param(request, "page", 1)
    if page < 1:
        raise serializers.ValidationError({"page": [INTEGER_MESSAGES["min_value"].format(min_value=1)]})
    if page > MAX_PAGE:
        raise serializers.ValidationError({"page": [INTEGER_MESSAGES["max_value"].format(max_value=MAX_PAGE)]})
    limit = min(max(_int_param(request, "limit", default_limit), 1), max_limit)
    return page, limit


class PageLimitPagination(BasePagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page, self.limit = page_and_limit(request, default_limit=self.default_limit, max_limit=self.max_limit)
        self.count = self.get_count(queryset)
        offset = (self.page - 1) * self.limit
        if offset >= self.count:
            return []
        return list(queryset[offset : offset + self.limit])

    def get_count(self, queryset) -> int:
        if not isinstance(queryset, QuerySet):
            return len(queryset)
        if not queryset.query.distinct:
            # Counting keys, unordered, lets PostgreSQL answer from an index alone.
            queryset = queryset.order_by().values("pk")
        # The SQL is built once for both statements: building it cost more than running them.
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            return 0
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {EXACT_COUNT_UP_TO + 1}) bounded", params)
            bounded = cursor.fetchone()[0]
            if bounded <= EXACT_COUNT_UP_TO:
                return bounded
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(int(plan[0]["Plan"]["Plan Rows"]), bounded)

    def get_paginated_response(self, data):
        return Response(self.envelope(data))

    def envelope(self, data) -> dict:
        """The one list envelope, around `data` (a list, or a dict holding it as search answers do)."""
        return {
            "count": self.count,
            "data": data,
            "page": self.page,
            "limit": self.limit,
            "next": self._page_link(self.page + 1) if self.page * self.limit < self.count else None,
            "previous": self._page_link(self.page - 1) if self.page > 1 else None,
            "total": self.count,
        }

    def paginate_counted(self, request, count_and_items) -> list:
        """For a view that fetches one page itself: parse page and limit, then take `(count, items)`
        from `count_and_items(limit, offset)`; returns the items for `envelope`."""
        self.request = request
        self.page, self.limit = page_and_limit(request, default_limit=self.default_limit, max_limit=self.max_limit)
        self.count, items = count_and_items(self.limit, (self.page - 1) * self.limit)
        return items

    def _page_link(self, page: int) -> str:
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, "limit", self.limit)
        return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "data"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "data": schema,
                "page": {"type": "integer", "example": 1},
                "limit": {"type": "integer", "example": DEFAULT_LIMIT},
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": f"http://127.0.0.1:8000/v1/song?limit={DEFAULT_LIMIT}&page=2",
                },
                "previous": {"type": "string", "nullable": True, "format": "uri", "example": None},
                "total": {"type": "integer", "example": 123, "description": "The same as `count`."},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"Items per page (clamped to 1..{self.max_limit}).",
                "schema": {"type": "integer", "default": self.default_limit},
            },
        ]
