"""Catalogue writes and their rules: who may publish what, credits, images and audio."""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import audio_processing as processing
from catalog.audio import (
    STREAM_URL_SECONDS,
    UPLOAD_URL_SECONDS,
    audio_storage,
    incoming_key,
    rendition_key,
    song_id_of_upload_key,
    source_key,
    upload_key,
)
from catalog.models import Artist, AudioStatus, Follow, ListenHistory, PlayMark, Relation, Song, SongArtist
from hustmusik.caching import catalogue_changed
from hustmusik.errors import ApiError
from hustmusik.images import apply_image, delete_file_on_commit
from hustmusik.proxies import client_address
from hustmusik.services import model_update

logger = logging.getLogger("hustmusik.catalog")

UNSET = object()


# --- artists ----------------------------------------------------------------------------


@transaction.atomic
def artist_create(
    *, user, name: str, description: str = "", country: str = "", avatar=None, avatar_url: str = ""
) -> Artist:
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
    image = apply_image(
        artist, file_attr="avatar", url_attr="avatar_url", upload=avatar, new_url=data.get("avatar_url")
    )
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
        raise ValidationError({"artists": [_("Give at least one artist id; the first is the primary artist.")]})
    if len(set(artist_ids)) != len(artist_ids):
        raise ValidationError({"artists": [_("An artist may appear only once.")]})
    found = Artist.objects.in_bulk(artist_ids)
    unknown = [str(artist_id) for artist_id in artist_ids if artist_id not in found]
    if unknown:
        raise ValidationError(
            {"artists": [_("Unknown artist id: %(id)s") % {"id": artist_id} for artist_id in unknown]}
        )
    artists = [found[artist_id] for artist_id in artist_ids]
    check_song_credits(
        user=user, relations=[Relation.PRIMARY] + [Relation.FEATURED] * (len(artists) - 1), primary=artists[0]
    )
    return artists


def check_song_credits(*, user, relations: list[str], primary: Artist | None) -> None:
    """The rule of a song's credits, for the API and the admin alike: exactly one Primary
    artist, whom the user manages unless they are an administrator."""
    if relations.count(Relation.PRIMARY) != 1 or primary is None:
        raise ValidationError({"artists": [_("A song has exactly one Primary artist.")]})
    if not user.has_admin_role and not primary.is_managed_by(user):
        raise PermissionDenied(_("You can only publish songs whose primary artist you manage."))


