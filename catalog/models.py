import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def artist_avatar_upload_to(artist: "Artist", filename: str) -> str:
    return f"artists/{artist.pk}/avatar{PurePosixPath(filename).suffix.lower()}"


def song_thumbnail_upload_to(song: "Song", filename: str) -> str:
    return f"songs/{song.pk}/thumbnail{PurePosixPath(filename).suffix.lower()}"


class Relation(models.TextChoices):
    PRIMARY = "Primary", _("Primary")
    FEATURED = "Featured", _("Featured")


class ArtistQuerySet(models.QuerySet):
    def managed_by(self, user):
        return self.filter(manager=user)


class Artist(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=artist_avatar_upload_to, blank=True, max_length=300)
    avatar_url = models.URLField(_("external avatar URL"), blank=True, max_length=1000)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_artists",
        verbose_name=_("manager"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArtistQuerySet.as_manager()

    class Meta:
        verbose_name = _("artist")
        verbose_name_plural = _("artists")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="catalog_artist_name_idx")]

    def __str__(self) -> str:
        return self.name

    def is_managed_by(self, user) -> bool:
        return self.manager_id is not None and self.manager_id == user.pk


def credits_prefetch(path: str = "credits") -> Prefetch:
    """A song's credits in display order (Primary first) with their artists: one extra query."""
    return Prefetch(path, queryset=SongArtist.objects.select_related("artist").order_by("order", "id"))


SONG_LIST_FIELDS = (
    "id",
    "title",
    "thumbnail",
    "thumbnail_url",
    "duration",
    "release_date",
    "genre",
    "views",
    "audio_status",
)


class AudioStatus(models.TextChoices):
    NONE = "none", _("No audio")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class SongQuerySet(models.QuerySet):
    def with_artists(self):
        return self.prefetch_related(credits_prefetch())

    def list_rows(self):
        """The fields of a song list item, as dicts: building model instances (and prefetching
        into them) was most of the cost of a song page. `catalog.selectors.with_credits` adds
        the artists."""
        return self.values(*SONG_LIST_FIELDS)

    def managed_by(self, user):
        """Songs whose Primary artist the user manages (the API's and the admin's one rule)."""
        primary = SongArtist.objects.filter(song=OuterRef("pk"), relation=Relation.PRIMARY, artist__manager=user)
        return self.filter(Exists(primary))

    def by_artist(self, artist_id):
        return self.filter(credits__artist_id=artist_id)


