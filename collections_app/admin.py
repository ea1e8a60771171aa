from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from collections_app import services
from collections_app.models import Collection, CollectionSong
from hustmusik.admin_mixins import DeletesThroughService
from hustmusik.filters import FoldedAdminSearchMixin
from hustmusik.images import admin_image_preview, default_picture_filter


class CollectionSongInline(admin.TabularInline):
    model = CollectionSong
    autocomplete_fields = ("song",)
    fields = ("position", "song", "added_at")
    readonly_fields = ("added_at",)
    ordering = ("position", "id")
    extra = 1


@admin.register(Collection)
class CollectionAdmin(DeletesThroughService, FoldedAdminSearchMixin, admin.ModelAdmin):
    inlines = [CollectionSongInline]
    list_display = ("preview", "title", "type", "visibility", "owner", "song_count", "created_at")
    list_display_links = ("preview", "title")
    list_filter = ("type", "visibility", default_picture_filter("thumbnail", "thumbnail_url"))
    search_fields = ("title", "owner__email", "owner__username")
    autocomplete_fields = ("owner",)
    readonly_fields = ("id", "created_at", "updated_at")
    list_select_related = ("owner",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(song_total=models.Count("entries"))

    def delete_through(self, collection):
        services.collection_delete(collection=collection)

    @admin.display(description=_("Cover"))
    def preview(self, collection):
        return admin_image_preview(collection.thumbnail, collection.thumbnail_url, kind="collection", size=40)

    @admin.display(description=_("Songs"), ordering="song_total")
    def song_count(self, collection):
        return collection.song_total
