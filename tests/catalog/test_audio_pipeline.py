"""The audio pipeline through the API and a real worker: renditions, qualities, loudness, waveform, failures."""

from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from catalog import services
from catalog.models import Song
from tests.catalog.uploads import put_audio
from tests.factories import SongFactory, UserFactory
from tests.helpers import signed_in_client
from tests.media import encoded_tone, wav_bytes
from users.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def upload(admin, song, audio: bytes, live_server, jobs) -> Song:
    put = put_audio(admin, song, audio, live_server)
    assert put.status_code == 200, put.text
    jobs.run()
    return Song.objects.get(pk=song.pk)


def fetch(client, song, live_server, **query) -> requests.Response:
    answer = client.get(f"/v1/song/{song.pk}/presigned/stream", query)
    assert answer.status_code == 200, answer.json()
    return requests.get(answer.json()["url"].replace("http://testserver", live_server.url), timeout=30)


def test_a_wav_upload_becomes_two_aac_renditions_far_smaller_than_it(admin, api_client, live_server, jobs, tmp_path):
    song = SongFactory(duration=None)
    audio = encoded_tone(tmp_path / "tone.wav", codec="pcm_s16le", container="wav", seconds=20)
    song = upload(admin, song, audio, live_server, jobs)
    assert song.audio_status == "ready" and song.duration == 20

    detail = api_client.get(f"/v1/song/{song.pk}").json()["data"]
    assert detail["audio_status"] == "ready" and len(detail["waveform"]) == 400
    assert detail["loudness_gain_db"] == pytest.approx(9.0, abs=0.3)  # a -23 LUFS tone, brought to -14
    assert api_client.get("/v1/song").json()["data"][0]["audio_status"] == "ready"

    normal = fetch(api_client, song, live_server)
    assert normal.headers["Content-Type"] == "audio/mp4" and normal.content[4:8] == b"ftyp"
    assert len(normal.content) < len(audio) / 5

    premium = UserFactory(premium_until=timezone.now() + timedelta(days=30))
    high = fetch(signed_in_client(premium), song, live_server, quality="high")
    assert high.content[4:8] == b"ftyp" and len(high.content) > len(normal.content)


def test_the_high_quality_is_for_premium_listeners(api_client, client_as, jobs, admin, live_server):
    song = upload(admin, SongFactory(), wav_bytes(2), live_server, jobs)
    anonymous = api_client.get(f"/v1/song/{song.pk}/presigned/stream", {"quality": "high"})
    assert anonymous.status_code == 401
    listener = client_as(Role.USER)
    refused = listener.get(f"/v1/song/{song.pk}/presigned/stream", {"quality": "high"})
    assert refused.status_code == 403 and refused.json()["code"] == "premium_required"
    lapsed = signed_in_client(UserFactory(premium_until=timezone.now() - timedelta(days=1)))
    assert lapsed.get(f"/v1/song/{song.pk}/presigned/stream", {"quality": "high"}).status_code == 403
    unknown = listener.get(f"/v1/song/{song.pk}/presigned/stream", {"quality": "lossless"})
    assert unknown.status_code == 400 and "quality" in unknown.json()["fields"]
    answer = listener.get(f"/v1/song/{song.pk}/presigned/stream")
    assert answer.status_code == 200 and answer.json()["quality"] == "normal"


def test_a_recording_27_db_quieter_gets_27_db_more_gain(admin, live_server, jobs, tmp_path):
    loud = upload(
        admin,
        SongFactory(),
        encoded_tone(tmp_path / "loud.wav", codec="pcm_s16le", container="wav", seconds=6, peak_dbfs=-6.0),
        live_server,
        jobs,
    )
    quiet = upload(
        admin,
        SongFactory(),
        encoded_tone(tmp_path / "quiet.wav", codec="pcm_s16le", container="wav", seconds=6, peak_dbfs=-33.0),
        live_server,
        jobs,
    )
    assert quiet.loudness_gain_db - loud.loudness_gain_db == pytest.approx(27.0, abs=2.0)


def test_the_waveform_of_a_steady_tone_is_flat_and_not_zero(admin, live_server, jobs, tmp_path):
    song = upload(
        admin,
        SongFactory(),
        encoded_tone(tmp_path / "steady.flac", codec="flac", container="flac", seconds=8, peak_dbfs=-12.0),
        live_server,
        jobs,
    )
    inner = song.waveform[2:-2]
    assert min(inner) > 0.5 and max(inner) - min(inner) < 0.05


