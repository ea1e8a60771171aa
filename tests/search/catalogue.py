"""A fixed Vietnamese and international catalogue for the search suites."""

from catalog.models import Artist, Relation, Song, SongArtist
from collections_app.models import Collection, CollectionSong
from users.models import User

ARTISTS = [
    "Sơn Tùng M-TP",
    "Đen Vâu",
    "Hoàng Thùy Linh",
    "Mỹ Tâm",
    "Hà Anh Tuấn",
    "Bích Phương",
    "Vũ.",
    "MIN",
    "Soobin Hoàng Sơn",
    "Justatee",
    "Phương Ly",
    "Trịnh Công Sơn",
    "Taylor Swift",
    "Ed Sheeran",
    "Beyoncé",
    "Queen",
    "Đức Phúc",
    "Hương Tràm",
]

# title, views, artists (primary first)
SONGS = [
    ("Chúng Ta Của Hiện Tại", 98_000, ["Sơn Tùng M-TP"]),
    ("Lạc Trôi", 250_000, ["Sơn Tùng M-TP"]),
    ("Nơi Này Có Anh", 280_000, ["Sơn Tùng M-TP"]),
    ("Hãy Trao Cho Anh", 300_000, ["Sơn Tùng M-TP"]),
    ("Muộn Rồi Mà Sao Còn", 120_000, ["Sơn Tùng M-TP"]),
    ("Chúng Ta Không Thuộc Về Nhau", 200_000, ["Sơn Tùng M-TP"]),
    ("Đi Về Nhà", 200_000, ["Đen Vâu", "Justatee"]),
    ("Bài Này Chill Phết", 180_000, ["Đen Vâu", "MIN"]),
    ("Trốn Tìm", 90_000, ["Đen Vâu"]),
    ("Mang Tiền Về Cho Mẹ", 70_000, ["Đen Vâu"]),
    ("Để Mị Nói Cho Mà Nghe", 110_000, ["Hoàng Thùy Linh"]),
    ("See Tình", 160_000, ["Hoàng Thùy Linh"]),
    ("Đừng Hỏi Em", 50_000, ["Mỹ Tâm"]),
    ("Ước Gì", 40_000, ["Mỹ Tâm"]),
    ("Tháng Tư Là Lời Nói Dối Của Em", 90_000, ["Hà Anh Tuấn"]),
    ("Bùa Yêu", 100_000, ["Bích Phương"]),
    ("Lạ Lùng", 130_000, ["Vũ."]),
    ("Có Em Chờ", 85_000, ["MIN"]),
    ("Phía Sau Một Cô Gái", 150_000, ["Soobin Hoàng Sơn"]),
    ("Thằng Điên", 170_000, ["Justatee", "Phương Ly"]),
    ("Diễm Xưa", 60_000, ["Trịnh Công Sơn"]),
    ("Ở Trọ", 20_000, ["Trịnh Công Sơn"]),
    ("Anti-Hero", 400_000, ["Taylor Swift"]),
    ("Love Story", 350_000, ["Taylor Swift"]),
    ("Shape of You", 900_000, ["Ed Sheeran"]),
    ("Perfect", 600_000, ["Ed Sheeran"]),
    ("Déjà Vu", 80_000, ["Beyoncé"]),
    ("Bohemian Rhapsody", 700_000, ["Queen"]),
    ("Ánh Nắng Của Anh", 140_000, ["Đức Phúc"]),
    ("Em Gái Mưa", 190_000, ["Hương Tràm"]),
    ("Anh Ơi Ở Lại", 75_000, ["Hương Tràm"]),
    ("100% Yêu Em", 10_000, ["Đức Phúc"]),
]

RELEASES = [
    ("Sky Decade", "Album", ["Lạc Trôi", "Nơi Này Có Anh"]),
    ("Hoàng", "Album", ["Để Mị Nói Cho Mà Nghe"]),
    ("÷ (Divide)", "Album", ["Shape of You", "Perfect"]),
    ("Midnights", "Album", ["Anti-Hero"]),
]
PLAYLISTS = [("Nhạc Trịnh Bất Hủ", ["Diễm Xưa", "Ở Trọ"]), ("Chill Cuối Tuần", ["Bài Này Chill Phết", "Lạ Lùng"])]
USERNAMES = ["Nguyễn Thu Trang", "Trần Minh Đức", "lananh_2000"]


def build() -> dict:
    """Create the catalogue; returns every object by its display name."""
    editor = User.objects.create_user(email="editor@hustmusik.vn", username="Biên Tập")
    objects: dict = {}
    for name in ARTISTS:
        objects[name] = Artist.objects.create(name=name)
    for title, views, names in SONGS:
        song = Song.objects.create(title=title, views=views)
        for index, name in enumerate(names):
            SongArtist.objects.create(
                song=song,
                artist=objects[name],
                order=index,
                relation=Relation.PRIMARY if index == 0 else Relation.FEATURED,
            )
        objects[title] = song
    for title, kind, titles in RELEASES:
        objects[title] = _collection(title, kind, titles, editor, objects)
    for title, titles in PLAYLISTS:
        objects[title] = _collection(title, "Playlist", titles, editor, objects)
    for username in USERNAMES:
        objects[username] = User.objects.create_user(email=f"{len(objects)}@example.com", username=username)
    return objects


def _collection(title, kind, titles, owner, objects):
    collection = Collection.objects.create(title=title, type=kind, owner=owner)
    for position, song_title in enumerate(titles, start=1):
        CollectionSong.objects.create(collection=collection, song=objects[song_title], position=position)
    return collection
