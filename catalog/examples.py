"""Example requests and answers of the catalogue's endpoints, for the OpenAPI document.

The ids are those `manage.py seed_demo` gives the demo catalogue (`make run`), so an example
id tried in Swagger UI finds its song or artist there. tests/api/test_schema_and_docs.py
checks every example against the schema it illustrates.
"""

from hustmusik.schema import EXAMPLE_SERVER, answer_example, request_example

SERVER = EXAMPLE_SERVER
SON_TUNG = {"id": "6757a699-b3da-5fb3-b8f5-ffa66b4daeda", "name": "Sơn Tùng M-TP"}
JUSTATEE = {"id": "492c904e-a7a9-5639-aa31-dbc4081bbbdb", "name": "Justatee"}
DEN_VAU = {"id": "010ff3df-d1d0-5ad3-a5a2-ce0f964b0675", "name": "Đen Vâu"}
ARTIST_AVATAR = f"{SERVER}/static/defaults/artist.png"
SONG_COVER = f"{SERVER}/static/defaults/song.png"
LAC_TROI_ID = "7a731716-f520-5d41-9dfc-28495074a262"
DI_VE_NHA_ID = "d01962dd-b76d-5a89-a195-fcb9555bc1d3"

ARTIST_ITEM = {**SON_TUNG, "avatarurl": ARTIST_AVATAR}
ARTIST_DETAIL = {
    **ARTIST_ITEM,
    "country": "VN",
    "description": "Ca sĩ, nhạc sĩ, nhà sản xuất âm nhạc.",
    "managerid": None,
}
# A song list item: each credit as `{"artist": {id, name}}` (the contract) and flat (`id`, `name`).
SONG_ITEM = {
    "id": DI_VE_NHA_ID,
    "title": "Đi Về Nhà",
    "thumbnailurl": SONG_COVER,
    "duration": 205,
    "releasedate": "2020-12-26",
    "genre": "Rap",
    "views": 200000000,
    "artists": [{"artist": DEN_VAU, **DEN_VAU}, {"artist": JUSTATEE, **JUSTATEE}],
    "audio_status": "ready",
}
SONG_DETAIL = {
    "id": LAC_TROI_ID,
    "title": "Lạc Trôi",
    "thumbnailurl": SONG_COVER,
    "duration": 233,
    "releasedate": "2017-01-01",
    "genre": "V-Pop",
    "views": 250000000,
    "artists": [ARTIST_ITEM],
    "has_audio": True,
    "audio_status": "ready",
    "loudness_gain_db": 6.2,
    "waveform": [0.12, 0.48, 0.91, 0.77, 0.35],
}

ARTIST_LIST = answer_example(ARTIST_ITEM, "A page of artists")
ARTIST_READ = answer_example(ARTIST_DETAIL, "The artist, alone in an array")
ARTIST_WRITE = request_example(
    {"name": "Sơn Tùng M-TP", "country": "VN", "description": "Ca sĩ, nhạc sĩ, nhà sản xuất âm nhạc."}
)
ARTIST_CREATED = answer_example(ARTIST_DETAIL, "The new artist", status=201)
ARTIST_UPDATED = answer_example(ARTIST_DETAIL, "The artist as it is now")
ARTIST_SONGS = answer_example(
    {"song": {key: SONG_DETAIL[key] for key in ("id", "title", "thumbnailurl", "duration", "views")}},
    "A page of the artist's songs, most played first",
)

SONG_LIST = answer_example(SONG_ITEM, "A page of songs")
SONG_WRITE = request_example(
    {
        "title": "Lạc Trôi",
        "artists": SON_TUNG["id"],
        "duration": 233,
        "releasedate": "2017-01-01",
        "genre": "V-Pop",
    },
    "Request (`artists`: comma-separated ids, the primary artist first)",
)
STREAM_URL = answer_example(
    {"url": f"{SERVER}/v1/media/stream/eyJrIjoic29uZ3MvN2E3MzE3MTYvbm9ybWFsLm00YSJ9:1vQx2a:Zk3f", "quality": "normal"},
    "A URL to GET the audio from, for an hour",
)
UPLOAD_URL = answer_example(
    {
        "url": f"{SERVER}/v1/media/upload/eyJrIjoic29uZ3MvN2E3MzE3MTYvdXBsb2FkIiwib3AiOiJwdXQifQ:1vQx2a:Qm9v",
        "method": "PUT",
        "headers": {"Content-Type": "audio/mpeg"},
    },
    "PUT the audio here within 15 minutes, with these headers",
)
UPLOAD_COMPLETE = request_example({"content_type": "audio/mpeg"})

HISTORY = answer_example(
    {
        "data": [
            {
                "last_listened": "2025-01-31T08:15:00Z",
                "songs": {key: SONG_ITEM[key] for key in ("id", "title", "duration", "thumbnailurl", "artists")},
            }
        ]
    },
    "Your history, newest first",
)
FOLLOWING = answer_example({"data": [{"artist": ARTIST_ITEM}]}, "The artists you follow, newest first")
