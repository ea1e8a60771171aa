import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CollectionType(models.TextChoices):
    ALBUM = "Album", _("Album")
    EP = "EP", _("EP")
    SINGLE = "Single", _("Single")
    PLAYLIST = "Playlist", _("Playlist")
    MIX = "Mix", _("Mix")


RELEASE_TYPES = (CollectionType.ALBUM, CollectionType.EP, CollectionType.SINGLE)
LISTENER_TYPES = (CollectionType.PLAYLIST, CollectionType.MIX)


class Visibility(models.TextChoices):
    PUBLIC = "Public", _("Public")
    PRIVATE = "Private", _("Private")


def collection_thumbnail_upload_to(collection: "Collection", filename: str) -> str:
    return f"collections/{collection.pk}/thumbnail{PurePosixPath(filename).suffix.lower()}"


class CollectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public collections, plus the user's own; administrators see everything."""
        if user.is_authenticated and user.has_admin_role:
            return self
        if user.is_authenticated:
            return self.filter(Q(visibility=Visibility.PUBLIC) | Q(owner=user))
        return self.filter(visibility=Visibility.PUBLIC)

    def releases(self):
        return self.filter(type__in=RELEASE_TYPES)

    def playlists(self):
        return self.filter(type=CollectionType.PLAYLIST)


class Collection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=10, choices=CollectionType.choices, default=CollectionType.PLAYLIST)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=collection_thumbnail_upload_to, blank=True, max_length=300)
    thumbnail_url = models.URLField(_("external thumbnail URL"), blank=True, max_length=1000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections", verbose_name=_("owner")
    )
    songs = models.ManyToManyField(
        "catalog.Song", through="CollectionSong", related_name="collections", verbose_name=_("songs")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=CollectionType.values), name="collections_type_valid"),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="collections_visibility_valid"),
        ]
        indexes = [
            models.Index(fields=["type", "visibility", "-created_at"], name="collections_type_vis_idx"),
            models.Index(fields=["owner", "-created_at"], name="collections_owner_idx"),
            models.Index(fields=["-created_at", "id"], name="collections_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.type})"


class CollectionSong(models.Model):
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="entries", verbose_name=_("collection")
    )
    song = models.ForeignKey(
        "catalog.Song", on_delete=models.CASCADE, related_name="collection_entries", verbose_name=_("song")
    )
    position = models.PositiveIntegerField(_("position"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("collection song")
        verbose_name_plural = _("collection songs")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "song"], name="collections_song_once")]
        indexes = [
            models.Index(fields=["collection", "position"], name="collections_entry_order_idx"),
            models.Index(fields=["song"], name="collections_entry_song_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.song_id} in {self.collection_id}"
