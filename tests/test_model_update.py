"""The one update helper every update service uses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Artist
from hustmusik.services import model_update
from tests.factories import ArtistFactory

pytestmark = pytest.mark.django_db

FIELDS = ["name", "description", "country"]


def test_only_the_changed_fields_are_written():
    artist = ArtistFactory(name="Cũ", country="VN")
    with CaptureQueriesContext(connection) as captured:
        assert model_update(instance=artist, fields=FIELDS, data={"name": "Mới", "country": "VN"}) is True
    [update] = [q["sql"] for q in captured.captured_queries]
    assert '"name"' in update and '"updated_at"' in update and '"country"' not in update
    assert Artist.objects.get(pk=artist.pk).name == "Mới"


def test_nothing_changed_writes_nothing():
    artist = ArtistFactory(name="Như Cũ")
    with CaptureQueriesContext(connection) as captured:
        assert model_update(instance=artist, fields=FIELDS, data={"name": "Như Cũ"}) is False
    assert captured.captured_queries == []


def test_a_field_outside_the_allowed_ones_is_refused():
    artist = ArtistFactory()
    with pytest.raises(TypeError, match="manager"):
        model_update(instance=artist, fields=FIELDS, data={"name": "X", "manager": None})
    assert Artist.objects.get(pk=artist.pk).name != "X"


def test_fields_the_caller_changed_are_saved_with_the_rest():
    artist = ArtistFactory(avatar_url="https://img.example/a.png")
    artist.avatar_url = ""
    assert model_update(instance=artist, fields=FIELDS, data={}, changed=["avatar_url"]) is True
    assert Artist.objects.get(pk=artist.pk).avatar_url == ""
