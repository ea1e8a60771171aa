"""The calls of the client's public pages (home, song, artist, album, search), as the browser
and the Next.js server send them, checked against the client's parsers."""

from urllib.parse import urlsplit

import pytest

from tests.factories import ArtistFactory, SongFactory
from tests.webclient.conftest import NO_CACHE, give_audio
from tests.webclient.shapes import (
    ARTIST_ALBUMS,
    ARTIST_DETAIL,
    COLLECTION_DETAIL,
    HOME_ALBUMS,
    HOME_ARTISTS,
    HOME_SONGS,
    SEARCH_OVERVIEW,
    SONG_DETAIL,
    STREAM_URL,
    assert_image_urls_are_strings,
    parse,
)

pytestmark = pytest.mark.django_db


# --- home page (app/content.tsx) ----------------------------------------------------------


def test_home_artists_row(browser, catalogue):
    """app/api-fetch/all-artists.ts fetchArtists(): GET /v1/artist with `Content-Type: application/json`,
    parsed by its zod ArtistSchema (count required; description/country/managerid a string or absent, never null)."""
    response = browser.get("/v1/artist", headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    body = parse(HOME_ARTISTS, response.json())
    names = {artist["name"] for artist in body["data"]}
    assert {"Sơn Tùng M-TP", "Đen Vâu", "Justatee"} <= names
    assert body["count"] == 3
    assert_image_urls_are_strings(body)


def test_home_artists_row_with_every_optional_field_empty(browser, db):
    """app/api-fetch/all-artists.ts fetchArtists(): an artist with no description, no country, no manager and no
    picture still parses (zod `.optional()` rejects null) and gets a default picture URL."""
    ArtistFactory(name="Vô Danh", description="", country="")
    body = parse(HOME_ARTISTS, browser.get("/v1/artist", headers={"Content-Type": "application/json"}).json())
    (avatar,) = assert_image_urls_are_strings(body)
    assert "/static/defaults/" in urlsplit(avatar).path


def test_home_songs_grid(browser, catalogue):
    """app/api-fetch/all-songs.ts fetchAllSongs(): GET /v1/song?page=1&limit=30 with
    `Cache-Control: max-age=3600000, stale-while-revalidate`; all-songs.tsx renders thumbnailurl.trim() and
    song.artists[0].artist.{id,name} of every song."""
    response = browser.get(
        "/v1/song?page=1&limit=30", headers={"Cache-Control": "max-age=3600000, stale-while-revalidate"}
    )
    assert response.status_code == 200
    body = parse(HOME_SONGS, response.json())
    assert body["count"] == 3 and len(body["data"]) == 3
    by_title = {song["title"]: song for song in body["data"]}
    duet = by_title["Đi Về Nhà"]["artists"]
    assert [credit["artist"]["name"] for credit in duet] == ["Đen Vâu", "Justatee"]  # primary first
    assert by_title["Lạc Trôi"]["thumbnailurl"] == "https://res.cloudinary.com/demo/image/upload/songs/lt.jpg"
    default = by_title["Nơi Này Có Anh"]["thumbnailurl"]
    assert "/static/defaults/" in urlsplit(default).path
    assert_image_urls_are_strings(body)


def test_default_pictures_are_served(browser, catalogue, client):
    """app/api-fetch/cloudinary-url-processing.ts and next/image load the picture URL the lists give: the default
    picture of an item without one is a real image, not a dead link."""
    body = browser.get("/v1/song?page=1&limit=30").json()
    default = next(song["thumbnailurl"] for song in body["data"] if song["title"] == "Nơi Này Có Anh")
    picture = client.get(urlsplit(default).path)
    assert picture.status_code == 200
    assert picture["Content-Type"].startswith("image/")


def test_home_albums_row(browser, catalogue):
    """app/api-fetch/all-albums.ts fetchAllAlbums(): GET /v1/collection/albums?page=1&limit=10 with
    `Content-Type: application/json`, parsed by AlbumSchema / AlternativeAlbumSchema."""
    response = browser.get("/v1/collection/albums?page=1&limit=10", headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    body = parse(HOME_ALBUMS, response.json())
    assert [album["title"] for album in body["data"]] == ["Sky Decade"]  # releases only, no playlists
    assert_image_urls_are_strings(body)


# --- song page (app/song/[id]) ------------------------------------------------------------


def test_song_page_client_fetch(browser, catalogue):
    """app/api-fetch/song-by-id.ts fetchSongById(): GET /v1/song/{id}, parsed by AlternativeSongSchema then
    SongSchema (app/model/schemas/song-by-id.ts): albums required, artists[].avatarurl a string."""
    response = browser.get(f"/v1/song/{catalogue.lac_troi.pk}")
    assert response.status_code == 200
    body = parse(SONG_DETAIL, response.json())
    song = body.get("data", body)
    assert song["title"] == "Lạc Trôi" and song["duration"] == 215
    assert [entry["album"]["title"] for entry in song["albums"]] == ["Sky Decade"]
    assert [artist["name"] for artist in song["artists"]] == ["Sơn Tùng M-TP"]
    assert_image_urls_are_strings(body)


def test_song_page_of_a_song_with_featured_artist_without_picture(browser, catalogue):
    """app/api-fetch/song-by-id.ts fetchSongById(): every credited artist needs a string avatarurl
    (ArtistLinks renders <Image src={avatarurl}>), the featured one without a picture too."""
    body = parse(SONG_DETAIL, browser.get(f"/v1/song/{catalogue.di_ve_nha.pk}").json())
    song = body.get("data", body)
    assert [artist["name"] for artist in song["artists"]] == ["Đen Vâu", "Justatee"]
    assert song["albums"] == []
    assert_image_urls_are_strings(body)


def test_song_page_server_render(next_server, catalogue):
    """app/api-fetch/song-id-server.ts fetchSongByIdServer(): the Next.js server's GET /v1/song/{id} with
    `Cache-Control: max-age=300000, stale-while-revalidate`; any non-2xx throws and the page errors out."""
    response = next_server.ssr.get(
        f"/v1/song/{catalogue.lac_troi.pk}", headers={"Cache-Control": "max-age=300000, stale-while-revalidate"}
    )
    assert response.status_code == 200
    parse(SONG_DETAIL, response.json())


def test_play_button_stream_url(browser, catalogue, admin):
    """app/api-fetch/get-song.ts getSong(): GET /v1/song/{id}/presigned/stream, zod `{url: z.string().url()}`
    (an absolute URL, which contexts/media-context.tsx then fetch()es)."""
    give_audio(catalogue.lac_troi, admin)
    response = browser.get(f"/v1/song/{catalogue.lac_troi.pk}/presigned/stream")
    assert response.status_code == 200
    parse(STREAM_URL, response.json())


def test_play_button_on_a_song_without_audio(browser, catalogue):
    """app/api-fetch/get-song.ts getSong(): a song with no audio answers 404 `audio_missing` in the error envelope
    (the player shows its error, nothing crashes)."""
    response = browser.get(f"/v1/song/{catalogue.lac_troi.pk}/presigned/stream")
    assert response.status_code == 404
    assert response.json()["code"] == "audio_missing"
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"


# --- artist page (app/artist/[id]) -----------------------------------------------------------


def test_artist_page_client_fetch(browser, catalogue):
    """app/api-fetch/artist-by-id.ts fetchArtistById(): GET /v1/artist/{id}, an array (ArtistSchema) or
    {data: array} (AlternativeArtistSchema); data[0] is shown."""
    response = browser.get(f"/v1/artist/{catalogue.son_tung.pk}")
    assert response.status_code == 200
    body = parse(ARTIST_DETAIL, response.json())
    artists = body["data"] if isinstance(body, dict) else body
    assert artists[0]["name"] == "Sơn Tùng M-TP" and artists[0]["id"] == str(catalogue.son_tung.pk)


def test_artist_page_server_metadata(next_server, catalogue):
    """app/api-fetch/artist-id-server.ts: the Next.js server's GET /v1/artist/{id} for generateMetadata;
    if neither schema parses it throws and the artist page is an error screen. An artist with empty optional
    fields and no picture must parse too."""
    response = next_server.ssr.get(f"/v1/artist/{catalogue.no_avatar.pk}")
    assert response.status_code == 200
    body = parse(ARTIST_DETAIL, response.json())
    assert_image_urls_are_strings(body)


def test_artist_page_albums(browser, catalogue):
    """app/api-fetch/albums-from-artist.ts fetchAlbumsFromArtist(): GET /v1/artist/{id}/albums, read as
    {count, data: [{id, title, thumbnailurl, created_at, type}]}."""
    response = browser.get(f"/v1/artist/{catalogue.son_tung.pk}/albums")
    assert response.status_code == 200
    body = parse(ARTIST_ALBUMS, response.json())
    assert [album["title"] for album in body["data"]] == ["Sky Decade"] and body["count"] == 1


# --- album and playlist pages ---------------------------------------------------------------


def test_album_page(browser, catalogue):
    """app/api-fetch/album-by-id.ts fetchAlbumById(): GET /v1/collection/{id} with `cache-control: no-cache`,
    parsed by AlbumSchema then AlternativeAlbumSchema (description key required, song thumbnails strings)."""
    response = browser.get(f"/v1/collection/{catalogue.album.pk}", headers=NO_CACHE)
    assert response.status_code == 200
    body = parse(COLLECTION_DETAIL, response.json())
    album = body["data"] if isinstance(body.get("data"), dict) else body
    assert [entry["song"]["title"] for entry in album["songs"]] == ["Lạc Trôi", "Nơi Này Có Anh"]
    assert album["songs"][1]["song"]["duration"] is None  # unknown duration: null, which the schema allows
    assert_image_urls_are_strings(body)


def test_playlist_page_of_someone_elses_private_playlist(browser, catalogue):
    """app/api-fetch/album-by-id.ts fetchAlbumById() on /playlists/{id}: a private playlist of another user is
    404 in the error envelope (the page shows its error component)."""
    response = browser.get(f"/v1/collection/{catalogue.private_playlist.pk}", headers=NO_CACHE)
    assert response.status_code == 404
    assert set(response.json()) >= {"error", "code"}


# --- search page (app/search) -----------------------------------------------------------------


def test_search_page_with_two_words(browser, catalogue):
    """app/api-fetch/search.ts search(): GET /v1/search/{encodeURIComponent(q.trim().replace(/\\s+/g,'+'))} with
    `Accept` and `Content-Type: application/json`: "lạc   trôi" arrives as `l%E1%BA%A1c%2Btr%C3%B4i`."""
    response = browser.get(
        "/v1/search/l%E1%BA%A1c%2Btr%C3%B4i", headers={"Accept": "application/json", "Content-Type": "application/json"}
    )
    assert response.status_code == 200
    body = parse(SEARCH_OVERVIEW, response.json())
    assert body["data"]["songs"][0]["title"] == "Lạc Trôi"
    assert body["data"]["songs"][0]["artists"] == [{"id": str(catalogue.son_tung.pk), "name": "Sơn Tùng M-TP"}]
    assert_image_urls_are_strings(body)


def test_search_page_finds_artists_users_and_albums(browser, catalogue):
    """app/api-fetch/search.ts search(): one term, every kind the page lists (result-desktop.tsx)."""
    by_artist = parse(SEARCH_OVERVIEW, browser.get("/v1/search/son%2Btung").json())["data"]
    assert by_artist["artists"][0]["name"] == "Sơn Tùng M-TP"
    assert {song["title"] for song in by_artist["songs"]} >= {"Lạc Trôi", "Nơi Này Có Anh"}  # found by artist
    by_user = parse(SEARCH_OVERVIEW, browser.get("/v1/search/thu%2Btrang").json())["data"]
    assert [user["username"] for user in by_user["users"]] == ["Nguyễn Thu Trang"]
    by_album = parse(SEARCH_OVERVIEW, browser.get("/v1/search/sky").json())["data"]
    assert [album["title"] for album in by_album["albums"]] == ["Sky Decade"]
    assert_image_urls_are_strings(by_user)


def test_search_page_with_nothing_found_still_has_data(browser, catalogue):
    """app/search/result-desktop.tsx shows 'Search results for …' whenever the answer has a `data` object
    (e2e/search.spec.ts relies on it), even with nothing found."""
    response = browser.get("/v1/search/zzzyyqqq", headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    body = parse(SEARCH_OVERVIEW, response.json())
    assert all(hits == [] for hits in body["data"].values())


def test_lists_and_details_never_answer_a_null_picture(browser, catalogue):
    """Every reader of thumbnailurl/avatarurl (all-songs.tsx .trim(), next/image on song, artist and album pages):
    items without a picture of their own answer the kind's default picture URL, never null or ''."""
    bare_song = SongFactory(title="Không Ảnh", artists=[catalogue.no_avatar])
    answers = [
        browser.get("/v1/song?page=1&limit=30"),
        browser.get(f"/v1/song/{bare_song.pk}"),
        browser.get("/v1/artist"),
        browser.get(f"/v1/artist/{catalogue.no_avatar.pk}"),
        browser.get("/v1/collection/albums?page=1&limit=10"),
        browser.get(f"/v1/collection/{catalogue.playlist.pk}"),
        browser.get(f"/v1/artist/{catalogue.son_tung.pk}/albums"),
        browser.get("/v1/search/kh%C3%B4ng%2B%E1%BA%A3nh"),
    ]
    urls = []
    for response in answers:
        assert response.status_code == 200, response.request["PATH_INFO"]
        urls += assert_image_urls_are_strings(response.json())
    defaults = {urlsplit(url).path for url in urls if "/static/defaults/" in url}
    assert len(defaults) >= 3  # songs, artists and collections each have theirs
