"""The upload and streaming flow, end to end over HTTP, on both audio storages."""

import contextlib
import os
import time
from datetime import timedelta

import boto3
import pytest
import requests
from django.utils import timezone

from catalog.models import Play, Song
from tests.catalog.uploads import put_audio
from tests.factories import SongFactory
from tests.media import silent_mp3, wav_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def upload_flow(admin, song, audio: bytes, live_server, jobs) -> dict:
    """Presign, PUT the bytes, complete, and let the worker process them; returns the song's detail."""
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    put = requests.put(
        presigned["url"].replace("http://testserver", live_server.url),
        data=audio,
        headers=presigned["headers"],
        timeout=10,
    )
    assert put.status_code == 200, put.text
    completed = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert completed.status_code == 200, completed.json()
    assert completed.json()["data"]["audio_status"] == "processing"
    jobs.run()
    return admin.get(f"/v1/song/{song.pk}").json()["data"]


# --- local storage (the embedded default) ----------------------------------------------------


def test_local_upload_processing_stream_and_range(admin, live_server, api_client, jobs):
    song = SongFactory(duration=None)
    audio = wav_bytes(6)
    data = upload_flow(admin, song, audio, live_server, jobs)
    assert data["duration"] == 6 and data["has_audio"] is True and data["audio_status"] == "ready"
    song.refresh_from_db()
    assert song.audio_key == f"songs/{song.pk}/normal.m4a" and song.audio_high_key == f"songs/{song.pk}/high.m4a"

    stream = api_client.get(f"/v1/song/{song.pk}/presigned/stream")
    assert stream.status_code == 200 and stream.json()["quality"] == "normal"
    url = stream.json()["url"].replace("http://testserver", live_server.url)
    whole = requests.get(url, timeout=10)
    assert whole.status_code == 200 and whole.content[4:8] == b"ftyp"  # MP4, not the upload
    assert whole.headers["Content-Type"] == "audio/mp4" and whole.headers["Accept-Ranges"] == "bytes"
    size = len(whole.content)
    part = requests.get(url, headers={"Range": "bytes=100-1099"}, timeout=10)
    assert part.status_code == 206 and part.content == whole.content[100:1100]
    assert part.headers["Content-Range"] == f"bytes 100-1099/{size}"
    tail = requests.get(url, headers={"Range": "bytes=-10"}, timeout=10)
    assert tail.status_code == 206 and tail.content == whole.content[-10:]
    assert requests.get(url, headers={"Range": f"bytes={size + 5}-"}, timeout=10).status_code == 416
    assert Play.objects.filter(song=song).count() == 1  # the stream URL counted one play


def test_local_signed_urls_refuse_forgery(admin, live_server):
    song = SongFactory()
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    url = presigned["url"].replace("http://testserver", live_server.url)
    forged = requests.put(url[:-3] + "abc", data=silent_mp3(1), headers=presigned["headers"], timeout=10)
    assert forged.status_code == 403 and forged.json()["code"] == "invalid_signature"
    assert Song.objects.get(pk=song.pk).audio_key == ""


def streamed(api_client, song, live_server) -> requests.Response:
    url = api_client.get(f"/v1/song/{song.pk}/presigned/stream").json()["url"]
    return requests.get(url.replace("http://testserver", live_server.url), timeout=10)


def test_local_put_starts_processing_without_complete(admin, live_server, api_client, jobs):
    song = SongFactory(duration=None)
    assert put_audio(admin, song, silent_mp3(4), live_server).status_code == 200
    song.refresh_from_db()
    assert song.audio_status == "processing" and song.duration == 4 and song.upload_requested_at is None
    assert api_client.get(f"/v1/song/{song.pk}/presigned/stream").json()["code"] == "audio_missing"
    jobs.run()
    assert streamed(api_client, song, live_server).content[4:8] == b"ftyp"
    # `complete` is still accepted afterwards, and changes nothing.
    completed = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert completed.status_code == 200 and completed.json()["data"]["audio_status"] == "ready"


def test_the_bytes_decide_whatever_the_content_type_says(admin, live_server, api_client, jobs):
    song = SongFactory(duration=None)
    assert put_audio(admin, song, wav_bytes(3), live_server, content_type="audio/mpeg").status_code == 200
    jobs.run()
    song.refresh_from_db()
    assert song.audio_status == "ready" and song.duration == 3 and song.audio_content_type == "audio/mp4"


@pytest.mark.parametrize("content_type", ["audio/x-wav", "audio/webm", "application/octet-stream"])
def test_any_audio_content_type_gets_an_upload_url(admin, content_type):
    song = SongFactory()
    response = admin.get(f"/v1/song/{song.pk}/presigned/upload?content_type={content_type}")
    assert response.status_code == 200 and response.json()["headers"] == {"Content-Type": content_type}


