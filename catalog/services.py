"""Catalogue writes and their rules: who may publish what, credits, images and audio."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from catalog.audio import (
    STREAM_URL_SECONDS,
    UPLOAD_URL_SECONDS,
    audio_key,
    audio_storage,
    probe_audio,
    song_id_of_upload_key,
    upload_key,
)
from catalog.models import Artist, Follow, ListenHistory, PlayMark, Relation, Song, SongArtist
from hustmusik.caching import catalogue_changed
from hustmusik.errors import ApiError
from hustmusik.images import apply_image, delete_file_on_commit
from hustmusik.proxies import client_address
from hustmusik.services import model_update

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


ARTIST_UPDATABLE = ["name", "description", "country", "avatar_url"]


@transaction.atomic
def artist_update(*, artist: Artist, data: dict, avatar=None) -> Artist:
    image = apply_image(artist, file_attr="avatar", url_attr="avatar_url", upload=avatar, new_url=data.get("avatar_url"))
    model_update(instance=artist, fields=ARTIST_UPDATABLE, data=data, changed=image)
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
    check_song_credits(user=user, relations=[Relation.PRIMARY] + [Relation.FEATURED] * (len(artists) - 1),
                       primary=artists[0])
    return artists


def check_song_credits(*, user, relations: list[str], primary: Artist | None) -> None:
    """The rule of a song's credits, for the API and the admin alike: exactly one Primary
    artist, whom the user manages unless they are an administrator."""
    if relations.count(Relation.PRIMARY) != 1 or primary is None:
        raise ValidationError({"artists": ["A song has exactly one Primary artist."]})
    if not user.has_admin_role and not primary.is_managed_by(user):
        raise PermissionDenied("You can only publish songs whose primary artist you manage.")


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


SONG_UPDATABLE = ["title", "duration", "release_date", "genre", "thumbnail_url"]


@transaction.atomic
def song_update(*, song: Song, user, data: dict, artist_ids=UNSET, thumbnail=None) -> Song:
    if artist_ids is not UNSET:
        _replace_credits(song, _credits_for(artist_ids, user=user))
    image = apply_image(song, file_attr="thumbnail", url_attr="thumbnail_url", upload=thumbnail,
                        new_url=data.get("thumbnail_url"))
    model_update(instance=song, fields=SONG_UPDATABLE, data=data, changed=image)
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
    """A time-limited GET URL of the audio; counts a play (see `play_record`).

    An upload that was never completed (clients may skip `complete`) is finished first."""
    if song.upload_requested_at is not None:
        song = song_finish_pending_upload(song=song)
    if not song.audio_key:
        raise ApiError("This song has no audio yet.", code="audio_missing", status=404)
    play_record(song_id=song.pk, listener=listener_of(request))
    return audio_storage().download_url(song.audio_key, expires_in=STREAM_URL_SECONDS, request=request)


# --- plays ------------------------------------------------------------------------------

PLAY_WINDOW_SECONDS = 30  # one play per listener per song per window
PLAY_FOLD_BATCH = 10_000


def listener_of(request) -> str:
    """Who is listening, for counting plays: the account when signed in, else the client address."""
    who = f"user:{request.user.pk}" if request.user.is_authenticated else f"ip:{client_address(request)}"
    return hashlib.sha256(who.encode()).hexdigest()


def play_record(*, song_id, listener: str) -> bool:
    """Count a play unless this listener's last counted play of the song is under a window old.

    One statement, no lock on the song's row: the (song, listener) mark is upserted only when
    it is older than the window, and a counted play is appended for the fold job. Concurrent
    requests of one listener meet on the mark's unique index, and only one of them counts.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH counted AS (
                INSERT INTO catalog_playmark (song_id, listener, counted_at) VALUES (%(song)s, %(listener)s, now())
                ON CONFLICT (song_id, listener) DO UPDATE SET counted_at = EXCLUDED.counted_at
                    WHERE catalog_playmark.counted_at <= EXCLUDED.counted_at - make_interval(secs => %(window)s)
                RETURNING song_id
            )
            INSERT INTO catalog_play (song_id, played_at) SELECT song_id, now() FROM counted
            """,
            {"song": song_id, "listener": listener, "window": PLAY_WINDOW_SECONDS},
        )
        return cursor.rowcount == 1


def plays_fold(*, batch_size: int = PLAY_FOLD_BATCH) -> int:
    """Add the counted plays to their songs' `views`, a batch per transaction; returns how many.

    Each batch is taken with SKIP LOCKED, so two folds never count a play twice, and views
    change once per song per batch. Play marks past their window are dropped on the way.
    """
    folded = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    WITH batch AS (
                        DELETE FROM catalog_play WHERE id IN (
                            SELECT id FROM catalog_play ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED
                        ) RETURNING song_id
                    ), per_song AS (
                        SELECT song_id, count(*) AS plays FROM batch GROUP BY song_id
                    )
                    UPDATE catalog_song SET views = catalog_song.views + per_song.plays
                      FROM per_song WHERE catalog_song.id = per_song.song_id
                    RETURNING per_song.plays
                    """,
                    [batch_size],
                )
                counts = [plays for (plays,) in cursor.fetchall()]
            if counts:
                catalogue_changed()
        folded += sum(counts)
        if not counts:
            break
    expired = timezone.now() - timedelta(seconds=PLAY_WINDOW_SECONDS)
    PlayMark.objects.filter(counted_at__lt=expired).delete()
    return folded


