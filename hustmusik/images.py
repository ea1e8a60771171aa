"""Image uploads (avatars, thumbnails): real image content of an allowed format, at most 10 MB."""

from pathlib import PurePosixPath

from rest_framework import serializers

ALLOWED_IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp", "AVIF": ".avif"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024


class ImageUploadField(serializers.ImageField):
    """An uploaded image, checked by decoding it with Pillow, not by trusting its name.

    The file is renamed after its real format, so the stored key never carries the
    client's file name or a misleading extension.
    """

    default_error_messages = {
        **serializers.ImageField.default_error_messages,
        "too_large": "Images must be at most 10 MB.",
        "bad_format": "Unsupported image format; use PNG, JPEG, GIF, WebP or AVIF.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if getattr(data, "size", 0) > MAX_IMAGE_BYTES:
            self.fail("too_large")
        upload = super().to_internal_value(data)
        image_format = getattr(getattr(upload, "image", None), "format", None)
        if image_format not in ALLOWED_IMAGE_FORMATS:
            self.fail("bad_format")
        upload.name = f"{PurePosixPath(upload.name).stem or 'image'}{ALLOWED_IMAGE_FORMATS[image_format]}"
        return upload
