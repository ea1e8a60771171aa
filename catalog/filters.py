import django_filters

from catalog.models import Song


class SongFilter(django_filters.FilterSet):
    genre = django_filters.CharFilter(field_name="genre", lookup_expr="iexact")
    artist = django_filters.UUIDFilter(field_name="credits__artist_id", label="Artist id (any credit).")
    ordering = django_filters.OrderingFilter(
        fields=(("views", "views"), ("release_date", "releasedate"), ("title", "title")),
        help_text="views, -views, releasedate, -releasedate, title or -title.",
    )

    class Meta:
        model = Song
        fields = ["genre", "artist"]

    @property
    def qs(self):
        # A stable order whatever the client asks for, so pages never overlap; without
        # `ordering`, the selector's (newest first).
        queryset = super().qs
        ordering = list(queryset.query.order_by)
        return queryset if "id" in ordering else queryset.order_by(*ordering, "id")
