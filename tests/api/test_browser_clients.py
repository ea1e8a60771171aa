"""What browser clients need of the API whatever client they are: CORS, slashes, absent credentials,
default pictures, lenient forms, `?search=` on the admin lists, and the aliases they use."""

import os
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from rest_framework.test import APIClient

from catalog.models import Song
from collections_app.models import Collection
from tests.factories import ArtistFactory, CollectionFactory, SongFactory, UserFactory
from tests.helpers import assert_query_count, signed_in_client
from tests.media import image_file
from users.models import Role, User

pytestmark = pytest.mark.django_db

ORIGIN = "http://localhost:3000"
FORGED = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW5vdC12YWxpZA"


def bearer(value: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=value)
    return client


# --- CORS ---------------------------------------------------------------------------------------


@pytest.fixture
def web_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]


@pytest.mark.parametrize(
    "header", ["cache-control", "pragma", "if-none-match", "authorization", "content-type", "accept-language", "apikey"]
)
def test_preflight_allows_the_headers_browser_clients_send(client, web_origin, header):
    response = client.options(
        "/v1/song",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=header,
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert header in [name.strip() for name in response["Access-Control-Allow-Headers"].split(",")]


def test_answers_expose_the_headers_clients_read(client, web_origin):
    response = client.get("/v1/song", HTTP_ORIGIN=ORIGIN, HTTP_CACHE_CONTROL="no-cache")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == ORIGIN
    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "retry-after", "x-request-id"} <= exposed


