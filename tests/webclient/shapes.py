"""The web client's response parsers, ported to Python.

`MusikStreaming/MusikStreamingFE` parses most answers with zod; a few it only types in
TypeScript and then dereferences. Both are ported here with zod's exact semantics, so a
shape check fails exactly when the client's parse (or render) would:

- `string()` / `number()` / `boolean()` reject `None` and absence;
- `.optional()` accepts absence (zod's `undefined`), **not** `None`;
- `.nullable()` accepts `None`, **not** absence;
- `obj({...})` ignores unknown keys (zod strips them), as the client does;
- `union(a, b)` is "try a, then b" (the client's `Schema.parse` … `catch` … `Alternative.parse`).

`parse(schema, value)` raises an AssertionError naming every failing path.
"""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

_ABSENT = object()


class Schema:
    is_optional = False
    is_nullable = False

    def optional(self) -> Schema:
        clone = copy.copy(self)
        clone.is_optional = True
        return clone

    def nullable(self) -> Schema:
        clone = copy.copy(self)
        clone.is_nullable = True
        return clone

    def default(self, _value) -> Schema:
        """zod's `.default(x)`: absence is replaced by x, so absence is fine; `null` is not."""
        return self.optional()

    def errors(self, value, path: str) -> list[str]:
        if value is _ABSENT:
            return [] if self.is_optional else [f"{path}: required, absent"]
        if value is None:
            return [] if self.is_nullable else [f"{path}: null where {self.describe()} is expected"]
        return self.check(value, path)

    def check(self, value, path: str) -> list[str]:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__.lower()


class _String(Schema):
    def __init__(self, *, url: bool = False):
        self.url = url

    def check(self, value, path):
        if not isinstance(value, str):
            return [f"{path}: {value!r} is not a string"]
        if self.url:  # zod's .url(): `new URL(value)` must succeed, i.e. an absolute URL
            parts = urlsplit(value)
            if not (parts.scheme and (parts.netloc or parts.scheme not in {"http", "https"})):
                return [f"{path}: {value!r} is not an absolute URL"]
        return []

    def describe(self):
        return "a URL string" if self.url else "a string"


class _Number(Schema):
    def check(self, value, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [f"{path}: {value!r} is not a number"]
        return []

    def describe(self):
        return "a number"


class _Boolean(Schema):
    def check(self, value, path):
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a boolean"]


class _Literal(Schema):
    def __init__(self, *values):
        self.values = values

    def check(self, value, path):
        return [] if value in self.values else [f"{path}: {value!r} is not one of {self.values!r}"]


class _Object(Schema):
    def __init__(self, fields: dict[str, Schema]):
        self.fields = fields

    def check(self, value, path):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} where an object is expected"]
        found = []
        for key, schema in self.fields.items():
            found += schema.errors(value.get(key, _ABSENT), f"{path}.{key}")
        return found

    def describe(self):
        return "an object"


class _Array(Schema):
    def __init__(self, item: Schema, min_length: int = 0):
        self.item = item
        self.min_length = min_length

    def check(self, value, path):
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__} where an array is expected"]
        found = (
            [] if len(value) >= self.min_length else [f"{path}: {len(value)} items, at least {self.min_length} needed"]
        )
        for index, item in enumerate(value):
            found += self.item.errors(item, f"{path}[{index}]")
        return found

    def describe(self):
        return "an array"


class _Union(Schema):
    def __init__(self, *options: Schema):
        self.options = options

    def errors(self, value, path):
        attempts = []
        for option in self.options:
            found = option.errors(value, path)
            if not found:
                return []
            attempts.append(found)
        return [f"{path}: no alternative matched"] + [
            f"  alternative {n + 1}: {e}" for n, a in enumerate(attempts) for e in a
        ]


class _Any(Schema):
    def check(self, value, path):
        return []


def string() -> Schema:
    return _String()


def url() -> Schema:
    return _String(url=True)


def number() -> Schema:
    return _Number()


def boolean() -> Schema:
    return _Boolean()


def literal(*values) -> Schema:
    return _Literal(*values)


def obj(fields: dict[str, Schema]) -> Schema:
    return _Object(fields)


def array(item: Schema, *, min_length: int = 0) -> Schema:
    return _Array(item, min_length)


def union(*options: Schema) -> Schema:
    return _Union(*options)


def anything() -> Schema:
    return _Any()


