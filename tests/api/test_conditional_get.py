import pytest

from tests.factories import SongFactory


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/v1/song", "/v1/artist", "/v1/collection", "/v1/search/bai"])
def test_public_reads_send_an_etag_and_answer_304(api_client, path):
    SongFactory(title="Bài Ca")
    first = api_client.get(path)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = api_client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""


@pytest.mark.django_db
def test_a_changed_answer_gets_a_new_etag(api_client):
    song = SongFactory(title="Trước")
    etag = api_client.get(f"/v1/song/{song.pk}")["ETag"]
    song.title = "Sau"
    song.save()
    changed = api_client.get(f"/v1/song/{song.pk}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