def test_an_mp3_upload_is_processed_too(admin, live_server, jobs, tmp_path):
    song = upload(
        admin,
        SongFactory(duration=None),
        encoded_tone(tmp_path / "up.mp3", codec="libmp3lame", container="mp3", seconds=4),
        live_server,
        jobs,
    )
    assert song.audio_status == "ready" and song.duration == 4


def test_a_failed_processing_leaves_the_song_failed_and_its_previous_audio_live(admin, api_client, live_server, jobs):
    song = upload(admin, SongFactory(), wav_bytes(3), live_server, jobs)
    before = fetch(api_client, song, live_server).content
    # Bytes that passed the upload check but do not decode when processed (cut off on the way, say).
    default_storage.save(f"songs/{song.pk}/incoming-broken", ContentFile(b"\x00" * 4096))
    Song.objects.filter(pk=song.pk).update(
        audio_pending_key=f"songs/{song.pk}/incoming-broken", audio_status="processing"
    )
    services.song_process_audio(song_id=song.pk, source=f"songs/{song.pk}/incoming-broken")
    song.refresh_from_db()
    assert song.audio_status == "failed" and song.audio_error
    assert fetch(api_client, song, live_server).content == before


def test_a_newer_upload_supersedes_the_one_being_processed(admin, live_server, jobs):
    song = SongFactory(duration=None)
    for seconds in (2, 3):  # two uploads before the worker runs: only the last one goes live
        presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
        requests.put(
            presigned["url"].replace("http://testserver", live_server.url),
            data=wav_bytes(seconds),
            headers=presigned["headers"],
            timeout=30,
        )
        Song.objects.filter(pk=song.pk).update(duration=None)
    jobs.run()
    song.refresh_from_db()
    assert song.audio_status == "ready" and song.duration == 3 and song.audio_pending_key == ""
    folder = Path(default_storage.path(f"songs/{song.pk}"))
    assert sorted(path.name for path in folder.iterdir()) == ["high.m4a", "normal.m4a", "original"]


def test_the_admin_processes_again_from_the_kept_original(admin, client, live_server, jobs):
    song = upload(admin, SongFactory(), wav_bytes(2), live_server, jobs)
    Song.objects.filter(pk=song.pk).update(waveform=None, loudness_gain_db=None)
    superuser = UserFactory(is_staff=True, is_superuser=True, role=Role.ADMIN)
    client.force_login(superuser)
    page = client.get(f"/admin/catalog/song/{song.pk}/change/").content.decode()
    assert "Ready" in page and "<audio" in page
    client.post("/admin/catalog/song/", {"action": "process_again", "_selected_action": [song.pk]})
    assert Song.objects.get(pk=song.pk).audio_status == "processing"
    jobs.run()
    song.refresh_from_db()
    assert song.audio_status == "ready" and len(song.waveform) == 400 and song.loudness_gain_db is not None
    assert 'aria-label="waveform"' in client.get(f"/admin/catalog/song/{song.pk}/change/").content.decode()


def test_processing_again_superseded_by_a_new_upload_keeps_the_original(admin, live_server, jobs):
    song = upload(admin, SongFactory(), wav_bytes(2), live_server, jobs)
    original = song.audio_source_key
    # A newer upload was accepted while the "process again" job ran: that job's results are dropped...
    Song.objects.filter(pk=song.pk).update(audio_pending_key=f"songs/{song.pk}/incoming-newer")
    services.song_process_audio(song_id=song.pk, source=original)
    # ...but the kept original stays until the newer upload replaces it.
    assert default_storage.exists(original)
    assert Song.objects.get(pk=song.pk).audio_source_key == original


def test_a_job_for_a_deleted_song_leaves_nothing_behind(admin, live_server, jobs, settings):
    song = SongFactory()
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload").json()
    requests.put(
        presigned["url"].replace("http://testserver", live_server.url),
        data=wav_bytes(2),
        headers=presigned["headers"],
        timeout=30,
    )
    assert admin.delete(f"/v1/song/{song.pk}").status_code == 204  # before the worker got to it
    jobs.run()
    folder = settings.MEDIA_ROOT / f"songs/{song.pk}"
    assert not folder.exists() or not any(folder.iterdir())