def parse(schema: Schema, value):
    """Check `value` as the client would parse it; returns it, or fails naming every bad path."""
    found = schema.errors(value, "$")
    assert not found, "the web client would reject this answer:\n" + "\n".join(found)
    return value


# =====================================================================================
# The client's schemas. zod ones are copied field by field; "typed" ones come from the
# TypeScript interface plus what the component dereferences (noted where it matters).
# =====================================================================================

# app/api-fetch/all-artists.ts `ArtistSchema` (fetchArtists, the home page's artists row).
HOME_ARTISTS = obj(
    {
        "count": number(),
        "data": array(
            obj(
                {
                    "id": string(),
                    "name": string(),
                    "description": string().optional(),
                    "avatarurl": string(),
                    "createdAt": string().optional(),
                    "updatedAt": string().optional(),
                    "country": string().optional(),
                    "managerid": string().optional(),
                }
            )
        ),
    }
)

# app/api-fetch/all-songs.ts fetchAllSongs: no zod; components/api-fetch-container/all-songs.tsx renders
# processCloudinaryUrl(song.thumbnailurl…) (`.trim()`: a string), song.artists[0].artist.{id,name} (≥ 1 artist).
HOME_SONGS = obj(
    {
        "count": number(),
        "data": array(
            obj(
                {
                    "id": string(),
                    "title": string(),
                    "thumbnailurl": string(),
                    "duration": number().nullable(),
                    "artists": array(obj({"artist": obj({"id": string(), "name": string()})}), min_length=1),
                }
            )
        ),
    }
)

# app/api-fetch/all-albums.ts `AlbumSchema` / `AlternativeAlbumSchema` (fetchAllAlbums, and the admin albums tab).
_ALBUM_CARD = obj(
    {
        "id": string(),
        "title": string(),
        "type": string(),
        "thumbnailurl": string(),
        "owner": obj({"id": string(), "username": string()}).nullable().optional(),
    }
)
HOME_ALBUMS = union(array(_ALBUM_CARD), obj({"data": array(_ALBUM_CARD)}))


# app/model/schemas/song-by-id.ts `AlternativeSongSchema` (tried first) and `SongSchema` (fetchSongById).
def _song_detail(*, genre: Schema) -> Schema:
    return obj(
        {
            "id": string(),
            "title": string(),
            "thumbnailurl": string().optional(),
            "duration": number(),
            "releasedate": string(),
            "genre": genre,
            "views": number(),
            "albums": array(
                obj(
                    {
                        "album": obj(
                            {
                                "id": string().optional(),
                                "type": string().optional(),
                                "title": string().optional(),
                                "thumbnailurl": string().optional(),
                            }
                        )
                    }
                ).optional()
            ).nullable(),
            "artists": array(obj({"id": string(), "name": string(), "avatarurl": string()})),
        }
    )


SONG_DETAIL = union(obj({"data": _song_detail(genre=string())}), _song_detail(genre=string().nullable()))

# app/api-fetch/get-song.ts `songFileSchema` (getSong: the player).
STREAM_URL = obj({"url": url()})

# app/api-fetch/artist-by-id.ts `ArtistSchema` / `AlternativeArtistSchema` (and artist-id-server.ts); data[0] is used.
_ARTIST_DETAIL = obj(
    {
        "id": string(),
        "name": string(),
        "avatarurl": string(),
        "country": string().optional().nullable(),
        "description": string().optional().nullable(),
        "managerid": string().optional().nullable(),
    }
)
ARTIST_DETAIL = union(array(_ARTIST_DETAIL, min_length=1), obj({"data": array(_ARTIST_DETAIL, min_length=1)}))

# app/api-fetch/albums-from-artist.ts: typed `{count, data: {id,title,thumbnailurl,created_at,type}[]}`.
ARTIST_ALBUMS = obj(
    {
        "count": number(),
        "data": array(
            obj(
                {
                    "id": string(),
                    "title": string(),
                    "thumbnailurl": string(),
                    "created_at": string(),
                    "type": string(),
                }
            )
        ),
    }
)

