"""Audio objects behind one small interface, with two implementations.

- `S3AudioStorage`: presigned PUT and GET URLs from boto3, through django-storages'
  connection (any S3-compatible endpoint via AWS_S3_ENDPOINT_URL).
- `LocalAudioStorage` (the embedded default): files under MEDIA_ROOT, with signed,
  expiring URLs served by Django (`catalog.media_views`), Range requests included.

Keys are `songs/<song-id>/audio.<ext>`: never a title or a name, so renames never break streams.
"""

from __future__ import annotations

import mimetypes
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse

AUDIO_EXTENSIONS = {
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/ogg": "ogg",
    "audio/flac": "flac",
    "audio/wav": "wav",
    "audio/webm": "webm",
}
UPLOAD_URL_SECONDS = 15 * 60
STREAM_URL_SECONDS = 60 * 60
SIGNING_SALT = "hustmusik.audio"


def audio_key(song_id, content_type: str) -> str:
    return f"songs/{song_id}/audio.{AUDIO_EXTENSIONS[content_type]}"


def content_type_of_key(key: str) -> str:
    extension = key.rsplit(".", 1)[-1]
    for content_type, known in AUDIO_EXTENSIONS.items():
        if known == extension:
            return content_type
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


@dataclass(frozen=True)
class StoredObject:
    size: int
    content_type: str


class AudioStorage(ABC):
    @abstractmethod
    def upload_url(self, key: str, *, content_type: str, expires_in: int, request) -> str:
        """A URL to PUT the object with this Content-Type, valid `expires_in` seconds."""

    @abstractmethod
    def download_url(self, key: str, *, expires_in: int, request) -> str:
        """A URL to GET the object (Range requests allowed), valid `expires_in` seconds."""

    @abstractmethod
    def stat(self, key: str) -> StoredObject | None:
        """Size and content type of the object, or None when it does not exist."""

    def open(self, key: str):
        return default_storage.open(key, "rb")

    def delete(self, key: str) -> None:
        default_storage.delete(key)


class LocalAudioStorage(AudioStorage):
    def upload_url(self, key, *, content_type, expires_in, request):
        token = sign_local_grant(key=key, operation="put", expires_in=expires_in, content_type=content_type)
        return _absolute(request, reverse("media-upload", args=[token]))

    def download_url(self, key, *, expires_in, request):
        token = sign_local_grant(key=key, operation="get", expires_in=expires_in)
        return _absolute(request, reverse("media-stream", args=[token]))

    def stat(self, key):
        if not default_storage.exists(key):
            return None
        return StoredObject(size=default_storage.size(key), content_type=content_type_of_key(key))


def _absolute(request, path: str) -> str:
    """Absolute for API clients; a same-site path when there is no request (the admin's player)."""
    return request.build_absolute_uri(path) if request is not None else path


class S3AudioStorage(AudioStorage):
    @property
    def _client(self):
        return default_storage.connection.meta.client

    def _params(self, key: str) -> dict:
        return {"Bucket": default_storage.bucket_name, "Key": default_storage._normalize_name(key)}

    def upload_url(self, key, *, content_type, expires_in, request):
        return self._client.generate_presigned_url(
            "put_object", Params={**self._params(key), "ContentType": content_type}, ExpiresIn=expires_in
        )

    def download_url(self, key, *, expires_in, request):
        return self._client.generate_presigned_url("get_object", Params=self._params(key), ExpiresIn=expires_in)

    def stat(self, key):
        from botocore.exceptions import ClientError

        try:
            head = self._client.head_object(**self._params(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return StoredObject(size=head["ContentLength"], content_type=head.get("ContentType", ""))


def audio_storage() -> AudioStorage:
    if settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
        return S3AudioStorage()
    return LocalAudioStorage()


# --- signed grants of the local implementation ------------------------------------------


def sign_local_grant(*, key: str, operation: str, expires_in: int, content_type: str = "") -> str:
    grant = {"k": key, "op": operation, "exp": int(time.time()) + expires_in}
    if content_type:
        grant["ct"] = content_type
    return signing.dumps(grant, salt=SIGNING_SALT, compress=True)


def read_local_grant(token: str, *, operation: str) -> dict | None:
    try:
        grant = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if grant.get("op") != operation or grant.get("exp", 0) < time.time():
        return None
    return grant
