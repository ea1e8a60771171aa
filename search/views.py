from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hustmusik.caching import CACHE_HEADER, versioned_answer, viewer_scope
from hustmusik.pagination import PageLimitPagination, page_and_limit
from hustmusik.viewsets import DataEnvelopeMixin
from search import examples
from search.selectors import SEARCHES, Query
from search.serializers import HIT_SERIALIZERS, SearchOverviewSerializer

OVERVIEW_HITS = 5
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("limit", int, description="Items per page (clamped to 1..50)."),
]
TERM = OpenApiParameter(
    "term", str, OpenApiParameter.PATH, description="Words to look for; `+` or spaces separate them."
)
# What every search does with its term.
MATCHING = (
    'Accents and case do not matter (`chung ta` finds "Chúng Ta"), the last word matches as a prefix while '
    "typing, small typos are forgiven, and a song is found by its artists' names too. Best matches first, "
    "popularity breaking ties. Private collections show only to their owner and Admins."
)


class SearchView(DataEnvelopeMixin, APIView):
    """A few best hits of every kind."""

    permission_classes = [AllowAny]
    data_envelope = True

    @extend_schema(
        tags=["search"],
        summary="Search everything",
        description=f"A few ({OVERVIEW_HITS}) best hits of each kind: songs, artists, albums, playlists and "
        f"users. {MATCHING}",
        operation_id="search",
        parameters=[TERM, CACHE_HEADER],
        responses=SearchOverviewSerializer,
        examples=[examples.OVERVIEW],
    )
    def get(self, request, term):
        context = {"request": request}

        def compute():
            query = Query.parse(term)  # the vocabulary is read only when the answer is not cached
            hits = {}
            for kind, search in SEARCHES.items():
                items, _ = search(query, user=request.user, limit=OVERVIEW_HITS)
                hits[kind] = HIT_SERIALIZERS[kind](items, many=True, context=context).data
            return hits

        key = ("search", request.get_host(), Query.text_of(term), "overview", viewer_scope(request))
        return Response(versioned_answer(request, key, compute))


def kind_page_serializer(kind: str, serializer_class):
    """The documented page of one kind: the list envelope with `data` = `{kind: [...]}`, and `kind: [...]`."""
    hits = type(f"{kind.title()}Hits", (serializers.Serializer,), {kind: serializer_class(many=True)})
    fields = {
        "data": hits(),
        kind: serializer_class(many=True),
        "count": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "limit": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "total": serializers.IntegerField(),
    }
    return type(f"Search{kind.title()}Page", (serializers.Serializer,), fields)


def kind_view(kind: str):
    serializer_class = HIT_SERIALIZERS[kind]

    class SearchKindView(APIView):
        permission_classes = [AllowAny]

        @extend_schema(
            tags=["search"],
            summary=f"Search {kind}",
            description=f"Paginated; the hits are under `data.{kind}` (and `{kind}`, for one of the web client's "
            f"dialogs). {MATCHING}",
            operation_id=f"search_{kind}",
            parameters=[TERM, CACHE_HEADER, *PAGE_PARAMETERS],
            responses=kind_page_serializer(kind, serializer_class),
            examples=[examples.kind_page(kind)],
        )
        def get(self, request, term):
            page, limit = page_and_limit(request)

            def compute():
                query = Query.parse(term)  # the vocabulary is read only when the answer is not cached
                paginator = PageLimitPagination()

                def count_and_items(limit, offset):
                    items, count = SEARCHES[kind](query, user=request.user, limit=limit, offset=offset)
                    return count, items

                items = paginator.paginate_counted(request, count_and_items)
                hits = serializer_class(items, many=True, context={"request": request}).data
                # The list under data.<kind>, as the original service answered and the web client reads;
                # one of its dialogs reads <kind> at the top level.
                return {**paginator.envelope({kind: hits}), kind: hits}

            key = ("search", request.get_host(), Query.text_of(term), kind, page, limit, viewer_scope(request))
            return Response(versioned_answer(request, key, compute))

    SearchKindView.__name__ = SearchKindView.__qualname__ = f"Search{kind.title()}View"
    SearchKindView.__doc__ = f"Search {kind}, best matches first, paginated."
    return SearchKindView