# app/api-fetch/album-by-id.ts `AlbumSchema` / `AlternativeAlbumSchema` (fetchAlbumById: album and playlist pages).
_COLLECTION_DETAIL = obj(
    {
        "id": string(),
        "title": string(),
        "description": string().nullable(),
        "thumbnailurl": string(),
        "profiles": array(
            obj(
                {
                    "id": string().optional().nullable(),
                    "name": string().optional().nullable(),
                    "avatarurl": string().optional().nullable(),
                }
            )
        )
        .optional()
        .nullable(),
        "type": string(),
        "songs": array(
            obj(
                {
                    "song": obj(
                        {
                            "id": string(),
                            "title": string(),
                            "thumbnailurl": string(),
                            "duration": number().nullable(),
                            "views": number().nullable().optional(),
                            "artists": array(obj({"id": string().optional(), "name": string()})).optional().default([]),
                            "releasedate": string().optional(),
                            "genre": string().optional(),
                        }
                    )
                }
            )
        )
        .optional()
        .nullable(),
    }
)
COLLECTION_DETAIL = union(_COLLECTION_DETAIL, obj({"data": _COLLECTION_DETAIL}))

# app/api-fetch/search.ts `SearchSchema` (typed; app/search/result-desktop.tsx defaults each list to []).
SEARCH_OVERVIEW = obj(
    {
        "data": obj(
            {
                "songs": array(
                    obj(
                        {
                            "id": string(),
                            "title": string(),
                            "thumbnailurl": string(),
                            "duration": number().nullable(),
                            "artists": array(
                                obj({"id": string().nullable().optional(), "name": string().optional()})
                            ).optional(),
                        }
                    )
                ).optional(),
                "artists": array(
                    obj(
                        {
                            "id": string().nullable().optional(),
                            "name": string().optional(),
                            "avatarurl": string().nullable().optional(),
                        }
                    )
                ).optional(),
                "albums": array(
                    obj(
                        {
                            "id": string(),
                            "title": string(),
                            "description": string().nullable(),
                            "thumbnailurl": string(),
                            "type": string(),
                            "profiles": array(
                                obj({"id": string().nullable(), "name": string().nullable().optional()})
                            ).optional(),
                        }
                    )
                ).optional(),
                "users": array(
                    obj({"id": string(), "username": string(), "avatarurl": string().nullable()})
                ).optional(),
            }
        ),
    }
)

# app/admin/components/SongsTable.tsx `interface Song` (admin list and search rows): artists read flat (a.name).
_ADMIN_SONG = obj(
    {
        "id": string(),
        "title": string(),
        "duration": number().nullable(),
        "thumbnailurl": string(),
        "artists": array(obj({"id": string(), "name": string()})),
    }
)
# components/dialogs/EditSongDialog.tsx reads the same rows nested: song.artists.map(a => a.artist.id).
_EDITABLE_SONG = obj({"artists": array(obj({"artist": obj({"id": string(), "name": string()})}), min_length=1)})
ADMIN_SONGS = obj({"count": number(), "data": array(_ADMIN_SONG)})
ADMIN_SONGS_EDITABLE = obj({"data": array(_EDITABLE_SONG)})

# app/admin/components/ArtistTable.tsx: `{data: Artist[], count}`, Artist from app/model/artist.ts.
ADMIN_ARTISTS = obj({"count": number(), "data": array(obj({"id": string(), "name": string(), "avatarurl": string()}))})

# app/admin/components/AlbumsTable.tsx: `{data: Album[], count}`; EditAlbumDialog gets {id,title,type,visibility,thumbnailurl}.
ADMIN_ALBUMS = obj(
    {
        "count": number(),
        "data": array(
            obj(
                {
                    "id": string(),
                    "title": string(),
                    "type": literal("Album", "EP", "Single"),
                    "visibility": literal("Public", "Private"),
                    "thumbnailurl": string(),
                }
            )
        ),
    }
)

# app/admin/components/PlaylistsTable.tsx + app/model/playlist.ts: rows need owner.username (rendered).
_PLAYLIST_ROW = obj(
    {
        "id": string(),
        "title": string(),
        "type": string(),
        "thumbnailurl": string(),
        "owner": obj({"id": string(), "username": string()}),
        "visibility": literal("Public", "Private").optional(),
    }
)
ADMIN_PLAYLISTS = obj({"data": array(_PLAYLIST_ROW), "total": number()})

# app/admin/components/UsersTable.tsx: `{data: User[], count}`; columns id, username, role.
ADMIN_USERS = obj({"count": number(), "data": array(obj({"id": string(), "username": string(), "role": string()}))})


