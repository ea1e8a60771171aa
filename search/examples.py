"""Example answers of search, for the OpenAPI document: one hit of each kind, from the demo catalogue."""

from catalog import examples as catalog
from collections_app import examples as collections
from hustmusik.schema import answer_example
from users import examples as users

HITS = {
    "songs": {**catalog.SONG_ITEM, "artists": [catalog.DEN_VAU, catalog.JUSTATEE]},
    "artists": catalog.ARTIST_ITEM,
    "albums": {
        **collections.SKY_DECADE,
        "description": "",
        "owner": collections.EDITOR,
    },
    "playlists": collections.COLLECTION_ITEM,
    "users": users.USER_ITEM,
}

OVERVIEW = answer_example({kind: [hit] for kind, hit in HITS.items()}, "A few best hits of each kind")


def kind_page(kind: str):
    """A page of one kind: the list envelope with the hits under `data.<kind>`, and under `<kind>`."""
    hits = [HITS[kind]]
    page = {"count": 1, "data": {kind: hits}, "page": 1, "limit": 10, "next": None, "previous": None, "total": 1}
    return answer_example({**page, kind: hits}, f"A page of {kind}, best matches first")
