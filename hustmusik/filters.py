from django_filters.rest_framework import DjangoFilterBackend


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
