"""The admin's "Add Song" flow over real HTTP, as the Next.js server runs it (§6.5 of the call catalogue):
components/dialogs/AddSongDialog.tsx → app/api/song/route.ts → app/api/song/[id]/upload-url/route.ts.

The server makes TWO PUTs per song: first a multipart envelope mislabelled `Content-Type: audio/mpeg`
with an Authorization header (its result is ignored), then the raw bytes with the file's type (or
an empty one) and no Authorization. Nothing calls `complete`: after the second PUT the song plays.
"""

import io
import uuid

import mutagen
import pytest
import requests

from tests.factories import ArtistFactory, UserFactory
from tests.helpers import signed_in_client
from tests.media import silent_mp3
from tests.webclient.shapes import CREATED, SONG_DETAIL, STREAM_URL, parse
from users.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "http://localhost:3000"


class NextServer:
    """The Next.js route handlers' fetch() calls, against the live API."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def auth(self, **headers) -> dict:
        return {"Authorization": f"Bearer {self.token}", **headers}

    def create_song(self, artists) -> str:
        """app/api/song/route.ts step 1: POST /v1/song with the dialog's form minus audioFile."""
        form = {
            "title": "Bài Mới",
            "genre": "",
            "releasedate": "2025-03-07",
            "duration": "0",
            "artists": ",".join(str(a.pk) for a in artists),
            "file": "null",
        }
        response = requests.post(
            f"{self.base}/v1/song",
            files={k: (None, v) for k, v in form.items()},
            headers=self.auth(**{"cache-control": "no-cache"}),
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return parse(CREATED, response.json())["data"]["id"]

    def upload_url(self, song_id: str) -> str:
        """GET /v1/song/{id}/presigned/upload with Authorization only (no content_type query)."""
        response = requests.get(f"{self.base}/v1/song/{song_id}/presigned/upload", headers=self.auth(), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["url"]

    def put_envelope(self, url: str, audio: bytes, name="bai-moi.mp3") -> requests.Response:
        """app/api/song/route.ts step 3: fetch(url, {method: 'PUT', body: FormData{file}, headers: {Authorization,
        'Content-Type': file.type, 'cache-control': 'no-cache'}}): undici's multipart body under an audio type."""
        boundary = "----formdata-undici-0" + uuid.uuid4().hex[:11]
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: audio/mpeg\r\n\r\n"
            ).encode()
            + audio
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return requests.put(
            url, data=body, timeout=10, headers=self.auth(**{"Content-Type": "audio/mpeg", "cache-control": "no-cache"})
        )

    def put_raw(self, url: str, data: bytes, content_type: str = "audio/mpeg") -> requests.Response:
        """app/api/song/[id]/upload-url/route.ts PUT: the raw file, 'Content-Type': file.type, no Authorization."""
        return requests.put(
            url, data=data, timeout=10, headers={"Content-Type": content_type, "cache-control": "no-cache"}
        )


@pytest.fixture
def staff(live_server):
    admin = UserFactory(role=Role.ADMIN)
    return NextServer(live_server.url, signed_in_client(admin).session_tokens["access_token"])


def play(base: str, song_id: str) -> requests.Response:
    """app/api-fetch/get-song.ts getSong() then contexts/media-context.tsx playSong(): fetch(url) from the browser."""
    stream = requests.get(f"{base}/v1/song/{song_id}/presigned/stream", headers={"Origin": ORIGIN}, timeout=10)
    assert stream.status_code == 200, stream.text
    audio = requests.get(parse(STREAM_URL, stream.json())["url"], headers={"Origin": ORIGIN}, timeout=10)
    assert audio.status_code == 200, audio.text
    assert audio.headers.get("Access-Control-Allow-Origin") in {ORIGIN, "*"}  # playSong's fetch is cross-origin
    return audio


def seconds_of(audio: bytes) -> float:
    decoded = mutagen.File(io.BytesIO(audio))
    assert decoded is not None, "the stream is not audio"
    return decoded.info.length


@pytest.mark.parametrize("content_type", ["audio/mpeg", ""])
def test_add_song_dialog_two_puts_then_play(live_server, staff, content_type, jobs):
    """components/dialogs/AddSongDialog.tsx handleSave → app/api/song/route.ts POST (metadata, presign, PUT #1)
    → app/api/song/[id]/upload-url/route.ts PUT (presign again, PUT #2 raw; `file.type` may be ""):
    no complete call, then the song plays and its page parses (app/model/schemas/song-by-id.ts)."""
    song_id = staff.create_song([ArtistFactory(name="Mỹ Tâm")])
    audio = silent_mp3(4)

    first = staff.put_envelope(staff.upload_url(song_id), audio)
    assert first.status_code < 500, first.text  # ignored by the client, but never a crash

    second = staff.put_raw(staff.upload_url(song_id), audio, content_type)
    assert 200 <= second.status_code < 300, second.text  # the route checks uploadResponse.ok

    jobs.run()  # the job worker turns the upload into renditions (seconds, beside `make run`)
    served = play(live_server.url, song_id)
    assert abs(seconds_of(served.content) - 4) < 0.5
    detail = requests.get(f"{live_server.url}/v1/song/{song_id}", timeout=10)
    song = parse(SONG_DETAIL, detail.json())
    song = song.get("data", song)
    assert abs(song["duration"] - 4) <= 1  # "0" was unknown: the audio told it


def test_an_upload_of_any_audio_type_is_accepted(live_server, staff, jobs):
    """app/api/song/[id]/upload-url/route.ts PUT sends `Content-Type: file.type` whatever the browser guessed
    (audio/mp3 from some browsers), on a URL presigned without content_type: the bytes decide."""
    song_id = staff.create_song([ArtistFactory()])
    response = staff.put_raw(staff.upload_url(song_id), silent_mp3(3), "audio/mp3")
    assert 200 <= response.status_code < 300, response.text
    jobs.run()
    assert abs(seconds_of(play(live_server.url, song_id).content) - 3) < 0.5


def test_a_put_that_is_not_audio_keeps_the_previous_audio(live_server, staff, jobs):
    """app/api/song/[id]/upload-url/route.ts PUT of a file that is not audio (the dialog's input only hints
    accept="audio/*"): 400 in the error envelope, and the song keeps playing its previous audio."""
    song_id = staff.create_song([ArtistFactory()])
    assert staff.put_raw(staff.upload_url(song_id), silent_mp3(5)).status_code in {200, 201, 204}
    jobs.run()
    refused = staff.put_raw(staff.upload_url(song_id), b"<html>not audio at all</html>" * 200)
    assert refused.status_code == 400, refused.text
    assert set(refused.json()) >= {"error", "code"}
    assert abs(seconds_of(play(live_server.url, song_id).content) - 5) < 0.5
