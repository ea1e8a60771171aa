"""Uploaded images on local storage are served by the app with DEBUG off, as audio is.

Found by an attacker: with DEBUG off and no S3, every avatarurl and thumbnailurl was a 404 HTML page.
(The tests run with DEBUG off, as production does.)
"""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import ArtistFactory
from tests.helpers import signed_in_client
from tests.media import image_file, silent_mp3
from users.models import Role

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_an_uploaded_avatar_is_served_publicly_and_cacheably(api_client, user):
    upload = signed_in_client(user).post("/v1/user/me", {"file": image_file("me.gif", "GIF")}, format="multipart")
    url = upload.json()["data"]["avatarurl"]
    response = api_client.get(path_of(url))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"GIF8")
    again = api_client.get(path_of(url), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_song_and_collection_covers_are_served(client_as, api_client):
    admin = client_as(Role.ADMIN)
    artist = ArtistFactory()
    song = admin.post(
        "/v1/song", {"title": "Bìa", "artists": str(artist.pk), "file": image_file("c.png")}, format="multipart"
    ).json()["data"]
    collection = admin.post(
        "/v1/collection", {"title": "Bìa", "file": image_file("c.webp", "WEBP")}, format="multipart"
    ).json()["data"]
    for url, content_type in ((song["thumbnailurl"], "image/png"), (collection["thumbnailurl"], "image/webp")):
        response = api_client.get(path_of(url))
        assert response.status_code == 200 and response["Content-Type"] == content_type


@pytest.mark.parametrize(
    "name",
    [
        "songs/0b7f7a4e-6c1b-4c38-9d8e-2f4b1a9c3d11/audio.mp3",  # audio only through its signed URL
        "songs/0b7f7a4e-6c1b-4c38-9d8e-2f4b1a9c3d11/thumbnail.png/../audio.mp3",
        "../settings.py",
        "users/0b7f7a4e-6c1b-4c38-9d8e-2f4b1a9c3d11/avatar.png",  # no such file
    ],
)
def test_nothing_else_under_media_is_served(api_client, name):
    default_storage.save("songs/0b7f7a4e-6c1b-4c38-9d8e-2f4b1a9c3d11/audio.mp3", ContentFile(silent_mp3(1)))
    response = api_client.get(f"/media/{name}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