def test_an_upload_url_for_what_is_not_audio_is_refused(admin):
    response = admin.get(f"/v1/song/{SongFactory().pk}/presigned/upload?content_type=text/html")
    assert response.status_code == 400 and "content_type" in response.json()["fields"]


def test_bad_bytes_never_replace_good_audio(admin, live_server, api_client, jobs):
    song = SongFactory(duration=None)
    upload_flow(admin, song, wav_bytes(5), live_server, jobs)
    before = streamed(api_client, song, live_server).content
    bad = put_audio(admin, song, b"<html>definitely not audio</html>" * 100, live_server)
    assert bad.status_code == 400 and bad.json()["code"] == "not_audio"
    jobs.run()
    song.refresh_from_db()
    assert song.audio_status == "ready" and song.duration == 5
    assert streamed(api_client, song, live_server).content == before  # byte-identical


def test_a_refused_first_upload_leaves_the_song_without_audio(admin, live_server):
    song = SongFactory(duration=None)
    response = put_audio(admin, song, b"<html>definitely not audio</html>" * 100, live_server)
    assert response.status_code == 400 and response.json()["code"] == "not_audio"
    song.refresh_from_db()
    assert song.audio_key == "" and song.upload_requested_at is None and song.audio_status == "none"


def test_an_upload_longer_than_the_limit_is_too_long(admin, live_server, settings):
    settings.AUDIO_MAX_SECONDS = 2
    song = SongFactory()
    response = put_audio(admin, song, wav_bytes(3), live_server)
    assert response.status_code == 400 and response.json()["code"] == "too_long"
    assert Song.objects.get(pk=song.pk).audio_status == "none"


def test_complete_without_an_upload_is_404(admin):
    song = SongFactory()
    response = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert response.status_code == 404 and response.json()["code"] == "audio_missing"


def test_upload_over_the_size_limit_is_refused(admin, live_server, settings):
    settings.AUDIO_MAX_BYTES = 10_000
    song = SongFactory()
    response = put_audio(admin, song, silent_mp3(2), live_server)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert Song.objects.get(pk=song.pk).audio_key == ""


def test_deleting_a_song_deletes_its_audio(admin, live_server, settings, jobs):
    song = SongFactory()
    upload_flow(admin, song, wav_bytes(2), live_server, jobs)
    folder = settings.MEDIA_ROOT / f"songs/{song.pk}"
    assert {path.name for path in folder.iterdir()} == {"normal.m4a", "high.m4a", "original"}
    assert admin.delete(f"/v1/song/{song.pk}").status_code == 204
    assert not any(folder.iterdir())


def test_duration_given_by_the_client_is_kept(admin, live_server, jobs):
    song = SongFactory(duration=200)
    assert upload_flow(admin, song, wav_bytes(3), live_server, jobs)["duration"] == 200


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


def keys_of(s3, song) -> set[str]:
    listed = s3.list_objects_v2(Bucket="hust-media", Prefix=f"songs/{song.pk}/")
    return {item["Key"].rsplit("/", 1)[-1] for item in listed.get("Contents", [])}


def test_s3_presigned_put_processing_and_presigned_get(admin, s3, api_client, jobs):
    song = SongFactory(duration=None)
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    assert "X-Amz-Signature" in presigned["url"] and "/hust-media/songs/" in presigned["url"]
    put = requests.put(presigned["url"], data=wav_bytes(5), headers=presigned["headers"], timeout=10)
    assert put.status_code == 200, put.text
    completed = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert completed.status_code == 200 and completed.json()["data"]["duration"] == 5
    jobs.run()
    head = s3.head_object(Bucket="hust-media", Key=f"songs/{song.pk}/normal.m4a")
    assert head["ContentType"] == "audio/mp4"
    assert keys_of(s3, song) == {"normal.m4a", "high.m4a", "original"}

    url = api_client.get(f"/v1/song/{song.pk}/presigned/stream").json()["url"]
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content[4:8] == b"ftyp"
    assert requests.get(url, headers={"Range": "bytes=0-99"}, timeout=10).status_code == 206

    assert admin.delete(f"/v1/song/{song.pk}").status_code == 204
    assert keys_of(s3, song) == set()


def test_s3_complete_refuses_a_non_audio_object(admin, s3):
    song = SongFactory()
    s3.put_object(
        Bucket="hust-media", Key=f"songs/{song.pk}/upload", Body=b"MZ\x90\x00 an executable", ContentType="audio/mpeg"
    )
    response = admin.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert response.status_code == 400 and response.json()["code"] == "not_audio"
    assert Song.objects.get(pk=song.pk).audio_key == "" and keys_of(s3, song) == set()


