"""The curation console: search, filters, the artists inline, previews, the player, and scoping."""

import pytest

from catalog.models import Relation, Song, SongArtist
from tests.factories import ArtistFactory, SongFactory, UserFactory
from users.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="root@example.com", password="S3cret!pass")


def staff_manager():
    from django.contrib.auth.models import Permission

    manager = UserFactory(role=Role.ARTIST_MANAGER, is_staff=True)
    manager.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalog"))
    return manager


def inline_form(prefix="credits", rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, (artist, relation, order) in enumerate(rows):
        data.update(
            {
                f"{prefix}-{index}-artist": str(artist.pk),
                f"{prefix}-{index}-relation": relation,
                f"{prefix}-{index}-order": str(order),
            }
        )
    return data


def test_superuser_creates_a_song_with_two_artists(client, superuser):
    primary, featured = ArtistFactory(), ArtistFactory()
    client.force_login(superuser)
    response = client.post(
        "/admin/catalog/song/add/",
        {
            "title": "Thằng Điên",
            "genre": "V-Pop",
            "release_date": "2018-10-10",
            "duration": "300",
            **inline_form(rows=[(primary, "Primary", 0), (featured, "Featured", 1)]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    song = Song.objects.get(title="Thằng Điên")
    assert list(song.credits.values_list("artist_id", "relation")) == [
        (primary.pk, "Primary"),
        (featured.pk, "Featured"),
    ]


def test_a_song_needs_exactly_one_primary(client, superuser):
    a, b = ArtistFactory(), ArtistFactory()
    client.force_login(superuser)
    response = client.post(
        "/admin/catalog/song/add/",
        {
            "title": "Hai Primary",
            **inline_form(rows=[(a, "Primary", 0), (b, "Primary", 1)]),
        },
    )
    assert response.status_code == 200 and b"exactly one Primary" in response.content
    assert not Song.objects.exists()


def test_changelist_search_and_filters(client, superuser):
    SongFactory(title="Lạc Trôi", genre="V-Pop", artists=[ArtistFactory(name="Sơn Tùng M-TP")])
    SongFactory(title="Trốn Tìm", genre="Rap")
    client.force_login(superuser)
    assert "Lạc Trôi" in client.get("/admin/catalog/song/", {"q": "Sơn Tùng"}).content.decode()
    rap = client.get("/admin/catalog/song/", {"genre": "Rap"}).content.decode()
    assert "Trốn Tìm" in rap and "Lạc Trôi" not in rap
    assert client.get("/admin/catalog/song/", {"has_audio": "no"}).status_code == 200
    assert client.get("/admin/catalog/song/", {"year": "2020"}).status_code == 200
    assert (
        client.get(
            "/admin/autocomplete/",
            {"app_label": "catalog", "model_name": "songartist", "field_name": "artist", "term": "Sơn"},
        ).status_code
        == 200
    )


def test_song_page_has_an_audio_player_when_audio_exists(client, superuser):
    with_audio = SongFactory(audio_key="songs/x/audio.mp3", audio_content_type="audio/mpeg")
    without = SongFactory()
    client.force_login(superuser)
    page = client.get(f"/admin/catalog/song/{with_audio.pk}/change/").content.decode()
    assert "<audio controls" in page and "/v1/media/audio/" in page
    assert "No audio uploaded yet." in client.get(f"/admin/catalog/song/{without.pk}/change/").content.decode()


def test_staff_artist_managers_see_and_edit_only_their_own(client):
    manager = staff_manager()
    mine = ArtistFactory(name="Của Tôi", manager=manager)
    theirs = ArtistFactory(name="Của Người Khác")
    my_song = SongFactory(title="Bài Của Tôi", artists=[mine])
    SongFactory(title="Bài Người Khác", artists=[theirs, mine])
    client.force_login(manager)
    artists = client.get("/admin/catalog/artist/").content.decode()
    assert "Của Tôi" in artists and "Của Người Khác" not in artists
    songs = client.get("/admin/catalog/song/").content.decode()
    assert "Bài Của Tôi" in songs and "Bài Người Khác" not in songs
    assert client.get(f"/admin/catalog/artist/{theirs.pk}/change/").status_code == 302  # not found for them
    assert client.get(f"/admin/catalog/song/{my_song.pk}/change/").status_code == 200


def test_staff_manager_cannot_make_someone_elses_artist_primary(client):
    manager = staff_manager()
    theirs = ArtistFactory()
    client.force_login(manager)
    response = client.post(
        "/admin/catalog/song/add/", {"title": "Mượn Tên", **inline_form(rows=[(theirs, "Primary", 0)])}
    )
    assert response.status_code == 200 and b"primary artist you manage" in response.content
    assert not SongArtist.objects.filter(relation=Relation.PRIMARY, artist=theirs).exists()


def test_admin_search_ignores_accents_and_case(client, superuser):
    from tests.factories import CollectionFactory, UserFactory

    SongFactory(title="Tình Yêu Màu Nắng")
    SongFactory(title="Chạy Ngay Đi")
    ArtistFactory(name="Đen Vâu")
    CollectionFactory(title="Nhạc Đêm Khuya")
    UserFactory(username="Đức Phúc", email="phuc@example.com")
    client.force_login(superuser)
    songs = client.get("/admin/catalog/song/", {"q": "tinh yeu"}).content.decode()
    assert "Tình Yêu Màu Nắng" in songs and "Chạy Ngay Đi" not in songs
    assert "Đen Vâu" in client.get("/admin/catalog/artist/", {"q": "den"}).content.decode()
    assert "Nhạc Đêm Khuya" in client.get("/admin/collections_app/collection/", {"q": "NHAC DEM"}).content.decode()
    users = client.get("/admin/users/user/", {"q": "duc"}).content.decode()
    assert "phuc@example.com" in users
    # The admin's own lookups still apply: an email finds its account.
    assert "phuc@example.com" in client.get("/admin/users/user/", {"q": "phuc@example.com"}).content.decode()


def test_admin_deletes_go_through_the_services_and_take_the_pictures_along(
    client, superuser, settings, django_capture_on_commit_callbacks
):
    from catalog.models import Artist
    from collections_app.models import Collection
    from tests.factories import CollectionFactory, UserFactory
    from tests.media import image_file
    from users.models import User

    artist = ArtistFactory()
    artist.avatar.save("a.png", image_file(), save=True)
    collection = CollectionFactory()
    collection.thumbnail.save("c.png", image_file(), save=True)
    listener = UserFactory()
    listener.avatar.save("u.png", image_file(), save=True)
    files = [settings.MEDIA_ROOT / item.name for item in (artist.avatar, collection.thumbnail, listener.avatar)]
    assert all(path.exists() for path in files)

    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/catalog/artist/{artist.pk}/delete/", {"post": "yes"})
        client.post(
            "/admin/collections_app/collection/",
            {"action": "delete_selected", "_selected_action": [collection.pk], "post": "yes"},
        )
        client.post(f"/admin/users/user/{listener.pk}/delete/", {"post": "yes"})
    assert not Artist.objects.filter(pk=artist.pk).exists() and not Collection.objects.filter(pk=collection.pk).exists()
    assert not User.objects.filter(pk=listener.pk).exists()
    assert not any(path.exists() for path in files)


def test_the_admin_speaks_vietnamese_to_a_vietnamese_browser(client, superuser):
    SongFactory(title="Mưa Tháng Sáu")
    client.force_login(superuser)

    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi-VN").content.decode()
    assert "Site quản trị hệ thống." in index  # Django's own words
    for section in ("Kho nhạc", "Bài hát", "Nghệ sĩ", "Bộ sưu tập", "Thanh toán", "Đơn hàng", "Người dùng"):
        assert section in index  # the project's apps and models

    songs = client.get("/admin/catalog/song/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chọn bài hát để thay đổi" in songs and "Mưa Tháng Sáu" in songs
    assert "Nghệ sĩ chính" in songs and "Trạng thái âm thanh" in songs  # columns
    assert "năm phát hành" in songs and "Chưa có âm thanh" in songs  # filters and their choices

    done = client.post(
        "/admin/catalog/song/",
        {"action": "process_again", "_selected_action": [str(Song.objects.get().pk)]},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    assert "Đang xử lý lại âm thanh của 0 bài hát." in done.content.decode()

    english = client.get("/admin/catalog/song/").content.decode()
    assert "Select song to change" in english and "Primary artist" in english and "release year" in english