class Song(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=300)
    duration = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    genre = models.CharField(_("genre"), max_length=100, blank=True)
    views = models.BigIntegerField(_("views"), default=0, editable=False)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=song_thumbnail_upload_to, blank=True, max_length=300)
    thumbnail_url = models.URLField(_("external thumbnail URL"), blank=True, max_length=1000)
    audio_key = models.CharField(
        _("audio key"),
        max_length=300,
        blank=True,
        help_text=_("Object key of the normal rendition: songs/(song id)/normal.m4a"),
    )
    audio_high_key = models.CharField(
        _("audio high key"),
        max_length=300,
        blank=True,
        help_text=_("Object key of the high rendition (Premium): songs/(song id)/high.m4a"),
    )
    audio_size = models.BigIntegerField(
        _("audio size"), null=True, blank=True, help_text=_("Bytes of the normal rendition")
    )
    audio_content_type = models.CharField(_("audio content type"), max_length=100, blank=True)
    audio_source_key = models.CharField(
        _("audio source key"),
        max_length=300,
        blank=True,
        help_text=_("The accepted upload the renditions were made from; never streamed"),
    )
    audio_pending_key = models.CharField(
        _("audio pending key"),
        max_length=300,
        blank=True,
        help_text=_("An accepted upload being processed; a newer one supersedes it"),
    )
    audio_status = models.CharField(
        _("audio status"), max_length=10, choices=AudioStatus.choices, default=AudioStatus.NONE
    )
    audio_error = models.CharField(
        _("audio error"), max_length=300, blank=True, help_text=_("Why the last processing failed")
    )
    loudness_gain_db = models.FloatField(
        _("loudness gain db"), null=True, blank=True, help_text=_("Gain that brings the song to -14 LUFS")
    )
    waveform = models.JSONField(_("waveform"), null=True, blank=True, help_text=_("Peaks in 0..1"))
    upload_requested_at = models.DateTimeField(
        _("upload requested at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When an upload URL was last given out and its upload not yet finished"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    artists = models.ManyToManyField(Artist, through="SongArtist", related_name="songs", verbose_name=_("artists"))

    objects = SongQuerySet.as_manager()

    class Meta:
        verbose_name = _("song")
        verbose_name_plural = _("songs")
        ordering = ["-created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(views__gte=0), name="catalog_song_views_non_negative")]
        indexes = [
            models.Index(fields=["genre"], name="catalog_song_genre_idx"),
            models.Index(fields=["-views", "id"], name="catalog_song_views_idx"),
            models.Index(fields=["-release_date", "id"], name="catalog_song_release_idx"),
            models.Index(fields=["title", "id"], name="catalog_song_title_idx"),
            models.Index(fields=["-created_at", "id"], name="catalog_song_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_key)

    def is_managed_by(self, user) -> bool:
        return Song.objects.managed_by(user).filter(pk=self.pk).exists()


class SongArtist(models.Model):
    """An artist's credit on a song: exactly one Primary, any number Featured, in display order."""

    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="credits", verbose_name=_("song"))
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="credits", verbose_name=_("artist"))
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices, default=Relation.FEATURED)
    order = models.PositiveSmallIntegerField(pgettext_lazy("position in a list", "order"), default=0)

    class Meta:
        verbose_name = _("song artist")
        verbose_name_plural = _("song artists")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["song", "artist"], name="catalog_songartist_unique_pair"),
            models.UniqueConstraint(
                fields=["song"], condition=Q(relation=Relation.PRIMARY), name="catalog_songartist_one_primary"
            ),
            models.CheckConstraint(condition=Q(relation__in=Relation.values), name="catalog_songartist_relation_valid"),
        ]
        indexes = [models.Index(fields=["artist", "relation"], name="catalog_songartist_artist_idx")]

    def __str__(self) -> str:
        return f"{self.artist} ({self.relation}) on {self.song}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("user")
    )
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="followers", verbose_name=_("artist"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "artist"], name="catalog_follow_unique")]
        indexes = [models.Index(fields=["user", "-created_at"], name="catalog_follow_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.artist}"


class ListenHistory(models.Model):
    """The last time a user listened to a song: one row per user and song, newest kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listen_history", verbose_name=_("user")
    )
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="listens", verbose_name=_("song"))
    last_listened = models.DateTimeField(_("last listened"))

    class Meta:
        verbose_name = _("listen history")
        verbose_name_plural = _("listen history")
        ordering = ["-last_listened", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "song"], name="catalog_listenhistory_unique")]
        indexes = [models.Index(fields=["user", "-last_listened"], name="catalog_history_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} heard {self.song} at {self.last_listened:%Y-%m-%d %H:%M}"


class PlayMark(models.Model):
    """When a listener's play of a song was last counted: one row per song and listener, so a
    listener counts at most one play per song per window (see `catalog.services.play_record`)."""

    id = models.BigAutoField(primary_key=True)
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="+")
    # "user:<id>" or "ip:<address>", hashed: the table says nothing about who listened.
    listener = models.CharField(max_length=64)
    counted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["song", "listener"], name="catalog_playmark_unique")]
        indexes = [models.Index(fields=["counted_at"], name="catalog_playmark_counted_idx")]

    def __str__(self) -> str:
        return f"{self.listener[:8]} counted on {self.song_id} at {self.counted_at:%H:%M:%S}"


class Play(models.Model):
    """A counted play not yet added to its song's `views`: appended by a stream request (the
    song's row is never locked by a listener), folded into `views` in batches by a job."""

    id = models.BigAutoField(primary_key=True)
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="+")
    played_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"play of {self.song_id} at {self.played_at:%H:%M:%S}"


class DailyPlays(models.Model):
    """A song's counted plays on one day (in TIME_ZONE), kept for good: `Play` rows are deleted as
    they are folded into `views`, and this is what the fold leaves behind for plays over time."""

    id = models.BigAutoField(primary_key=True)
    # Kept, song-less, when the song is deleted: the day's total stays what it was.
    song = models.ForeignKey(Song, null=True, on_delete=models.SET_NULL, related_name="+")
    day = models.DateField()
    plays = models.BigIntegerField()

    class Meta:
        verbose_name_plural = "daily plays"
        constraints = [models.UniqueConstraint(fields=["song", "day"], name="catalog_dailyplays_unique")]
        indexes = [models.Index(fields=["day"], name="catalog_dailyplays_day_idx")]

    def __str__(self) -> str:
        return f"{self.plays} plays of {self.song_id} on {self.day}"
