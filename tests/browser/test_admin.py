"""The curation console in a real browser: sign in, create an artist and a song, hear the song."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalog.models import Song
from tests.browser.conftest import screenshot
from tests.media import silent_mp3
from users.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_signs_in_creates_an_artist_and_a_song_and_sees_the_player(page, live_server):
    User.objects.create_superuser(email="curator@hustmusik.vn", password="Curator-Pass-2025!")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "curator@hustmusik.vn")
    page.fill("#id_password", "Curator-Pass-2025!")
    page.click("input[type=submit]")
    page.wait_for_selector("text=Site administration")

    page.goto(f"{live_server.url}/admin/catalog/artist/add/")
    page.fill("#id_name", "Hòa Minzy")
    page.click("input[name=_save]")
    page.wait_for_selector("text=was added successfully")

    from catalog.models import Artist

    artist = Artist.objects.get(name="Hòa Minzy")
    page.goto(f"{live_server.url}/admin/catalog/song/add/")
    page.fill("#id_title", "Không Thể Cùng Nhau Suốt Kiếp")
    page.fill("#id_genre", "Ballad")
    # The artist field is an autocomplete widget; pick the artist the way its search would.
    page.eval_on_selector(
        "#id_credits-0-artist",
        "(el, [id, name]) => { el.add(new Option(name, id, true, true)); el.dispatchEvent(new Event('change')); }",
        [str(artist.pk), artist.name],
    )
    page.select_option("#id_credits-0-relation", "Primary")
    page.click("input[name=_save]")
    page.wait_for_selector("text=was added successfully")

    song = Song.objects.get(title="Không Thể Cùng Nhau Suốt Kiếp")
    key = f"songs/{song.pk}/audio.mp3"
    default_storage.save(key, ContentFile(silent_mp3(3)))
    Song.objects.filter(pk=song.pk).update(audio_key=key, audio_content_type="audio/mpeg", duration=3)

    page.goto(f"{live_server.url}/admin/catalog/song/{song.pk}/change/")
    player = page.locator("audio[controls]")
    player.wait_for()  # visible: a real player, not an empty box
    source = player.get_attribute("src")
    fetched = page.request.get(f"{live_server.url}{source}")
    assert fetched.status == 200 and fetched.headers["content-type"] == "audio/mpeg"
    assert screenshot(page, "admin-song-player").exists()