def test_error_answers_carry_cors_headers_too(client, web_origin):
    response = client.post("/v1/auth/signin", {"email": "x@y.z"}, content_type="application/json", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400 and response["Access-Control-Allow-Origin"] == ORIGIN


def _origins_in_a_fresh_process(**environment) -> str:
    """CORS_ALLOWED_ORIGINS as a server started with this environment sees it."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "CORS_ALLOWED_ORIGINS"}}
    # Settings only parse the database URL; nothing connects to it here.
    env.update(environment, DATABASE_URL="postgres://unused@127.0.0.1:1/unused", SECRET_KEY="cors-test-key")
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hustmusik.settings'); "
        "from django.conf import settings; print(','.join(settings.CORS_ALLOWED_ORIGINS))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR
    ).stdout.strip()


def test_development_allows_the_web_clients_dev_server_without_configuration():
    assert ORIGIN in _origins_in_a_fresh_process(DEBUG="1").split(",")
    assert _origins_in_a_fresh_process(DEBUG="0") == ""
    assert _origins_in_a_fresh_process(DEBUG="0", CORS_ALLOWED_ORIGINS="https://app.example") == "https://app.example"


# --- trailing slashes ------------------------------------------------------------------------------


def test_a_post_to_a_path_with_a_trailing_slash_keeps_its_body(user):
    response = signed_in_client(user).post("/v1/collection/", {"title": "Chill"}, format="multipart")
    assert response.status_code == 201, response.json()
    assert Collection.objects.get(owner=user).title == "Chill"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/collection/",
        "/v1/song/",
        "/v1/artist/",
        "/v1/user/",
        "/v1/auth/oauth/",
        "/v1/docs",
        "/v1/search/son/songs/",
    ],
)
def test_reads_answer_with_or_without_the_trailing_slash(api_client, path):
    other = path.rstrip("/") if path.endswith("/") else f"{path}/"
    first, second = api_client.get(path), api_client.get(other)
    assert first.status_code == second.status_code == 200


def test_item_writes_answer_with_a_trailing_slash(client_as):
    admin = client_as(Role.ADMIN)
    song = SongFactory()
    assert admin.post(f"/v1/song/{song.pk}/", {"title": "Đổi tên"}).status_code == 200
    assert admin.delete(f"/v1/song/{song.pk}/").status_code == 204
    assert not Song.objects.filter(pk=song.pk).exists()


def test_unknown_paths_stay_404_with_either_spelling(api_client):
    for path in ("/v1/nope", "/v1/nope/"):
        response = api_client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- credentials that are not there -------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Bearer undefined", "Bearer null", "Bearer", "Bearer   ", "bearer undefined"])
def test_absent_bearers_read_public_data_as_anyone(header):
    SongFactory()
    response = bearer(header).get("/v1/song")
    assert response.status_code == 200 and response.json()["count"] == 1


@pytest.mark.parametrize("header", ["Bearer undefined", "Bearer null", "Bearer"])
def test_absent_bearers_on_protected_endpoints_are_not_authenticated(header):
    response = bearer(header).get("/v1/user/me")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("token", [FORGED, "undefinedx", "a.b.c"])
def test_a_token_that_fails_verification_is_401_even_on_public_reads(token):
    response = bearer(f"Bearer {token}").get("/v1/song")
    assert response.status_code == 401


# --- sign-up ----------------------------------------------------------------------------------------


def test_sign_up_answers_200_and_name_sets_the_username(api_client):
    response = api_client.post(
        "/v1/auth/signup",
        {
            "email": "lan@example.com",
            "password": "Mua-he-2025!",
            "name": "Lan Anh",
            "country": "vn",
            "file": image_file("me.png"),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["user"]["username"] == "Lan Anh"
    user = User.objects.get(email="lan@example.com")
    assert user.country == "vn" and user.avatar.name.endswith("avatar.png")


def test_sign_up_without_a_name_uses_the_emails_local_part(api_client):
    response = api_client.post("/v1/auth/signup", {"email": "hoa.mai@example.com", "password": "Mua-he-2025!"})
    assert response.status_code == 200 and response.json()["user"]["username"] == "hoa.mai"


def test_sign_up_prefers_username_over_name(api_client):
    response = api_client.post(
        "/v1/auth/signup", {"email": "a@example.com", "password": "Mua-he-2025!", "username": "u", "name": "n"}
    )
    assert response.json()["user"]["username"] == "u"


# --- images are never null ------------------------------------------------------------------------------


def test_items_without_a_picture_point_to_their_kinds_default(api_client):
    owner = UserFactory()
    song = SongFactory()
    CollectionFactory(owner=owner, songs=[song])
    song_url = api_client.get("/v1/song").json()["data"][0]["thumbnailurl"]
    artist_url = api_client.get("/v1/artist").json()["data"][0]["avatarurl"]
    collection_url = api_client.get("/v1/collection").json()["data"][0]["thumbnailurl"]
    user_url = api_client.get(f"/v1/user/{owner.pk}").json()["data"]["avatarurl"]
    urls = [song_url, artist_url, collection_url, user_url]
    assert all(url.startswith("http://testserver/static/defaults/") for url in urls)
    assert len(set(urls)) == 4  # one picture per kind


def test_default_pictures_are_served_as_cacheable_images(client):
    response = client.get("/static/defaults/song.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "max-age" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_uploaded_picture_wins_over_the_default(client_as):
    admin = client_as(Role.ADMIN)
    song = SongFactory()
    admin.post(f"/v1/song/{song.pk}", {"file": image_file("c.png")}, format="multipart")
    assert "/media/songs/" in APIClient().get(f"/v1/song/{song.pk}").json()["data"]["thumbnailurl"]


def test_the_admin_shows_and_filters_items_on_the_default_picture(client):
    superuser = UserFactory(is_staff=True, is_superuser=True, role=Role.ADMIN)
    client.force_login(superuser)
    SongFactory(title="Không Ảnh")
    SongFactory(title="Có Ảnh", thumbnail_url="https://img.example/cover.png")
    page = client.get("/admin/catalog/song/").content.decode()
    assert "/static/defaults/song.png" in page and "https://img.example/cover.png" in page
    default_only = client.get("/admin/catalog/song/?picture=no").content.decode()
    assert "Không Ảnh" in default_only and "Có Ảnh" not in default_only
    own_only = client.get("/admin/catalog/song/?picture=yes").content.decode()
    assert "Có Ảnh" in own_only and "Không Ảnh" not in own_only


# --- lenient forms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("no_file", ["null", "undefined", ""])
def test_a_file_field_holding_no_file_is_no_file(client_as, no_file):
    admin = client_as(Role.ADMIN)
    artist = ArtistFactory()
    response = admin.post(
        "/v1/song",
        {
            "title": "Mới",
            "artists": str(artist.pk),
            "duration": "0",
            "file": no_file,
            "genre": "",
            "releasedate": "2025-03-01",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    song = Song.objects.get(pk=response.json()["data"]["id"])
    assert not song.thumbnail and song.duration is None  # 0: unknown, read from the audio later


def test_real_garbage_in_a_file_field_is_still_400_with_the_field_named(client_as):
    admin = client_as(Role.ADMIN)
    response = admin.post(
        "/v1/song", {"title": "x", "artists": str(ArtistFactory().pk), "file": "garbage"}, format="multipart"
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"file"}
    assert not Song.objects.exists()


def test_a_garbage_duration_is_400(client_as):
    response = client_as(Role.ADMIN).post(
        "/v1/song", {"title": "x", "artists": str(ArtistFactory().pk), "duration": "abc"}
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"duration"}


def test_an_edit_forms_unknown_duration_keeps_the_known_one(client_as):
    song = SongFactory(duration=215)
    response = client_as(Role.ADMIN).post(f"/v1/song/{song.pk}", {"title": "Sửa", "duration": "0"}, format="multipart")
    assert response.status_code == 200
    song.refresh_from_db()
    assert song.title == "Sửa" and song.duration == 215


# --- ?search= on the lists the admin tables use ------------------------------------------------------------------


def test_song_list_search_folds_accents_and_combines_with_filters(api_client):
    artist = ArtistFactory(name="Sơn Tùng M-TP")
    SongFactory(title="Tình Yêu Màu Nắng", genre="V-Pop")
    SongFactory(title="Tình Đầu", genre="Ballad")
    SongFactory(title="Chạy Ngay Đi", artists=[artist])
    assert {s["title"] for s in api_client.get("/v1/song?search=tinh").json()["data"]} == {
        "Tình Yêu Màu Nắng",
        "Tình Đầu",
    }
    assert [s["title"] for s in api_client.get("/v1/song?search=TÌNH&genre=Ballad").json()["data"]] == ["Tình Đầu"]
    assert [s["title"] for s in api_client.get("/v1/song?search=son tu").json()["data"]] == ["Chạy Ngay Đi"]
    page = api_client.get("/v1/song?search=tinh&limit=1&page=2").json()
    assert page["count"] == 2 and len(page["data"]) == 1
    assert api_client.get("/v1/song?search=").json()["count"] == 3  # empty: no filter


def test_artist_collection_and_user_lists_take_search(api_client):
    ArtistFactory(name="Hoàng Thùy Linh")
    ArtistFactory(name="Đen Vâu")
    owner = UserFactory(username="Đức Phúc")
    UserFactory(username="Minh")
    CollectionFactory(title="Nhạc Đêm", owner=owner)
    CollectionFactory(title="Sáng Sớm", owner=owner)
    assert [a["name"] for a in api_client.get("/v1/artist?search=den").json()["data"]] == ["Đen Vâu"]
    assert [c["title"] for c in api_client.get("/v1/collection?search=nhac dem").json()["data"]] == ["Nhạc Đêm"]
    assert [u["username"] for u in api_client.get("/v1/user?search=duc").json()["data"]] == ["Đức Phúc"]


@pytest.mark.parametrize(
    ("path", "make", "expected"),
    [
        ("/v1/song?search=ca&limit={limit}", lambda n: SongFactory(title=f"Ca khúc {n}"), 3),
        ("/v1/artist?search=ca&limit={limit}", lambda n: ArtistFactory(name=f"Ca sĩ {n}"), 2),
        ("/v1/user?search=ca&limit={limit}", lambda n: UserFactory(username=f"Ca {n}"), 2),
        ("/v1/collection?search=ca&limit={limit}", lambda n: CollectionFactory(title=f"Ca {n}"), 2),
    ],
)
def test_list_search_query_count_does_not_grow_with_the_page(api_client, path, make, expected):
    for n in range(12):
        make(n)
    small = assert_query_count(lambda: api_client.get(path.format(limit=1)), expected)
    large = assert_query_count(lambda: api_client.get(path.format(limit=10)), expected)
    assert len(small.json()["data"]) == 1 and len(large.json()["data"]) == 10


# --- aliases --------------------------------------------------------------------------------------------------------


def test_oauth_start_takes_return_url_for_redirect_to(api_client, settings):
    settings.OAUTH_REDIRECT_ALLOWLIST = ["http://localhost:3000/auth/callback", "http://localhost:3000/other"]
    response = api_client.get("/v1/auth/oauth/", {"returnUrl": "http://localhost:3000/other"})
    assert response.status_code == 200 and "other" in response.json()["url"]
    refused = api_client.get("/v1/auth/oauth", {"returnUrl": "https://evil.example/"})
    assert refused.status_code == 400 and refused.json()["code"] == "redirect_not_allowed"


def test_verify_email_takes_token_for_key(api_client, jobs):
    api_client.post("/v1/auth/signup", {"email": "v@example.com", "password": "Mua-he-2025!"})
    jobs.run()
    link = re.search(r"http://\S+verify-email\?key=\S+", mail.outbox[-1].body).group(0)
    key = parse_qs(urlsplit(link).query)["key"][0]
    response = api_client.post("/v1/auth/verify-email", {"token": key})
    assert response.status_code == 200
    assert User.objects.get(email="v@example.com").email_verified is True
    missing = api_client.post("/v1/auth/verify-email", {})
    assert missing.status_code == 400 and set(missing.json()["fields"]) == {"key"}
