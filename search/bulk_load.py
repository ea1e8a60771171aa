"""A large synthetic catalogue for benchmarks, bulk-loaded with PostgreSQL COPY.

For N songs: N/10 artists, N/5 collections (five songs each), N/10 users. Rows are
generated from a fixed seed, so every machine loads the same catalogue. The whole load
is one transaction: it is there completely or not at all. The search triggers are off
during the load; the songs' search documents are computed here with the same folding
as PostgreSQL's `hm_fold`, and the posting lists and vocabulary rebuilt at the end, so
nothing needs rebuilding afterwards.
"""

from __future__ import annotations

import io
import random
import uuid
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction

from hustmusik.folding import fold
from hustmusik.progress import progress_bar
from search.services import search_postings_rebuild

NAMESPACE = uuid.UUID("0b5d6c1e-8f38-4f55-9a53-5b1c6d1f0a42")
SEARCH_TRIGGERS = [
    ("catalog_songartist", "hm_credit_changed"),
    ("catalog_artist", "hm_artist_renamed"),
    ("collections_app_collectionsong", "hm_entry_changed"),
    ("collections_app_collection", "hm_collection_changed"),
    *(
        (table, trigger)
        for table in ("catalog_song", "catalog_artist", "collections_app_collection", "users_user")
        for trigger in ("hm_collect_words", "hm_postings_inserted", "hm_postings_updated", "hm_postings_deleted")
    ),
]
SYLLABLES = (
    "anh em yêu thương nhớ mưa nắng gió trăng sao trời biển sông núi đồi phố làng quê hương mùa xuân hạ thu "
    "đông sáng chiều tối đêm ngày mai qua xa gần bên nhau mãi một hai ba lần nữa cuối đầu tiên giấc mơ ước "
    "hẹn thề lời hứa nụ cười nước mắt trái tim bàn tay ánh mắt con đường ngõ nhỏ hà nội sài gòn huế đà lạt "
    "hội an cô gái chàng trai người ấy tình đầu bình minh hoàng hôn cánh hoa cỏ lá vàng xanh đỏ tím hồng trắng "
    "đen buồn vui say tỉnh lặng im hát ca vang khúc điệu ru ngủ thức chờ đợi mong tìm thấy mất còn đi về ở lại "
    "cafe phố đêm mưa rơi lạnh ấm nồng cháy bay cao xuống lên trên dưới trong ngoài"
).split()
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
GIVEN = "Anh Minh Thu Trang Linh Hương Tùng Sơn Long Phúc Đức Tâm Hà Vy Ngọc Quân Khoa Hải Yến Nhi Bảo Châu".split()
GENRES = ["V-Pop", "Ballad", "Rap", "Indie", "Bolero", "EDM", "R&B", "Rock", "Lo-fi", "Acoustic"]
RELEASE_TYPES = ["Album", "EP", "Single"]


FILL_VOCABULARY = " ".join(
    f"INSERT INTO search_searchword (word) SELECT DISTINCT w FROM {table}, unnest(tsvector_to_array(search_vector)) AS w"
    f" WHERE length(w) <= 200 ON CONFLICT DO NOTHING;"
    for table in ("catalog_song", "catalog_artist", "collections_app_collection", "users_user")
)


