"""Fixtures of the web-client compatibility suite: the browser's origin, the headers the
client sends, and a small catalogue shaped like the one the client's pages show."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest
from rest_framework.test import APIClient

from catalog import services
from tests.factories import ArtistFactory, CollectionFactory, SongFactory, UserFactory
from tests.helpers import signed_in_client
from tests.media import silent_mp3
from users.models import Role

WEB_ORIGIN = "http://localhost:3000"
# `getCookie('session_token')` on an HttpOnly cookie is undefined, so the admin tables send this.
BEARER_UNDEFINED = {"Authorization": "Bearer undefined"}
NO_CACHE = {"cache-control": "no-cache"}


@pytest.fixture(autouse=True)
def _web_origin(settings):
    """The Next.js app runs on localhost:3000 (set explicitly: tests do not run with DEBUG)."""
    settings.CORS_ALLOWED_ORIGINS = [WEB_ORIGIN]


class Browser:
    """Requests as the client's code sends them: exact path, exact headers, the app's Origin.

    Paths are given as the client's code builds them and percent-encoded as `fetch`/axios put
    them on the wire (spaces and non-ASCII letters; `+` and `/` stay as they are).
    """

    def __init__(self, client: APIClient | None = None, *, origin: str | None = WEB_ORIGIN):
        self.client = client or APIClient()
        self.origin = origin

    def _headers(self, headers: dict | None) -> dict:
        merged = {"Origin": self.origin} if self.origin else {}
        merged.update(headers or {})
        return merged

    def _bare(self, method: str, path: str, headers: dict | None):
        # content_type=None: no Content-Type unless the client's code sets one (then it is a header).
        return self.client.generic(method, on_the_wire(path), content_type=None, headers=self._headers(headers))

    def get(self, path: str, *, headers: dict | None = None):
        return self._bare("GET", path, headers)

    def delete(self, path: str, *, headers: dict | None = None):
        return self._bare("DELETE", path, headers)

    def post_empty(self, path: str, *, headers: dict | None = None):
        return self._bare("POST", path, headers)

    def options(self, path: str, *, headers: dict | None = None):
        return self._bare("OPTIONS", path, headers)

    def post_json(self, path: str, body: dict, *, headers: dict | None = None):
        return self.client.generic(
            "POST", on_the_wire(path), json.dumps(body), content_type="application/json", headers=self._headers(headers)
        )

    def post_form(self, path: str, fields: dict, *, headers: dict | None = None):
        """A `FormData` body: multipart, every value a form string unless it is a file."""
        return self.client.post(on_the_wire(path), fields, format="multipart", headers=self._headers(headers))


def on_the_wire(path: str) -> str:
    """What `fetch`/axios send for a URL built by string interpolation: spaces and non-ASCII percent-encoded."""
    return quote(path, safe="!#$&'()*+,/:;=?@[]~%")


@pytest.fixture
def browser() -> Browser:
    """The browser, calling the API cross-origin (NEXT_PUBLIC_API_URL) with no session."""
    return Browser()


@pytest.fixture
def next_server():
    """The Next.js server's proxies (app/api/**): no Origin; `as_(user)` sends that user's real token."""

    class NextServer:
        def as_(self, user) -> Browser:
            return Browser(signed_in_client(user), origin=None)

        @property
        def ssr(self) -> Browser:
            return Browser(origin=None)

    return NextServer()


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMIN, username="Quản Trị")


@dataclass
class Catalogue:
    son_tung: object
    den_vau: object
    no_avatar: object
    lac_troi: object
    di_ve_nha: object
    no_thumbnail: object
    album: object
    playlist: object
    private_playlist: object
    listener: object
    admin: object


@pytest.fixture
def catalogue(db, admin) -> Catalogue:
    """Artists with and without pictures, songs with one and two credits, a release, playlists."""
    son_tung = ArtistFactory(
        name="Sơn Tùng M-TP", avatar_url="https://res.cloudinary.com/demo/image/upload/artists/st.jpg"
    )
    den_vau = ArtistFactory(name="Đen Vâu", avatar_url="https://res.cloudinary.com/demo/image/upload/artists/dv.jpg")
    no_avatar = ArtistFactory(name="Justatee", description="", country="")
    lac_troi = SongFactory(
        title="Lạc Trôi", artists=[son_tung], thumbnail_url="https://res.cloudinary.com/demo/image/upload/songs/lt.jpg"
    )
    di_ve_nha = SongFactory(title="Đi Về Nhà", artists=[den_vau, no_avatar], genre="Rap")
    no_thumbnail = SongFactory(title="Nơi Này Có Anh", artists=[son_tung], genre="", duration=None)
    listener = UserFactory(username="Nguyễn Thu Trang")
    album = CollectionFactory(title="Sky Decade", type="Album", owner=admin, songs=[lac_troi, no_thumbnail])
    playlist = CollectionFactory(title="Chill Cuối Tuần", owner=listener, songs=[di_ve_nha, lac_troi])
    private_playlist = CollectionFactory(title="Nhạc Riêng Tư", owner=listener, visibility="Private", songs=[lac_troi])
    return Catalogue(
        son_tung,
        den_vau,
        no_avatar,
        lac_troi,
        di_ve_nha,
        no_thumbnail,
        album,
        playlist,
        private_playlist,
        listener,
        admin,
    )


def give_audio(song, uploader, seconds: float = 3) -> bytes:
    """Setup through the contract's own calls: presign, PUT the bytes to the signed URL, complete."""
    manager = signed_in_client(uploader)
    presigned = manager.get(f"/v1/song/{song.pk}/presigned/upload").json()
    audio = silent_mp3(seconds)
    put = APIClient().generic(
        "PUT", urlsplit(presigned["url"]).path, audio, content_type=presigned["headers"]["Content-Type"]
    )
    assert put.status_code == 200, put.content
    completed = manager.post(f"/v1/song/{song.pk}/presigned/complete", {})
    assert completed.status_code == 200, completed.content
    # What the job worker does next, run here: these tests' transaction is not visible to a worker.
    song.refresh_from_db()
    services.song_process_audio(song_id=song.pk, source=song.audio_pending_key)
    return audio
