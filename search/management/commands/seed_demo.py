"""Load a small, realistic Vietnamese demo catalogue; optionally N synthetic songs for benchmarks.

Idempotent: every demo row has a fixed id derived from its name, so running the
command again changes nothing. `make run` calls it on every start. It lives in the
search app because it spans every other app (users, catalogue, collections) and the
search documents.
"""

import math
import uuid
from array import array
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.audio import upload_key
from catalog.audio_processing import pcm_wav
from catalog.models import Artist, Relation, Song, SongArtist
from catalog.services import song_finish_upload
from collections_app.models import Collection, CollectionSong
from search import bulk_load
from users.models import Role, User

NAMESPACE = uuid.UUID("7b0c3c53-3b7e-4b8e-9d0a-5d7f2a6f9c11")

# (artist, country, description)
ARTISTS = [
    ("Sơn Tùng M-TP", "VN", "Ca sĩ, nhạc sĩ, nhà sản xuất âm nhạc."),
    ("Đen Vâu", "VN", "Rapper, nhạc sĩ."),
    ("Hoàng Thùy Linh", "VN", "Ca sĩ, diễn viên."),
    ("Mỹ Tâm", "VN", "Ca sĩ, nhạc sĩ, diễn viên."),
    ("Hà Anh Tuấn", "VN", "Ca sĩ."),
    ("Bích Phương", "VN", "Ca sĩ."),
    ("Vũ.", "VN", "Ca sĩ, nhạc sĩ indie."),
    ("MIN", "VN", "Ca sĩ."),
    ("Soobin Hoàng Sơn", "VN", "Ca sĩ, nhạc sĩ."),
    ("Chi Pu", "VN", "Ca sĩ, diễn viên."),
    ("Justatee", "VN", "Rapper, nhà sản xuất."),
    ("Phương Ly", "VN", "Ca sĩ."),
]

# (title, genre, release date, seconds, views, [artists, primary first])
SONGS = [
    ("Chúng Ta Của Hiện Tại", "V-Pop", date(2020, 12, 20), 301, 98_000_000, ["Sơn Tùng M-TP"]),
    ("Lạc Trôi", "V-Pop", date(2017, 1, 1), 233, 250_000_000, ["Sơn Tùng M-TP"]),
    ("Nơi Này Có Anh", "V-Pop", date(2017, 2, 14), 260, 280_000_000, ["Sơn Tùng M-TP"]),
    ("Hãy Trao Cho Anh", "V-Pop", date(2019, 7, 1), 245, 300_000_000, ["Sơn Tùng M-TP"]),
    ("Muộn Rồi Mà Sao Còn", "V-Pop", date(2021, 4, 29), 275, 120_000_000, ["Sơn Tùng M-TP"]),
    ("Đi Về Nhà", "Rap", date(2020, 12, 26), 205, 200_000_000, ["Đen Vâu", "Justatee"]),
    ("Bài Này Chill Phết", "Rap", date(2019, 5, 17), 273, 180_000_000, ["Đen Vâu", "MIN"]),
    ("Trốn Tìm", "Rap", date(2023, 3, 1), 249, 90_000_000, ["Đen Vâu"]),
    ("Mang Tiền Về Cho Mẹ", "Rap", date(2021, 12, 31), 403, 70_000_000, ["Đen Vâu"]),
    ("Để Mị Nói Cho Mà Nghe", "V-Pop", date(2019, 4, 25), 216, 110_000_000, ["Hoàng Thùy Linh"]),
    ("See Tình", "V-Pop", date(2022, 2, 22), 185, 160_000_000, ["Hoàng Thùy Linh"]),
    ("Kẻ Cắp Gặp Bà Già", "V-Pop", date(2019, 10, 10), 230, 60_000_000, ["Hoàng Thùy Linh"]),
    ("Đừng Hỏi Em", "Ballad", date(2019, 3, 8), 292, 50_000_000, ["Mỹ Tâm"]),
    ("Ước Gì", "Ballad", date(2003, 6, 1), 280, 40_000_000, ["Mỹ Tâm"]),
    ("Người Hãy Quên Em Đi", "Ballad", date(2018, 10, 20), 270, 45_000_000, ["Mỹ Tâm"]),
    ("Tháng Tư Là Lời Nói Dối Của Em", "Ballad", date(2016, 4, 1), 294, 90_000_000, ["Hà Anh Tuấn"]),
    ("Xuân Thì", "Ballad", date(2017, 1, 20), 280, 35_000_000, ["Hà Anh Tuấn"]),
    ("Bùa Yêu", "V-Pop", date(2018, 9, 7), 226, 100_000_000, ["Bích Phương"]),
    ("Đi Đu Đưa Đi", "V-Pop", date(2019, 1, 10), 211, 95_000_000, ["Bích Phương"]),
    ("Lạ Lùng", "Indie", date(2018, 4, 18), 262, 130_000_000, ["Vũ."]),
    ("Bước Qua Nhau", "Indie", date(2021, 11, 15), 240, 55_000_000, ["Vũ."]),
    ("Có Em Chờ", "V-Pop", date(2017, 6, 23), 243, 85_000_000, ["MIN"]),
    ("Phía Sau Một Cô Gái", "Ballad", date(2016, 11, 11), 270, 150_000_000, ["Soobin Hoàng Sơn"]),
    ("Đóa Hoa Hồng", "V-Pop", date(2022, 6, 10), 210, 40_000_000, ["Chi Pu"]),
    ("Thằng Điên", "V-Pop", date(2018, 10, 10), 300, 170_000_000, ["Justatee", "Phương Ly"]),
    ("Mặt Trời Của Em", "V-Pop", date(2017, 3, 3), 260, 60_000_000, ["Phương Ly", "Justatee"]),
]

