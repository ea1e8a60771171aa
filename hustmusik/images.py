"""Image uploads (avatars, thumbnails): real image content of an allowed format, at most 10 MB."""

import functools
from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Q
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from hustmusik.filters import presence_filter

ALLOWED_IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp", "AVIF": ".avif"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024
# What browser forms send for "no file" (`formData.append("file", null)` sends the string "null").
NO_FILE_VALUES = {"", "null", "undefined"}


class ImageUploadField(serializers.ImageField):
    """An uploaded image, checked by decoding it with Pillow, not by trusting its name.

    The file is renamed after its real format, so the stored key never carries the
    client's file name or a misleading extension.
    """

    default_error_messages = {
        **serializers.ImageField.default_error_messages,
        "too_large": _("Images must be at most 10 MB."),
        "bad_format": _("Unsupported image format; use PNG, JPEG, GIF, WebP or AVIF."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if isinstance(data, str) and data.strip().lower() in NO_FILE_VALUES:
            raise SkipField()  # no file given: the field is left as it is
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if getattr(data, "size", 0) > MAX_IMAGE_BYTES:
            self.fail("too_large")
        upload = super().to_internal_value(data)
        image_format = getattr(getattr(upload, "image", None), "format", None)
        if image_format not in ALLOWED_IMAGE_FORMATS:
            self.fail("bad_format")
        upload.name = f"{PurePosixPath(upload.name).stem or 'image'}{ALLOWED_IMAGE_FORMATS[image_format]}"
        return upload


def delete_file_on_commit(file_value) -> None:
    """Delete a stored file once the transaction that stopped using it has committed."""
    if file_value:
        name, storage = file_value.name, file_value.storage
        transaction.on_commit(lambda: storage.delete(name))


def apply_image(
    instance, *, file_attr: str, url_attr: str | None, upload=None, new_url: str | None = None
) -> list[str]:
    """An uploaded file replaces the link (if the model has one) and the previous file; a new link
    replaces the file.

    Call inside the transaction that saves `instance`; replaced files go once it commits.
    Returns the fields it changed, for the caller's `update_fields`.
    """
    stored = getattr(instance, file_attr)
    if upload is not None:
        previous = stored.name
        stored.save(upload.name, upload, save=False)
        if url_attr:
            setattr(instance, url_attr, "")
        if previous and previous != stored.name:
            name, storage = previous, stored.storage
            transaction.on_commit(lambda: storage.delete(name))
        return [file_attr, url_attr] if url_attr else [file_attr]
    if new_url:
        delete_file_on_commit(stored)
        setattr(instance, file_attr, "")
        return [file_attr]
    return []


# The picture of an item without one of its own, per kind: static files the app serves
# (WhiteNoise), so the same URL works whether media live on local disk or in S3.
DEFAULT_IMAGES = {
    "song": "defaults/song.png",
    "artist": "defaults/artist.png",
    "collection": "defaults/collection.png",
    "user": "defaults/user.png",
}


@functools.cache
def _default_static_url(kind: str) -> str:
    # Static URLs do not change while a process runs (the manifest is read once); `static()`
    # costs more than the rest of an image URL, for every item of every list.
    return static(DEFAULT_IMAGES[kind])


def default_image_url(request, kind: str) -> str:
    url = _default_static_url(kind)
    if request is None:
        return url
    # Once per request and kind: a page of 50 items without pictures asks 50 times.
    known = request.__dict__.setdefault("_default_image_urls", {})
    if kind not in known:
        known[kind] = request.build_absolute_uri(url)
    return known[kind]


def absolute_image_url(request, file_value, external_url: str = "", *, kind: str) -> str:
    """The public URL of an image: the stored file's (absolute), else the external URL, else the kind's default."""
    return stored_image_url(request, file_value.storage, file_value.name, external_url, kind=kind)


def stored_image_url(request, storage, name: str, external_url: str = "", *, kind: str) -> str:
    """`absolute_image_url` for a file known by its storage and name (a `values()` row)."""
    if name:
        url = storage.url(name)
        return request.build_absolute_uri(url) if request is not None else url
    return external_url or default_image_url(request, kind)


@extend_schema_field({"type": "string", "format": "uri"})
class ImageUrlField(serializers.Field):
    """Read-only `thumbnailurl`/`avatarurl`: an uploaded file wins over an external URL; never null."""

    def __init__(self, file_attr: str, url_attr: str | None = None, *, kind: str, **kwargs):
        self.file_attr, self.url_attr, self.kind = file_attr, url_attr, kind
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        external = getattr(instance, self.url_attr, "") if self.url_attr else ""
        return absolute_image_url(
            self.context.get("request"), getattr(instance, self.file_attr), external, kind=self.kind
        )


class HttpUrlField(serializers.URLField):
    """An image given as a link instead of a file: http(s) only."""

    default_error_messages = {"scheme": _("Only http and https links are accepted.")}

    def to_internal_value(self, data):
        url = super().to_internal_value(data)
        if url and not url.lower().startswith(("http://", "https://")):
            self.fail("scheme")
        return url


# --- the admin: which items still show their kind's default picture -------------------------


def admin_image_preview(file_value, external_url: str = "", *, kind: str, size: int = 64):
    """The item's picture for the admin; the default one is shown faded and says so."""
    url = file_value.url if file_value else external_url
    if url:
        return format_html('<img src="{}" style="max-height:{}px;max-width:{}px;border-radius:4px">', url, size, size)
    return format_html(
        '<img src="{}" title="{}" style="max-height:{}px;max-width:{}px;border-radius:4px;opacity:.45">'
        '<div style="font-size:10px;color:#888">{}</div>',
        default_image_url(None, kind),
        _("Default picture"),
        size,
        size,
        _("default"),
    )


def default_picture_filter(file_attr: str, url_attr: str | None = None):
    """An admin list filter: items with their own picture, or still on their kind's default."""
    return presence_filter(
        title=_("picture"),
        parameter_name="picture",
        missing=Q(**{file_attr: ""}) & (Q(**{url_attr: ""}) if url_attr else Q()),
        present_label=_("Own picture"),
        missing_label=_("Default picture"),
    )