def song_upload_url(*, song: Song, content_type: str, request) -> str:
    """A URL to PUT new audio beside the live one; the song remembers that an upload may come."""
    Song.objects.filter(pk=song.pk).update(upload_requested_at=timezone.now())
    return audio_storage().upload_url(
        upload_key(song.pk), content_type=content_type, expires_in=UPLOAD_URL_SECONDS, request=request
    )


def read_duration(storage, key: str) -> int | None:
    """Seconds of audio in the object; None when it is not audio we can read."""
    with storage.open(key) as handle:
        probe = probe_audio(handle)
    return probe.duration if probe else None


def song_finish_upload(*, song: Song) -> Song:
    """Check the uploaded object (exists, size, decodes as audio) and make it the song's audio.

    Refused bytes are deleted and the live audio stays as it was; the format, the streamed
    content type and the duration (when unknown) come from the bytes, not from the uploader.
    """
    storage = audio_storage()
    staged = upload_key(song.pk)
    stored = storage.stat(staged)
    if stored is None:
        raise ApiError("No uploaded audio was found; PUT the file to the upload URL first.", code="audio_missing", status=404)
    limit = settings.AUDIO_MAX_BYTES
    if stored.size > limit:
        refused = audio_too_large()
    else:
        with storage.open(staged) as handle:
            probe = probe_audio(handle)
        refused = None if probe else ApiError("The uploaded file is not audio we can read.", code="not_audio", status=400)
    if refused is not None:
        storage.delete(staged)
        Song.objects.filter(pk=song.pk).update(upload_requested_at=None)
        raise refused

    key = audio_key(song.pk, probe.content_type)
    with transaction.atomic():
        song = Song.objects.select_for_update().get(pk=song.pk)
        if storage.stat(staged) is None:
            return song  # a concurrent finisher moved it while we checked the same bytes
        previous = song.audio_key
        storage.promote(staged, key, content_type=probe.content_type)
        song.audio_key, song.audio_size, song.audio_content_type = key, stored.size, probe.content_type
        song.upload_requested_at = None
        if not song.duration:
            song.duration = probe.duration
        song.save(update_fields=["audio_key", "audio_size", "audio_content_type", "duration",
                                 "upload_requested_at", "updated_at"])
        if previous and previous != key:
            transaction.on_commit(lambda: storage.delete(previous))
    return song


def song_finish_pending_upload(*, song: Song) -> Song:
    """Finish an upload nobody completed, if its bytes arrived; never fails the caller.

    Called before streaming, so on S3 (where no request of ours sees the PUT) an upload is
    live at the latest when the song's audio is next asked for.
    """
    try:
        return song_finish_upload(song=song)
    except ApiError as refused:
        if refused.get_codes() == "audio_missing":
            expired = timezone.now() - timedelta(seconds=UPLOAD_URL_SECONDS)
            Song.objects.filter(pk=song.pk, upload_requested_at__lt=expired).update(upload_requested_at=None)
        else:
            logger.info("Upload for song %s refused while streaming: %s", song.pk, refused.detail)
        return Song.objects.get(pk=song.pk)


def song_complete_upload(*, song: Song) -> Song:
    """The explicit, optional end of an upload: finish it, or confirm one already finished."""
    try:
        return song_finish_upload(song=song)
    except ApiError as error:
        if error.get_codes() == "audio_missing" and song.audio_key and song.upload_requested_at is None:
            return song  # its PUT already made it live (local storage)
        raise


def uploads_purge_abandoned() -> int:
    """Delete upload staging objects (`songs/<id>/upload`) nobody finished within
    UPLOAD_PURGE_AFTER_SECONDS (a job, every hour); returns how many. No song points at a
    staging object, and the live audio beside it is never touched."""
    cutoff = timezone.now() - timedelta(seconds=settings.UPLOAD_PURGE_AFTER_SECONDS)
    storage = audio_storage()
    song_ids = []
    for key in list(storage.uploads_older_than(cutoff)):
        storage.delete(key)
        logger.info("Deleted the abandoned upload %s", key)
        try:
            song_ids.append(uuid.UUID(song_id_of_upload_key(key)))
        except ValueError:
            pass  # a folder that is no song's
    Song.objects.filter(pk__in=song_ids, upload_requested_at__lt=cutoff).update(upload_requested_at=None)
    return len(song_ids)


def audio_too_large() -> ApiError:
    limit = settings.AUDIO_MAX_BYTES
    return ApiError(f"Audio files must be at most {limit // (1024 * 1024)} MB.", code="too_large", status=413)


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