EDITOR_EMAIL = "editorial@hustmusik.vn"

# (title, type, year, [song titles in order])
RELEASES = [
    (
        "Sky Decade",
        "Album",
        2022,
        ["Lạc Trôi", "Nơi Này Có Anh", "Hãy Trao Cho Anh", "Chúng Ta Của Hiện Tại", "Muộn Rồi Mà Sao Còn"],
    ),
    ("Show Của Đen", "Album", 2023, ["Đi Về Nhà", "Bài Này Chill Phết", "Trốn Tìm", "Mang Tiền Về Cho Mẹ"]),
    ("Hoàng", "Album", 2019, ["Để Mị Nói Cho Mà Nghe", "Kẻ Cắp Gặp Bà Già"]),
    ("See Tình", "Single", 2022, ["See Tình"]),
    ("Tháng Tư", "EP", 2016, ["Tháng Tư Là Lời Nói Dối Của Em", "Xuân Thì"]),
    ("Một Vạn Năm", "Album", 2021, ["Lạ Lùng", "Bước Qua Nhau"]),
]
PLAYLISTS = [
    (
        "V-Pop Hôm Nay",
        "Những bản hit V-Pop được nghe nhiều nhất.",
        ["Hãy Trao Cho Anh", "See Tình", "Bùa Yêu", "Thằng Điên"],
    ),
    ("Chill Cuối Tuần", "Nhẹ nhàng cho ngày nghỉ.", ["Bài Này Chill Phết", "Lạ Lùng", "Có Em Chờ", "Đừng Hỏi Em"]),
]


DEMO_RATE = 22_050
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11, 12)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10, 12)


