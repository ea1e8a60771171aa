from django.contrib import admin
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import BaseFilterBackend

from hustmusik.folding import prefix_tsquery


class QueryFilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the filter parameters.

    Building and validating the filter form for every request cost about a tenth of a song
    page; a view's selector gives the default order, so an unfiltered list needs none of it.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not any(name in request.query_params for name in filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


def matching_documents(queryset, term: str):
    """`queryset` narrowed to rows whose search document matches `term` (accent-folded, the last
    word a prefix), or None when the term has no words. The documents are the `search_vector`
    columns the search app keeps on songs, artists, collections and users."""
    tsquery = prefix_tsquery(term)
    if tsquery is None:
        return None
    table = queryset.model._meta.db_table
    matches = RawSQL(f'"{table}"."search_vector" @@ to_tsquery(\'simple\', %s)', [tsquery], BooleanField())
    return queryset.alias(search_match=matches).filter(search_match=True)


class FoldedAdminSearchMixin:
    """Admin search that ignores accents and case (`tinh` finds "Tình"), besides the admin's own
    `search_fields` lookups (emails, exact words)."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = matching_documents(queryset, search_term)
        if folded is None:
            return results, may_have_duplicates
        either = Q(pk__in=results.order_by().values("pk")) | Q(pk__in=folded.order_by().values("pk"))
        return queryset.filter(either), False


class FoldedSearchFilter(BaseFilterBackend):
    """`?search=` on the lists of views with `folded_search = True`: search's accent-folded match.

    Uses the search documents (`search_vector`, kept by the search app's generated columns) of
    the view's table: every word must match, the last as a prefix; typo correction is left to
    /v1/search. Combines with the other filters, the ordering and the pagination.
    """

    param = "search"

    @staticmethod
    def applies(view) -> bool:
        return getattr(view, "folded_search", False) and not getattr(view, "detail", False)

    def filter_queryset(self, request, queryset, view):
        if not self.applies(view):
            return queryset
        matching = matching_documents(queryset, request.query_params.get(self.param, ""))
        return queryset if matching is None else matching

    def get_schema_operation_parameters(self, view):
        if not self.applies(view):
            return []
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Words to match, accents and case ignored; the last word may be a prefix.",
                "schema": {"type": "string", "maxLength": 200},
            }
        ]


def presence_filter(*, title: str, parameter_name: str, missing: Q, present_label: str, missing_label: str):
    """An admin list filter splitting rows on whether something is there (`missing` says when it is not)."""

    class PresenceFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            return (("yes", present_label), ("no", missing_label))

        def queryset(self, request, queryset):
            if self.value() == "yes":
                return queryset.exclude(missing)
            if self.value() == "no":
                return queryset.filter(missing)
            return queryset

    PresenceFilter.title, PresenceFilter.parameter_name = title, parameter_name
    return PresenceFilter