def synthetic_id(kind: str, n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{n}")


LOADED_TABLES = [
    "catalog_artist",
    "users_user",
    "catalog_song",
    "catalog_songartist",
    "collections_app_collection",
    "collections_app_collectionsong",
    "search_posting",
    "search_term",
]

SECONDARY_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
  FROM pg_index i
 WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


def is_loaded(songs: int) -> bool:
    from catalog.models import Song

    return Song.objects.filter(pk__in=[synthetic_id("song", 0), synthetic_id("song", songs - 1)]).count() == 2


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class Copier:
    """Streams rows into `COPY table (columns) FROM STDIN`, in blocks."""

    def __init__(self, cursor, table: str, columns: list[str], progress):
        self._context = cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
        self.buffer = io.StringIO()
        self.pending = 0
        self.progress = progress

    def __enter__(self):
        self.copy = self._context.__enter__()
        return self

    def row(self, *values) -> None:
        self.buffer.write("\t".join(_text(v) for v in values))
        self.buffer.write("\n")
        self.pending += 1
        if self.pending >= 20_000:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.copy.write(self.buffer.getvalue())
            self.progress.update(self.pending)
            self.buffer, self.pending = io.StringIO(), 0

    def __exit__(self, *exc):
        if exc[0] is None:
            self.flush()
        return self._context.__exit__(*exc)


def load(songs: int, *, stdout=None) -> dict[str, int]:
    rng = random.Random(20251123)
    artists, collections, users = max(songs // 10, 10), songs // 5, max(songs // 10, 10)
    now = datetime.now(UTC)
    total_rows = artists + users + songs * 2 + collections * 6
    sizes = {"songs": songs, "artists": artists, "collections": collections, "users": users}

    artist_names = [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}" for _ in range(artists)]
    # Popular artists have more songs: a Pareto-ish choice of the primary artist.
    primaries = [
        min(int(rng.paretovariate(1.1)) - 1, artists - 1) if rng.random() < 0.3 else rng.randrange(artists)
        for _ in range(songs)
    ]
    featured = [rng.randrange(artists) if rng.random() < 0.15 else None for _ in range(songs)]
    titles = [" ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))).title() for _ in range(songs)]

    collection_rows, entries, release_titles = [], [], {}
    for c in range(collections):
        kind = rng.choice(RELEASE_TYPES) if rng.random() < 0.4 else rng.choice(["Playlist", "Playlist", "Mix"])
        visibility = "Private" if kind in ("Playlist", "Mix") and rng.random() < 0.1 else "Public"
        title = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))).title()
        owner = synthetic_id("user", rng.randrange(users))
        collection_rows.append((synthetic_id("collection", c), title, kind, visibility, owner))
        for position in range(1, 6):
            song = rng.randrange(songs)
            entries.append((c, song, position))
            if kind in RELEASE_TYPES and visibility == "Public":
                release_titles.setdefault(song, []).append(title)

    with progress_bar(total=total_rows, unit="row", desc="Loading synthetic catalogue", file=stdout) as progress:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks may block ALTER TABLE
            for table, trigger in SEARCH_TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            # Building an index once is far faster than growing it row by row (GIN above all).
            cursor.execute(SECONDARY_INDEXES, [LOADED_TABLES])
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")

            with Copier(
                cursor,
                "catalog_artist",
                [
                    "id",
                    "name",
                    "description",
                    "country",
                    "avatar",
                    "avatar_url",
                    "manager_id",
                    "created_at",
                    "updated_at",
                ],
                progress,
            ) as copier:
                for a, name in enumerate(artist_names):
                    copier.row(synthetic_id("artist", a), name, "", "VN", "", "", None, now, now)

            with Copier(
                cursor,
                "users_user",
                [
                    "id",
                    "password",
                    "is_superuser",
                    "email",
                    "username",
                    "role",
                    "country",
                    "avatar",
                    "session_generation",
                    "is_active",
                    "is_staff",
                    "created_at",
                    "updated_at",
                ],
                progress,
            ) as copier:
                for u in range(users):
                    name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
                    copier.row(
                        synthetic_id("user", u),
                        "!",
                        False,
                        f"listener{u}@bench.hustmusik.vn",
                        name,
                        "User",
                        "VN",
                        "",
                        0,
                        True,
                        False,
                        now,
                        now,
                    )

            with Copier(
                cursor,
                "catalog_song",
                [
                    "id",
                    "title",
                    "duration",
                    "release_date",
                    "genre",
                    "views",
                    "thumbnail",
                    "thumbnail_url",
                    "audio_key",
                    "audio_content_type",
                    "created_at",
                    "updated_at",
                    "search_extra",
                    "audio_high_key",
                    "audio_source_key",
                    "audio_pending_key",
                    "audio_status",
                    "audio_error",
                ],
                progress,
            ) as copier:
                for s in range(songs):
                    credited = [artist_names[primaries[s]]]
                    if featured[s] is not None and featured[s] != primaries[s]:
                        credited.append(artist_names[featured[s]])
                    extra = fold(" ".join(credited + release_titles.get(s, [])))
                    released = date(1995, 1, 1) + timedelta(days=rng.randrange(11_000))
                    created = now - timedelta(seconds=songs - s)
                    copier.row(
                        synthetic_id("song", s),
                        titles[s],
                        rng.randint(120, 420),
                        released,
                        rng.choice(GENRES),
                        int(rng.paretovariate(1.2) * 1000),
                        "",
                        "",
                        "",
                        "",
                        created,
                        created,
                        extra,
                        "",
                        "",
                        "",
                        "none",
                        "",
                    )

            with Copier(
                cursor, "catalog_songartist", ["song_id", "artist_id", "relation", '"order"'], progress
            ) as copier:
                for s in range(songs):
                    copier.row(synthetic_id("song", s), synthetic_id("artist", primaries[s]), "Primary", 0)
                    if featured[s] is not None and featured[s] != primaries[s]:
                        copier.row(synthetic_id("song", s), synthetic_id("artist", featured[s]), "Featured", 1)

            with Copier(
                cursor,
                "collections_app_collection",
                [
                    "id",
                    "title",
                    "description",
                    "type",
                    "visibility",
                    "thumbnail",
                    "thumbnail_url",
                    "owner_id",
                    "created_at",
                    "updated_at",
                ],
                progress,
            ) as copier:
                for c, (collection_id, title, kind, visibility, owner) in enumerate(collection_rows):
                    created = now - timedelta(seconds=collections - c)
                    copier.row(collection_id, title, "", kind, visibility, "", "", owner, created, created)

            seen = set()
            with Copier(
                cursor, "collections_app_collectionsong", ["collection_id", "song_id", "position", "added_at"], progress
            ) as copier:
                for c, s, position in entries:
                    if (c, s) not in seen:
                        seen.add((c, s))
                        copier.row(synthetic_id("collection", c), synthetic_id("song", s), position, now)

            progress.set_description("Indexing")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            search_postings_rebuild()
            for _, definition in indexes:
                cursor.execute(definition)
            for table, trigger in SEARCH_TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
            cursor.execute(FILL_VOCABULARY)

    # VACUUM as well as ANALYZE: the visibility map lets count and index-only scans skip the heap,
    # and autovacuum would otherwise do it later, in the middle of whatever runs next. VACUUM
    # cannot run inside a caller's transaction (a test's); ANALYZE alone can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in (
            "catalog_song",
            "catalog_artist",
            "catalog_songartist",
            "collections_app_collection",
            "collections_app_collectionsong",
            "users_user",
            "search_searchword",
            "search_posting",
            "search_term",
        ):
            cursor.execute(f"{command} {table}")
    return sizes