def _replace_credits(song: Song, artists: list[Artist]) -> None:
    SongArtist.objects.filter(song=song).delete()
    SongArtist.objects.bulk_create(
        SongArtist(
            song=song, artist=artist, relation=Relation.PRIMARY if index == 0 else Relation.FEATURED, order=index
        )
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
    image = apply_image(
        song, file_attr="thumbnail", url_attr="thumbnail_url", upload=thumbnail, new_url=data.get("thumbnail_url")
    )
    model_update(instance=song, fields=SONG_UPDATABLE, data=data, changed=image)
    return song


@transaction.atomic
def song_delete(*, song: Song) -> None:
    """Delete the song, then (once that is committed) its audio and image objects."""
    keys = [key for key in song_audio_keys(song) if key]
    delete_file_on_commit(song.thumbnail)
    song.delete()
    if keys:
        transaction.on_commit(lambda: [audio_storage().delete(key) for key in keys])


def song_audio_keys(song: Song) -> list[str]:
    return [song.audio_key, song.audio_high_key, song.audio_source_key, song.audio_pending_key]


# --- audio ------------------------------------------------------------------------------


QUALITIES = ("normal", "high")


def song_stream_url(*, song: Song, request, quality: str = "normal") -> str:
    """A time-limited GET URL of a rendition; counts a play (see `play_record`).

    `high` is for Premium listeners. An upload that was never completed (clients may skip
    `complete`) is accepted first, so its processing starts; until it is done the previous
    renditions keep streaming."""
    if quality == "high":
        if not request.user.is_authenticated:
            raise ApiError(_("Sign in with Premium to hear the high quality."), code="not_authenticated", status=401)
        if not request.user.is_premium:
            raise ApiError(_("The high quality is for Premium listeners."), code="premium_required", status=403)
    if song.upload_requested_at is not None:
        song = song_finish_pending_upload(song=song)
    key = (song.audio_high_key or song.audio_key) if quality == "high" else song.audio_key
    if not key:
        message = (
            _("This song's audio is being processed.")
            if song.audio_status == AudioStatus.PROCESSING
            else _("This song has no audio yet.")
        )
        raise ApiError(message, code="audio_missing", status=404)
    play_record(song_id=song.pk, listener=listener_of(request))
    return audio_storage().download_url(key, expires_in=STREAM_URL_SECONDS, request=request)


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
    """Add the counted plays to their songs' `views` and to their days' `DailyPlays`, a batch per
    transaction; returns how many.

    Each batch is taken with SKIP LOCKED, so two folds never count a play twice, and views
    change once per song per batch. A play's day is its date in TIME_ZONE. Play marks past
    their window are dropped on the way.
    """
    folded = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    WITH batch AS (
                        DELETE FROM catalog_play WHERE id IN (
                            SELECT id FROM catalog_play ORDER BY id LIMIT %(batch)s FOR UPDATE SKIP LOCKED
                        ) RETURNING song_id, played_at
                    ), per_day AS (
                        INSERT INTO catalog_dailyplays (song_id, day, plays)
                        SELECT song_id, (played_at AT TIME ZONE %(zone)s)::date AS day, count(*) FROM batch
                         GROUP BY song_id, day ORDER BY song_id, day
                        ON CONFLICT (song_id, day) DO UPDATE SET plays = catalog_dailyplays.plays + EXCLUDED.plays
                    ), per_song AS (
                        SELECT song_id, count(*) AS plays FROM batch GROUP BY song_id
                    )
                    UPDATE catalog_song SET views = catalog_song.views + per_song.plays
                      FROM per_song WHERE catalog_song.id = per_song.song_id
                    RETURNING per_song.plays
                    """,
                    {"batch": batch_size, "zone": settings.TIME_ZONE},
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


def song_finish_upload(*, song: Song) -> Song:
    """Accept the uploaded object and start its processing, or refuse it: never touches live audio.

    In the request: it exists, is under AUDIO_MAX_BYTES, its first frames decode as audio and it
    lasts at most AUDIO_MAX_SECONDS (else 413 `too_large`, 400 `not_audio`, 400 `too_long`, and
    it is deleted). Accepted, it moves aside (`incoming-…`), the song is `processing`, and the
    processing job is enqueued in the same transaction. The duration, when unknown, is read now.
    """
    storage = audio_storage()
    staged = upload_key(song.pk)
    stored = storage.stat(staged)
    if stored is None:
        raise ApiError(
            _("No uploaded audio was found; PUT the file to the upload URL first."), code="audio_missing", status=404
        )
    try:
        probe = _accepted_probe(storage, staged, stored.size)
    except ApiError:
        storage.delete(staged)
        Song.objects.filter(pk=song.pk).update(upload_requested_at=None)
        raise

    incoming = incoming_key(song.pk)
    with transaction.atomic():
        song = Song.objects.select_for_update().get(pk=song.pk)
        if storage.stat(staged) is None:
            return song  # a concurrent finisher accepted these same bytes
        storage.promote(staged, incoming, content_type="application/octet-stream")
        superseded = song.audio_pending_key
        song.audio_pending_key, song.audio_status, song.audio_error = incoming, AudioStatus.PROCESSING, ""
        song.upload_requested_at = None
        if not song.duration:
            song.duration = max(1, round(probe.duration))
        song.save(
            update_fields=[
                "audio_pending_key",
                "audio_status",
                "audio_error",
                "upload_requested_at",
                "duration",
                "updated_at",
            ]
        )
        _defer_processing(song_id=song.pk, source=incoming)
        if superseded:
            transaction.on_commit(lambda: storage.delete(superseded))
    return song


def _accepted_probe(storage, key: str, size: int) -> processing.Probe:
    if size > settings.AUDIO_MAX_BYTES:
        raise audio_too_large()
    with tempfile.TemporaryDirectory() as workdir:
        local = Path(workdir) / "upload"
        storage.download(key, local)
        try:
            probe = processing.probe(local)
        except processing.NotAudio:
            raise ApiError(_("The uploaded file is not audio we can read."), code="not_audio", status=400) from None
    if probe.duration > settings.AUDIO_MAX_SECONDS:
        raise ApiError(
            _("Songs may last at most %(minutes)d minutes.") % {"minutes": settings.AUDIO_MAX_SECONDS // 60},
            code="too_long",
            status=400,
        )
    return probe


def _defer_processing(*, song_id, source: str) -> None:
    from catalog import tasks  # tasks call these services

    tasks.process_song_audio.defer(song_id=str(song_id), source=source)


def song_process_audio(*, song_id, source: str) -> None:
    """The processing job: renditions, loudness, waveform and duration from `source`, swapped in.

    `source` is an accepted upload (`incoming-…`, kept as the song's `original` once done) or the
    song's `original` itself (processing again). A newer upload supersedes this job: its results
    are dropped. Bytes that turn out not to decode leave the song `failed` with its previous audio.
    """
    storage = audio_storage()
    if not _still_wanted(song_id=song_id, source=source):
        return  # deleted, or superseded before this job started (its upload went with it)
    with tempfile.TemporaryDirectory() as workdir:
        local = Path(workdir) / "source"
        storage.download(source, local)
        try:
            result = processing.process(local, Path(workdir))
        except processing.NotAudio as error:
            _processing_failed(song_id=song_id, source=source, reason=f"Not audio that decodes: {error}"[:300])
            return
        if not _still_wanted(song_id=song_id, source=source):
            if source != source_key(song_id):  # the kept original stays until a newer one replaces it
                storage.delete(source)
            return
        keys = {name: rendition_key(song_id, name) for name in result.renditions}
        for name, path in result.renditions.items():
            storage.upload(path, keys[name], content_type=processing.RENDITION_CONTENT_TYPE)
        normal_size = result.renditions["normal"].stat().st_size
    with transaction.atomic():
        song = Song.objects.select_for_update().filter(pk=song_id).first()
        if song is None:  # deleted while this job ran: what it wrote goes too
            for key in keys.values():
                storage.delete(key)
            return
        previous = {song.audio_key, song.audio_high_key, song.audio_source_key}
        if source != source_key(song_id):
            storage.promote(source, source_key(song_id), content_type="application/octet-stream")
        if song.audio_pending_key == source:
            song.audio_pending_key = ""
        song.audio_key, song.audio_high_key, song.audio_source_key = keys["normal"], keys["high"], source_key(song_id)
        song.audio_size, song.audio_content_type = normal_size, processing.RENDITION_CONTENT_TYPE
        song.audio_status, song.audio_error = AudioStatus.READY, ""
        song.loudness_gain_db, song.waveform = result.gain_db, result.waveform
        if not song.duration:
            song.duration = max(1, round(result.duration))
        song.save()
        # Legacy objects (the upload streamed as it was, before renditions) go once the swap commits.
        stale = previous - {song.audio_key, song.audio_high_key, song.audio_source_key, ""}
        transaction.on_commit(lambda: [storage.delete(key) for key in stale])


def _still_wanted(*, song_id, source: str) -> bool:
    song = Song.objects.filter(pk=song_id).only("audio_pending_key").first()
    return song is not None and (song.audio_pending_key in ("", source))


def _processing_failed(*, song_id, source: str, reason: str) -> None:
    logger.warning("Processing the audio of song %s failed: %s", song_id, reason)
    with transaction.atomic():
        song = Song.objects.select_for_update().filter(pk=song_id).first()
        if song is None or song.audio_pending_key not in ("", source):
            return  # deleted, or superseded by a newer upload
        song.audio_status, song.audio_error = AudioStatus.FAILED, reason
        if song.audio_pending_key == source:
            song.audio_pending_key = ""
            transaction.on_commit(lambda: audio_storage().delete(source))
        song.save(update_fields=["audio_status", "audio_error", "audio_pending_key", "updated_at"])


def song_process_again(*, song: Song) -> bool:
    """Admin action: make the renditions again from the kept original; False when there is none."""
    if not song.audio_source_key:
        return False
    with transaction.atomic():
        Song.objects.filter(pk=song.pk).update(audio_status=AudioStatus.PROCESSING, audio_error="")
        _defer_processing(song_id=song.pk, source=song.audio_source_key)
    return True


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
    """The explicit, optional end of an upload: accept it, or confirm one already accepted."""
    try:
        return song_finish_upload(song=song)
    except ApiError as error:
        accepted = song.audio_key or song.audio_status == AudioStatus.PROCESSING
        if error.get_codes() == "audio_missing" and accepted and song.upload_requested_at is None:
            return song  # its PUT already did (local storage)
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
    return ApiError(
        _("Audio files must be at most %(megabytes)d MB.") % {"megabytes": limit // (1024 * 1024)},
        code="too_large",
        status=413,
    )


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
    stale = (
        ListenHistory.objects.filter(user=user).order_by("-last_listened", "-id").values("id")[HISTORY_KEPT_PER_USER:]
    )
    ListenHistory.objects.filter(user=user, id__in=stale).delete()
