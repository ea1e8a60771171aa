"""Catalogue writes and their rules: who may publish what, credits, images and audio."""

from __future__ import annotations

import logging
from datetime import date

import mutagen
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.audio import AUDIO_EXTENSIONS, STREAM_URL_SECONDS, UPLOAD_URL_SECONDS, audio_key, audio_storage
from catalog.models import Artist, Follow, ListenHistory, Relation, Song, SongArtist
from hustmusik.caching import catalogue_changed
from hustmusik.errors import ApiError
from hustmusik.images import apply_image, delete_file_on_commit

logger = logging.getLogger("hustmusik.catalog")

UNSET = object()


# --- artists ----------------------------------------------------------------------------


@transaction.atomic
def artist_create(*, user, name: str, description: str = "", country: str = "", avatar=None, avatar_url: str = "") -> Artist:
    artist = Artist.objects.create(
        name=name,
        description=description,
        country=country,
        avatar_url=avatar_url,
        manager=user if user.has_artist_manager_role else None,
    )
    if avatar is not None:
        artist.avatar.save(avatar.name, avatar, save=True)
    return artist


@transaction.atomic
def artist_update(*, artist: Artist, avatar=None, **fields) -> Artist:
    for name, value in fields.items():
        setattr(artist, name, value)
    apply_image(artist, file_attr="avatar", url_attr="avatar_url", upload=avatar, new_url=fields.get("avatar_url"))
    artist.save()
    return artist


@transaction.atomic
def artist_delete(*, artist: Artist) -> None:
    delete_file_on_commit(artist.avatar)
    artist.delete()


# --- songs ------------------------------------------------------------------------------


def _credits_for(artist_ids: list, *, user) -> list[Artist]:
    """The artists of `artist_ids`, in order; the first is Primary and the user must manage it."""
    if not artist_ids:
        raise ValidationError({"artists": ["Give at least one artist id; the first is the primary artist."]})
    if len(set(artist_ids)) != len(artist_ids):
        raise ValidationError({"artists": ["An artist may appear only once."]})
    found = Artist.objects.in_bulk(artist_ids)
    unknown = [str(artist_id) for artist_id in artist_ids if artist_id not in found]
    if unknown:
        raise ValidationError({"artists": [f"Unknown artist id: {artist_id}" for artist_id in unknown]})
    artists = [found[artist_id] for artist_id in artist_ids]
    if not user.has_admin_role and not artists[0].is_managed_by(user):
        raise PermissionDenied("You can only publish songs whose primary artist you manage.")
    return artists


def _replace_credits(song: Song, artists: list[Artist]) -> None:
    SongArtist.objects.filter(song=song).delete()
    SongArtist.objects.bulk_create(
        SongArtist(song=song, artist=artist, relation=Relation.PRIMARY if index == 0 else Relation.FEATURED, order=index)
        for index, artist in enumerate(artists)
    )
    catalogue_changed()  # bulk_create sends no signal


@transaction.atomic
def song_create(
    *,
    user,
    title: str,
    artist_ids: list,
    duration: int | None = None,
    release_date: date | None = None,
    genre: str = "",
    thumbnail=None,
    thumbnail_url: str = "",
) -> Song:
    artists = _credits_for(artist_ids, user=user)
    song = Song.objects.create(
        title=title, duration=duration, release_date=release_date, genre=genre, thumbnail_url=thumbnail_url
    )
    _replace_credits(song, artists)
    if thumbnail is not None:
        song.thumbnail.save(thumbnail.name, thumbnail, save=True)
    return song


@transaction.atomic
def song_update(*, song: Song, user, artist_ids=UNSET, thumbnail=None, **fields) -> Song:
    if artist_ids is not UNSET:
        _replace_credits(song, _credits_for(artist_ids, user=user))
    for name, value in fields.items():
        setattr(song, name, value)
    apply_image(song, file_attr="thumbnail", url_attr="thumbnail_url", upload=thumbnail, new_url=fields.get("thumbnail_url"))
    song.save()
    return song