def test_s3_upload_never_completed_is_accepted_at_the_next_stream_request(admin, s3, api_client, jobs):
    song = SongFactory(duration=None)
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload?content_type=audio/wav").json()
    # Any Content-Type is accepted by the presigned PUT: the bytes decide.
    put = requests.put(presigned["url"], data=wav_bytes(2), headers={"Content-Type": "audio/mpeg"}, timeout=10)
    assert put.status_code == 200, put.text
    assert Song.objects.get(pk=song.pk).audio_status == "none"  # nobody called complete

    first = api_client.get(f"/v1/song/{song.pk}/presigned/stream")
    assert first.status_code == 404 and "processed" in first.json()["error"]
    assert Song.objects.get(pk=song.pk).audio_status == "processing"
    jobs.run()
    url = api_client.get(f"/v1/song/{song.pk}/presigned/stream").json()["url"]
    assert requests.get(url, timeout=10).content[4:8] == b"ftyp"
    assert keys_of(s3, song) == {"normal.m4a", "high.m4a", "original"}


def test_s3_bad_upload_found_at_stream_time_keeps_the_live_audio(admin, s3, api_client, jobs):
    song = SongFactory(duration=None)
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    requests.put(presigned["url"], data=wav_bytes(3), headers=presigned["headers"], timeout=10)
    assert admin.post(f"/v1/song/{song.pk}/presigned/complete", {}).status_code == 200
    jobs.run()
    good = requests.get(api_client.get(f"/v1/song/{song.pk}/presigned/stream").json()["url"], timeout=10).content

    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    requests.put(presigned["url"], data=b"<html>not audio</html>", headers=presigned["headers"], timeout=10)
    url = api_client.get(f"/v1/song/{song.pk}/presigned/stream").json()["url"]
    assert requests.get(url, timeout=10).content == good
    song.refresh_from_db()
    assert song.upload_requested_at is None and song.audio_status == "ready"


def test_s3_image_uploads_are_stored_in_the_bucket(admin, s3):
    from tests.media import image_file

    song = SongFactory()
    response = admin.post(f"/v1/song/{song.pk}", {"file": image_file("c.png")}, format="multipart")
    assert response.status_code == 200
    assert s3.head_object(Bucket="hust-media", Key=f"songs/{song.pk}/thumbnail.png")["ContentLength"] > 0


# --- uploads never finished are purged -----------------------------------------------------------


def test_uploads_left_unfinished_for_a_day_are_purged_locally(admin, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from catalog.services import uploads_purge_abandoned

    abandoned, fresh = SongFactory(), SongFactory()
    Song.objects.filter(pk=abandoned.pk).update(upload_requested_at=timezone.now() - timedelta(days=2))
    for song in (abandoned, fresh):
        default_storage.save(f"songs/{song.pk}/upload", ContentFile(b"half an upload"))
        default_storage.save(f"songs/{song.pk}/normal.m4a", ContentFile(silent_mp3(1)))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(f"songs/{abandoned.pk}/upload"), (two_days_ago, two_days_ago))

    assert uploads_purge_abandoned() == 1
    assert not default_storage.exists(f"songs/{abandoned.pk}/upload")
    assert default_storage.exists(f"songs/{fresh.pk}/upload")  # still within its day
    assert default_storage.exists(f"songs/{abandoned.pk}/normal.m4a") and default_storage.exists(
        f"songs/{fresh.pk}/normal.m4a"
    )
    assert Song.objects.get(pk=abandoned.pk).upload_requested_at is None
    assert uploads_purge_abandoned() == 0


def test_uploads_left_unfinished_are_purged_on_s3(admin, s3, settings):
    from catalog.services import uploads_purge_abandoned

    song = SongFactory()
    s3.put_object(Bucket="hust-media", Key=f"songs/{song.pk}/upload", Body=b"half an upload")
    s3.put_object(Bucket="hust-media", Key=f"songs/{song.pk}/normal.m4a", Body=silent_mp3(1))
    assert uploads_purge_abandoned() == 0  # a fresh upload may still be finished

    settings.UPLOAD_PURGE_AFTER_SECONDS = 0  # as if a day had passed
    assert uploads_purge_abandoned() >= 1  # (moto's bucket may hold other tests' objects too)
    listed = s3.list_objects_v2(Bucket="hust-media", Prefix=f"songs/{song.pk}/")
    assert [item["Key"] for item in listed["Contents"]] == [f"songs/{song.pk}/normal.m4a"]