def search_kind(kind: str, item: Schema) -> Schema:
    """The admin tables' searches read `data.data.<kind>` (SongsTable, ArtistTable, AlbumsTable, …)."""
    return obj({"data": obj({kind: array(item)})})


ADMIN_SEARCH_SONGS = search_kind("songs", _ADMIN_SONG)
ADMIN_SEARCH_ARTISTS = search_kind("artists", obj({"id": string(), "name": string(), "avatarurl": string().optional()}))
ADMIN_SEARCH_ALBUMS = search_kind("albums", obj({"id": string(), "title": string(), "thumbnailurl": string()}))
ADMIN_SEARCH_PLAYLISTS = search_kind("playlists", _PLAYLIST_ROW)
ADMIN_SEARCH_USERS = search_kind("users", obj({"id": string(), "username": string(), "role": string().optional()}))

# components/dialogs/EditAlbumDialog.tsx handleSearch: `response.data.songs` (top level), items {id, title, artists}.
DIALOG_SONG_SEARCH = obj(
    {
        "songs": array(
            obj(
                {
                    "id": string(),
                    "title": string(),
                    "artists": array(obj({"id": string(), "name": string()})),
                }
            )
        )
    }
)

# app/services/auth.service.ts login(): `data.session.access_token` truthy; app/api/auth/signin/route.ts
# stores user.id, user.username, user.role and session.expires_in.
SIGN_IN = obj(
    {
        "user": obj({"id": string(), "aud": string(), "username": string(), "role": string(), "email": string()}),
        "session": obj({"access_token": string(), "expires_in": number(), "refresh_token": string()}),
    }
)

# app/services/auth.service.ts signInWithGoogle(): `window.location.href = response.data.url`.
OAUTH_START = obj({"url": url()})

# app/api/auth/user-info, admin and user/profile routes read `body.data.{id,username,email,role,country,avatarurl}`.
ME = obj(
    {
        "data": obj(
            {
                "id": string(),
                "username": string(),
                "email": string(),
                "role": literal("User", "Artist Manager", "Admin"),
                "country": string().nullable(),
                "avatarurl": string(),
            }
        )
    }
)

# components/playlists-grid.tsx / playlist-selector.tsx read `.data` (an array), filter type === "Playlist".
MY_PLAYLISTS = obj(
    {
        "data": array(
            obj(
                {
                    "id": string(),
                    "title": string(),
                    "description": string().nullable().optional(),
                    "thumbnailurl": string(),
                    "type": string(),
                }
            )
        )
    }
)

# app/api-fetch/get-history.ts `interface HistoryItem`: data.data.slice(0, 8), key `songs` (one object).
HISTORY = obj(
    {
        "data": array(
            obj(
                {
                    "last_listened": string(),
                    "songs": obj(
                        {
                            "id": string(),
                            "title": string(),
                            "duration": number().nullable(),
                            "thumbnailurl": string(),
                            "artists": array(obj({"artist": obj({"id": string(), "name": string()})})),
                        }
                    ),
                }
            )
        )
    }
)

# Every error the client shows: `data.message || data.error` (auth.service.ts), the contract's envelope.
ERROR = obj({"error": string(), "code": string()})

# Writes whose answer the client reads: POST /v1/song → `result.data.id` (AddSongDialog.tsx);
# POST /v1/artist → response.json() (add-artist-dialog.tsx); POST /v1/collection → response.json();
# POST /v1/user/me → body.data.username (app/api/user/settings/route.ts).
CREATED = obj({"data": obj({"id": string()})})
PROFILE_SAVED = obj({"data": obj({"username": string()})})


IMAGE_KEYS = {"thumbnailurl", "avatarurl"}


def image_urls(value, path: str = "$") -> list[tuple[str, object]]:
    """Every `thumbnailurl` / `avatarurl` anywhere in an answer, with its path."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in IMAGE_KEYS:
                found.append((f"{path}.{key}", item))
            found += image_urls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += image_urls(item, f"{path}[{index}]")
    return found


def assert_image_urls_are_strings(body) -> list[str]:
    """Every image URL is a non-empty absolute URL string: the client `.trim()`s them and hands them to <Image>."""
    urls = image_urls(body)
    bad = [
        f"{path}: {value!r}"
        for path, value in urls
        if not isinstance(value, str) or not urlsplit(value).scheme or not urlsplit(value).netloc
    ]
    assert not bad, "image URLs that are not URL strings:\n" + "\n".join(bad)
    return [value for _, value in urls]
