"""The schema helper keeps zod's semantics, so a shape check fails exactly when the client's parse would."""

import pytest

from tests.webclient.shapes import SONG_DETAIL, array, number, obj, parse, string, union, url


def rejects(schema, value) -> bool:
    with pytest.raises(AssertionError):
        parse(schema, value)
    return True


def test_required_optional_and_nullable_are_zods():
    """z.string() rejects null and absence; .optional() allows absence, not null; .nullable() allows null, not absence."""
    schema = obj(
        {"a": string(), "b": string().optional(), "c": string().nullable(), "d": string().optional().nullable()}
    )
    parse(schema, {"a": "x", "c": None})
    parse(schema, {"a": "x", "b": "y", "c": "z", "d": None, "extra": 1})  # unknown keys are ignored
    assert rejects(schema, {"a": None, "c": None})
    assert rejects(schema, {"c": None})
    assert rejects(schema, {"a": "x", "b": None, "c": None})
    assert rejects(schema, {"a": "x"})


def test_numbers_urls_arrays_and_unions():
    assert rejects(number(), True) and rejects(number(), "3")
    parse(url(), "https://res.cloudinary.com/x.jpg")
    assert rejects(url(), "/media/x.jpg")
    assert rejects(array(number(), min_length=1), [])
    either = union(array(number()), obj({"data": array(number())}))
    parse(either, [1])
    parse(either, {"data": [2]})
    assert rejects(either, {"data": ["2"]})


def test_song_detail_wrapped_in_data_needs_a_non_null_genre():
    """app/model/schemas/song-by-id.ts: AlternativeSongSchema ({data}) has genre z.string(); only the bare
    SongSchema allows null. A wrapped song with a null genre fails both."""
    song = {
        "id": "1",
        "title": "t",
        "duration": 1,
        "releasedate": "2024-01-01",
        "genre": None,
        "views": 0,
        "albums": None,
        "artists": [],
    }
    parse(SONG_DETAIL, song)
    assert rejects(SONG_DETAIL, {"data": song})
    parse(SONG_DETAIL, {"data": {**song, "genre": ""}})