@transaction.atomic
def song_delete(*, song: Song) -> None:
    """Delete the song, then (once that is committed) its audio and image objects."""
    key = song.audio_key
    delete_file_on_commit(song.thumbnail)
    song.delete()
    if key:
        transaction.on_commit(lambda: audio_storage().delete(key))


# --- audio ------------------------------------------------------------------------------


def song_stream_url(*, song: Song, request) -> str:
    """A time-limited GET URL of the audio; counts one view, atomically. The count is not a
    catalogue change: cached answers show it up to RESPONSE_CACHE_SECONDS late."""
    if not song.audio_key:
        raise ApiError("This song has no audio yet.", code="audio_missing", status=404)
    Song.objects.filter(pk=song.pk).update(views=F("views") + 1)
    return audio_storage().download_url(song.audio_key, expires_in=STREAM_URL_SECONDS, request=request)


def song_upload_url(*, song: Song, content_type: str, request) -> str:
    return audio_storage().upload_url(
        audio_key(song.pk, content_type), content_type=content_type, expires_in=UPLOAD_URL_SECONDS, request=request
    )


def read_duration(storage, key: str) -> int | None:
    """Seconds of audio in the object, read by mutagen; None when it is not audio it knows."""
    with storage.open(key) as handle:
        try:
            parsed = mutagen.File(handle)
        except mutagen.MutagenError:
            return None
    if parsed is None or not getattr(parsed, "info", None) or not parsed.info.length:
        return None
    return max(1, round(parsed.info.length))


@transaction.atomic
def song_complete_upload(*, song: Song, content_type: str) -> Song:
    """Check the uploaded object (exists, audio, size) and record it on the song."""
    storage = audio_storage()
    key = audio_key(song.pk, content_type)
    stored = storage.stat(key)
    if stored is None:
        raise ApiError("No uploaded audio was found; PUT the file to the upload URL first.", code="audio_missing", status=404)
    limit = settings.AUDIO_MAX_BYTES
    if stored.size > limit:
        storage.delete(key)
        raise ApiError(f"Audio files must be at most {limit // (1024 * 1024)} MB.", code="audio_too_large", status=400)
    if stored.content_type.split(";")[0].strip() not in AUDIO_EXTENSIONS:
        storage.delete(key)
        raise ApiError("The uploaded file is not audio.", code="not_audio", status=400)
    duration = read_duration(storage, key)
    if duration is None:
        storage.delete(key)
        raise ApiError("The uploaded file is not audio we can read.", code="not_audio", status=400)

    song = Song.objects.select_for_update().get(pk=song.pk)
    previous = song.audio_key
    song.audio_key, song.audio_size, song.audio_content_type = key, stored.size, content_type
    if not song.duration:
        song.duration = duration
    song.save(update_fields=["audio_key", "audio_size", "audio_content_type", "duration", "updated_at"])
    if previous and previous != key:
        transaction.on_commit(lambda: storage.delete(previous))
    return song


def song_reread_duration(*, song: Song) -> int | None:
    """Admin action: read the duration from the stored audio again."""
    if not song.audio_key:
        return None
    duration = read_duration(audio_storage(), song.audio_key)
    if duration:
        Song.objects.filter(pk=song.pk).update(duration=duration)
        catalogue_changed()  # update() sends no signal
    return duration


# --- follows and listen history ------------------------------------------------------------

HISTORY_KEPT_PER_USER = 500


def artist_follow(*, user, artist: Artist) -> None:
    """Idempotent, and safe under concurrency: the unique constraint settles races."""
    Follow.objects.bulk_create([Follow(user=user, artist=artist)], ignore_conflicts=True)


def artist_unfollow(*, user, artist: Artist) -> None:
    Follow.objects.filter(user=user, artist=artist).delete()


@transaction.atomic
def history_record(*, user, song: Song) -> None:
    """Insert or move the song to the top of the user's history (one upsert), keeping the newest 500."""
    ListenHistory.objects.bulk_create(
        [ListenHistory(user=user, song=song, last_listened=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "song"],
        update_fields=["last_listened"],
    )
    stale = ListenHistory.objects.filter(user=user).order_by("-last_listened", "-id").values("id")[HISTORY_KEPT_PER_USER:]
    ListenHistory.objects.filter(user=user, id__in=stale).delete()
