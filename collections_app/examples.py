"""Example requests and answers of the collections' endpoints (and of songs, which name the
releases holding them), for the OpenAPI document; the ids are the demo catalogue's (`seed_demo`)."""

from catalog import examples as catalog
from hustmusik.schema import answer_example, request_example

COVER = f"{catalog.SERVER}/static/defaults/collection.png"
EDITOR = {"id": "3f1c7a52-0d4e-4b8a-9a57-6f2e8d91c0b4", "username": "Hust Musik Editorial"}
SKY_DECADE = {
    "id": "72967bf3-88f0-506f-bcb2-20d6b4356334",
    "title": "Sky Decade",
    "type": "Album",
    "thumbnailurl": COVER,
}
CHILL_ID = "d56748fe-43fc-5147-8da1-0a6c86ba0aca"

COLLECTION_ITEM = {
    "id": CHILL_ID,
    "title": "Chill Cuối Tuần",
    "type": "Playlist",
    "thumbnailurl": COVER,
    "visibility": "Public",
    "owner": EDITOR,
}
COLLECTION_DETAIL = {
    **COLLECTION_ITEM,
    "description": "Nhẹ nhàng cho ngày nghỉ.",
    "created_at": "2025-01-31T08:15:00Z",
    "owner": {**EDITOR, "avatarurl": f"{catalog.SERVER}/static/defaults/user.png", "role": "Admin"},
    "songs": [
        {
            "song": {
                "id": catalog.DI_VE_NHA_ID,
                "title": "Đi Về Nhà",
                "thumbnailurl": catalog.SONG_COVER,
                "duration": 205,
                "views": 200000000,
                "artists": [catalog.DEN_VAU, catalog.JUSTATEE],
            }
        }
    ],
}
SONG_WITH_ALBUMS = {**catalog.SONG_DETAIL, "albums": [{"album": SKY_DECADE}]}

COLLECTION_LIST = answer_example(COLLECTION_ITEM, "A page of collections, newest first")
COLLECTION_READ = answer_example(COLLECTION_DETAIL, "The collection, its songs in their order")
COLLECTION_WRITE = request_example(
    {"title": "Chill Cuối Tuần", "description": "Nhẹ nhàng cho ngày nghỉ.", "type": "Playlist", "visibility": "Public"}
)
COLLECTION_CREATED = answer_example(COLLECTION_DETAIL, "The new collection", status=201)
COLLECTION_UPDATED = answer_example(COLLECTION_DETAIL, "The collection as it is now")
COLLECTION_DELETED = answer_example({"message": f"Collection {CHILL_ID} is being deleted"})
ARTIST_ALBUMS = answer_example(
    {**{key: SKY_DECADE[key] for key in ("id", "title", "thumbnailurl", "type")}, "created_at": "2025-01-31T08:15:00Z"},
    "A page of the artist's releases, newest first",
)
MY_COLLECTIONS = answer_example(
    {
        "data": [
            {
                key: COLLECTION_DETAIL[key]
                for key in ("id", "title", "description", "thumbnailurl", "type", "visibility")
            }
        ]
    },
    "Your collections, private ones included",
)
