"""The upload and streaming flow, end to end over HTTP, on both audio storages."""

import contextlib

import boto3
import pytest
import requests

from catalog.models import Song
from tests.factories import SongFactory
from tests.media import silent_mp3
from users.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin(client_as):
    return client_as(Role.ADMIN)


def upload_flow(admin, song, audio: bytes, live_server) -> dict:
    """Presign, PUT the bytes to the presigned URL, complete; returns the completed song."""
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    put = requests.put(presigned["url"].replace("http://testserver", live_server.url), data=audio,
                       headers=presigned["headers"], timeout=10)
    assert put.status_code == 200, put.text
    completed = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert completed.status_code == 200, completed.json()
    return completed.json()["data"]


# --- local storage (the embedded default) ----------------------------------------------------


def test_local_upload_complete_stream_and_range(admin, live_server, api_client):
    song = SongFactory(duration=None)
    audio = silent_mp3(6)
    data = upload_flow(admin, song, audio, live_server)
    assert data["duration"] == 6 and data["has_audio"] is True
    song.refresh_from_db()
    assert song.audio_key == f"songs/{song.pk}/audio.mp3" and song.audio_size == len(audio)

    stream = api_client.get(f"/v1/song/{song.pk}/presigned/stream")
    assert stream.status_code == 200
    url = stream.json()["url"].replace("http://testserver", live_server.url)
    whole = requests.get(url, timeout=10)
    assert whole.status_code == 200 and whole.content == audio
    assert whole.headers["Content-Type"] == "audio/mpeg" and whole.headers["Accept-Ranges"] == "bytes"

    part = requests.get(url, headers={"Range": "bytes=100-1099"}, timeout=10)
    assert part.status_code == 206 and part.content == audio[100:1100]
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(audio)}"
    tail = requests.get(url, headers={"Range": "bytes=-10"}, timeout=10)
    assert tail.status_code == 206 and tail.content == audio[-10:]
    beyond = requests.get(url, headers={"Range": f"bytes={len(audio) + 5}-"}, timeout=10)
    assert beyond.status_code == 416

    song.refresh_from_db()
    assert song.views == 1  # the stream URL counted one view


def test_local_signed_urls_refuse_forgery_and_wrong_content_type(admin, live_server):
    song = SongFactory()
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    url = presigned["url"].replace("http://testserver", live_server.url)
    wrong_type = requests.put(url, data=b"x", headers={"Content-Type": "audio/ogg"}, timeout=10)
    assert wrong_type.status_code == 403 and wrong_type.json()["code"] == "content_type_mismatch"
    forged = requests.put(url[:-3] + "abc", data=b"x", headers=presigned["headers"], timeout=10)
    assert forged.status_code == 403 and forged.json()["code"] == "invalid_signature"


def test_complete_refuses_what_is_not_audio_and_keeps_nothing(admin, live_server):
    song = SongFactory(duration=None)
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    requests.put(presigned["url"].replace("http://testserver", live_server.url),
                 data=b"<html>definitely not audio</html>" * 100, headers=presigned["headers"], timeout=10)
    response = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert response.status_code == 400 and response.json()["code"] == "not_audio"
    song.refresh_from_db()
    assert song.audio_key == ""


def test_complete_without_an_upload_is_404(admin):
    song = SongFactory()
    response = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert response.status_code == 404 and response.json()["code"] == "audio_missing"


def test_upload_over_the_size_limit_is_refused(admin, live_server, settings):
    settings.AUDIO_MAX_BYTES = 10_000
    song = SongFactory()
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    response = requests.put(presigned["url"].replace("http://testserver", live_server.url), data=silent_mp3(2),
                            headers=presigned["headers"], timeout=10)
    assert response.status_code == 413


def test_deleting_a_song_deletes_its_audio(admin, live_server, settings):
    song = SongFactory()
    upload_flow(admin, song, silent_mp3(2), live_server)
    stored = settings.MEDIA_ROOT / f"songs/{song.pk}/audio.mp3"
    assert stored.exists()
    assert admin.delete(f"/v1/song/{song.pk}").status_code == 204
    assert not stored.exists()


def test_duration_given_by_the_client_is_kept(admin, live_server):
    song = SongFactory(duration=200)
    assert upload_flow(admin, song, silent_mp3(3), live_server)["duration"] == 200


# --- S3 (moto's server over HTTP) -------------------------------------------------------------


@pytest.fixture
def s3(settings):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    boto3.client("s3", endpoint_url=endpoint, **credentials).create_bucket(Bucket="hust-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "hust-media",
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "addressing_style": "path",
                "file_overwrite": True,
                "default_acl": None,
                "querystring_auth": False,
                "signature_version": "s3v4",
            },
        },
    }
    client = boto3.client("s3", endpoint_url=endpoint, **credentials)
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            server.stop()


def test_s3_presigned_put_complete_and_presigned_get(admin, s3, api_client):
    song = SongFactory(duration=None)
    audio = silent_mp3(5)
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    assert "X-Amz-Signature" in presigned["url"] and "/hust-media/songs/" in presigned["url"]
    put = requests.put(presigned["url"], data=audio, headers=presigned["headers"], timeout=10)
    assert put.status_code == 200, put.text

    completed = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert completed.status_code == 200, completed.json()
    assert completed.json()["data"]["duration"] == 5
    head = s3.head_object(Bucket="hust-media", Key=f"songs/{song.pk}/audio.mp3")
    assert head["ContentType"] == "audio/mpeg" and head["ContentLength"] == len(audio)

    url = api_client.get(f"/v1/song/{song.pk}/presigned/stream").json()["url"]
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content == audio
    assert requests.get(url, headers={"Range": "bytes=0-99"}, timeout=10).status_code == 206

    assert admin.delete(f"/v1/song/{song.pk}").status_code == 204
    assert s3.list_objects_v2(Bucket="hust-media").get("KeyCount", 0) == 0


def test_s3_complete_refuses_a_non_audio_object(admin, s3):
    song = SongFactory()
    s3.put_object(Bucket="hust-media", Key=f"songs/{song.pk}/audio.mp3", Body=b"MZ\x90\x00 an executable", ContentType="application/x-msdownload")
    response = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert response.status_code == 400 and response.json()["code"] == "not_audio"
    assert Song.objects.get(pk=song.pk).audio_key == ""


def test_s3_image_uploads_are_stored_in_the_bucket(admin, s3):
    from tests.media import image_file

    song = SongFactory()
    response = admin.post(f"/v1/song/{song.pk}", {"file": image_file("c.png")}, format="multipart")
    assert response.status_code == 200
    assert s3.head_object(Bucket="hust-media", Key=f"songs/{song.pk}/thumbnail.png")["ContentLength"] > 0
