"""The curation console: artists and songs, scoped to their own for staff Artist Managers."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog import services
from catalog.audio import STREAM_URL_SECONDS, audio_storage
from catalog.models import Artist, Follow, ListenHistory, Relation, Song, SongArtist
from hustmusik.admin_mixins import DeletesThroughService, ViewOnlyAdmin, sees_everything
from hustmusik.filters import FoldedAdminSearchMixin, presence_filter
from hustmusik.images import admin_image_preview, default_picture_filter

# Links typed without a scheme are taken as https (Django 6's default, chosen now).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Artist)
class ArtistAdmin(DeletesThroughService, FoldedAdminSearchMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("preview", "name", "country", "manager", "created_at")
    list_display_links = ("preview", "name")
    list_filter = ("country", default_picture_filter("avatar", "avatar_url"))
    search_fields = ("name",)
    autocomplete_fields = ("manager",)
    readonly_fields = ("id", "preview_large", "created_at", "updated_at")
    fields = (
        "id",
        "name",
        "description",
        "country",
        "preview_large",
        "avatar",
        "avatar_url",
        "manager",
        "created_at",
        "updated_at",
    )
    list_select_related = ("manager",)

    def get_queryset(self, request):
        artists = super().get_queryset(request)
        return artists if sees_everything(request) else artists.managed_by(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if sees_everything(request) else [*readonly, "manager"]

    def save_model(self, request, obj, form, change):
        if not change and not sees_everything(request):
            obj.manager = request.user
        super().save_model(request, obj, form, change)

    def delete_through(self, artist):
        services.artist_delete(artist=artist)

    @admin.display(description=_("Avatar"))
    def preview(self, artist):
        return admin_image_preview(artist.avatar, artist.avatar_url, kind="artist", size=40)

    @admin.display(description=_("Avatar"))
    def preview_large(self, artist):
        return admin_image_preview(artist.avatar, artist.avatar_url, kind="artist", size=160)


class SongArtistInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        relations = [credit.get("relation") for credit in kept]
        primary = next((credit.get("artist") for credit in kept if credit.get("relation") == Relation.PRIMARY), None)
        try:
            services.check_song_credits(user=self.request.user, relations=relations, primary=primary)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        except PermissionDenied as error:
            raise forms.ValidationError(str(error)) from None


class SongArtistInline(admin.TabularInline):
    model = SongArtist
    formset = SongArtistInlineFormSet
    autocomplete_fields = ("artist",)
    fields = ("artist", "relation", "order")
    extra = 1
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset


def waveform_svg(peaks: list[float], width: int = 480, height: int = 64):
    """The peaks as mirrored bars in an inline SVG."""
    step = width / len(peaks)
    middle = height / 2
    bars = "".join(
        f'<rect x="{index * step:.1f}" y="{middle - peak * middle:.1f}" width="{max(step - 0.4, 0.4):.1f}" '
        f'height="{max(peak * height, 0.5):.1f}"/>'
        for index, peak in enumerate(peaks)
    )
    return format_html(
        '<svg width="{}" height="{}" viewBox="0 0 {} {}" fill="#7c3aed" role="img" aria-label="waveform">{}</svg>',
        width,
        height,
        width,
        height,
        mark_safe(bars),  # noqa: S308 - numbers formatted above, nothing from users
    )


HasAudioFilter = presence_filter(
    title=_("audio"),
    parameter_name="has_audio",
    missing=Q(audio_key=""),
    present_label=_("Has audio"),
    missing_label=_("No audio"),
)


class ReleaseYearFilter(admin.SimpleListFilter):
    title = _("release year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("release_date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request, queryset):
        return queryset.filter(release_date__year=self.value()) if self.value() else queryset


@admin.register(Song)
class SongAdmin(DeletesThroughService, FoldedAdminSearchMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    inlines = [SongArtistInline]
    list_display = ("preview", "title", "primary_artist", "genre", "release_date", "duration", "views", "audio_status")
    list_display_links = ("preview", "title")
    list_filter = (
        "genre",
        ReleaseYearFilter,
        "audio_status",
        HasAudioFilter,
        default_picture_filter("thumbnail", "thumbnail_url"),
    )
    search_fields = ("title", "artists__name")
    fields = (
        "id",
        "title",
        "genre",
        "release_date",
        "duration",
        "views",
        "preview_large",
        "thumbnail",
        "thumbnail_url",
        "audio_status",
        "audio_error",
        "player",
        "waveform_drawing",
        "loudness_gain_db",
        "audio_key",
        "audio_high_key",
        "audio_source_key",
        "audio_size",
        "created_at",
        "updated_at",
    )
    # Everything shown is read-only but what staff curate; audio changes through uploads and jobs only.
    readonly_fields = tuple(
        name
        for name in fields
        if name not in {"title", "genre", "release_date", "duration", "thumbnail", "thumbnail_url"}
    )
    actions = ["process_again"]

    def get_queryset(self, request):
        songs = super().get_queryset(request).with_artists()
        return songs if sees_everything(request) else songs.managed_by(request.user)

    @admin.display(description=_("Primary artist"))
    def primary_artist(self, song):
        primary = next((c.artist for c in song.credits.all() if c.relation == Relation.PRIMARY), None)
        return primary or "-"

    @admin.display(boolean=True, description=_("Audio"))
    def has_audio(self, song):
        return song.has_audio

    @admin.display(description=_("Cover"))
    def preview(self, song):
        return admin_image_preview(song.thumbnail, song.thumbnail_url, kind="song", size=40)

    @admin.display(description=_("Cover"))
    def preview_large(self, song):
        return admin_image_preview(song.thumbnail, song.thumbnail_url, kind="song", size=160)

    @admin.display(description=_("Listen"))
    def player(self, song):
        if not song.audio_key:
            return _("No audio uploaded yet.")
        url = audio_storage().download_url(song.audio_key, expires_in=STREAM_URL_SECONDS, request=None)
        return format_html('<audio controls preload="none" src="{}" style="width:480px;max-width:100%"></audio>', url)

    @admin.display(description=_("Waveform"))
    def waveform_drawing(self, song):
        if not song.waveform:
            return "-"
        return waveform_svg(song.waveform)

    @admin.action(description=_("Process the audio again (renditions, loudness, waveform)"))
    def process_again(self, request, queryset):
        queued = sum(1 for song in queryset if services.song_process_again(song=song))
        message = ngettext(
            "Processing again the audio of %(count)d song.", "Processing again the audio of %(count)d songs.", queued
        )
        self.message_user(request, message % {"count": queued}, messages.SUCCESS)

    def delete_through(self, song):
        services.song_delete(song=song)


class ReadOnlyForSupport(ViewOnlyAdmin, admin.ModelAdmin):
    """Support staff look these up; the API alone writes them (and may delete them)."""

    deletable = True


@admin.register(Follow)
class FollowAdmin(ReadOnlyForSupport):
    list_display = ("user", "artist", "created_at")
    search_fields = ("user__email", "artist__name")
    list_select_related = ("user", "artist")


@admin.register(ListenHistory)
class ListenHistoryAdmin(ReadOnlyForSupport):
    list_display = ("user", "song", "last_listened")
    search_fields = ("user__email", "song__title")
    list_select_related = ("user", "song")
    date_hierarchy = "last_listened"
