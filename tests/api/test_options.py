"""OPTIONS answers the allowed methods to anyone, signed in or not, on every path of the API.

Found by an attacker: anonymous OPTIONS /v1/song answered 401.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import ArtistFactory, SongFactory

PATHS = sorted(SchemaGenerator().get_schema(request=None, public=True)["paths"])


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_anonymous_options_lists_the_allowed_methods(api_client, path):
    song = SongFactory(artists=[ArtistFactory()])
    url = path.replace("{id}", str(song.pk)).replace("{song_id}", str(song.pk)).replace("{term}", "son")
    url = url.replace("{artist_id}", str(song.artists.first().pk)).replace("{app_trans_id}", "251124_x")
    response = api_client.options(url)
    assert response.status_code == 200, response.content
    assert "OPTIONS" in response["Allow"]


@pytest.mark.django_db
def test_anonymous_options_on_songs_names_the_methods_but_grants_nothing(api_client):
    response = api_client.options("/v1/song")
    assert response.status_code == 200
    assert {"GET", "POST"} <= {method.strip() for method in response["Allow"].split(",")}
    # Asked as the method itself, POST is still refused to a signed-out caller.
    assert api_client.post("/v1/song", {"title": "x"}).status_code == 401