def demo_tune(variant: int) -> bytes:
    """A short melody made here (no recording), as mono WAV: each demo song gets its own key, mode,
    tempo, pattern and length (8 to 20 seconds), over a soft drone."""
    scale = MAJOR_SCALE if variant % 2 == 0 else MINOR_SCALE
    root = 196 * 2 ** ((variant * 5 % 12) / 12)
    beats_per_minute = 84 + (variant * 13) % 72
    notes = 16 + (variant % 5) * 4
    note_frames = int(DEMO_RATE * 60 / beats_per_minute / 2)
    pattern = [scale[(variant * 3 + step * (2 + variant % 3) + step // 4) % len(scale)] for step in range(notes)]
    samples = array("h")
    for semitones in pattern:
        frequency = root * 2 ** (semitones / 12)
        for frame in range(note_frames):
            time = frame / DEMO_RATE
            envelope = min(1.0, frame / 300) * (1 - frame / note_frames) ** 2
            melody = math.sin(2 * math.pi * frequency * time) + 0.3 * math.sin(4 * math.pi * frequency * time)
            drone = 0.25 * math.sin(2 * math.pi * root / 2 * (len(samples) / DEMO_RATE))
            samples.append(int(7000 * (envelope * melody + drone)))
    return pcm_wav(samples, rate=DEMO_RATE)


def fixed_id(kind: str, name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{name}")


class Command(BaseCommand):
    help = "Load the demo catalogue (idempotent); --songs N adds a synthetic catalogue for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--songs",
            type=int,
            default=0,
            help="Also bulk-load a synthetic catalogue of N songs (N/10 artists, N/5 collections, N/10 users).",
        )

    def handle(self, *args, songs: int, **options):
        self._demo_catalogue()
        self._demo_audio()
        self.stdout.write(
            f"Demo catalogue: {len(ARTISTS)} artists, {len(SONGS)} songs, {len(RELEASES)} releases, "
            f"{len(PLAYLISTS)} playlists."
        )
        if songs:
            self._synthetic_songs(songs)

    @transaction.atomic
    def _demo_catalogue(self) -> dict[str, Artist]:
        artists = {}
        for name, country, description in ARTISTS:
            artists[name], _ = Artist.objects.get_or_create(
                id=fixed_id("artist", name), defaults={"name": name, "country": country, "description": description}
            )
        for title, genre, released, seconds, views, credited in SONGS:
            song, created = Song.objects.get_or_create(
                id=fixed_id("song", title),
                defaults={
                    "title": title,
                    "genre": genre,
                    "release_date": released,
                    "duration": seconds,
                    "views": views,
                },
            )
            if created:
                SongArtist.objects.bulk_create(
                    SongArtist(
                        song=song,
                        artist=artists[name],
                        order=index,
                        relation=Relation.PRIMARY if index == 0 else Relation.FEATURED,
                    )
                    for index, name in enumerate(credited)
                )
        self._collections()
        return artists

    def _collections(self) -> None:
        editor, created = User.objects.get_or_create(
            email=EDITOR_EMAIL, defaults={"username": "Hust Musik Editorial", "role": Role.ADMIN}
        )
        if created:
            editor.set_unusable_password()
            editor.save(update_fields=["password"])
        songs = {song.title: song for song in Song.objects.filter(id__in=[fixed_id("song", s[0]) for s in SONGS])}
        items = [(title, kind, "", titles) for title, kind, _, titles in RELEASES]
        items += [(title, "Playlist", description, titles) for title, description, titles in PLAYLISTS]
        for title, kind, description, titles in items:
            collection, created = Collection.objects.get_or_create(
                id=fixed_id("collection", title),
                defaults={"title": title, "type": kind, "description": description, "owner": editor},
            )
            if created:
                CollectionSong.objects.bulk_create(
                    CollectionSong(collection=collection, song=songs[name], position=index + 1)
                    for index, name in enumerate(titles)
                )

    def _demo_audio(self) -> None:
        """A short tune for each demo song without audio, through the upload path every song takes
        (accepted here, processed into renditions by the job worker), so a fresh `make run` plays."""
        pending = Song.objects.filter(id__in=[fixed_id("song", s[0]) for s in SONGS], audio_key="").order_by("title")
        for index, song in enumerate(pending):
            default_storage.save(upload_key(song.pk), ContentFile(demo_tune(index)))
            song_finish_upload(song=song)

    def _synthetic_songs(self, count: int) -> None:
        if bulk_load.is_loaded(count):
            self.stdout.write(f"Synthetic catalogue of {count} songs already loaded.")
            return
        sizes = bulk_load.load(count, stdout=self.stderr._out)
        self.stdout.write("Synthetic catalogue: " + ", ".join(f"{n} {kind}" for kind, n in sizes.items()) + ".")
