"""Audio objects behind one small interface, with two implementations.

- `S3AudioStorage`: presigned PUT and GET URLs from boto3, through django-storages'
  connection (any S3-compatible endpoint via AWS_S3_ENDPOINT_URL).
- `LocalAudioStorage` (the embedded default): files under MEDIA_ROOT, with signed,
  expiring URLs served by Django (`catalog.media_views`), Range requests included.

Keys are by song id, never a title or a name, so renames never break streams: an upload lands
beside the live audio at `songs/<id>/upload`; once its first frames decode it is accepted
(`incoming-…`), processed by a job into `normal.m4a` and `high.m4a`, and kept as `original` to
process again. Nothing replaces live audio before the new renditions are ready.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files import File
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


def upload_key(song_id) -> str:
    """Where an upload waits, beside the live audio, until its bytes are checked."""
    return f"songs/{song_id}/upload"


def song_id_of_upload_key(key: str) -> str | None:
    parts = key.split("/")
    return parts[1] if len(parts) == 3 and parts[0] == "songs" and parts[2] == "upload" else None


def content_type_of_key(key: str) -> str:
    extension = key.rsplit(".", 1)[-1]
    for content_type, known in AUDIO_EXTENSIONS.items():
        if known == extension:
            return content_type
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


def rendition_key(song_id, name: str) -> str:
    """A rendition streamed to listeners: songs/<id>/normal.m4a, songs/<id>/high.m4a."""
    return f"songs/{song_id}/{name}.m4a"


def source_key(song_id) -> str:
    """The accepted upload the renditions are made from (kept to process again; never streamed)."""
    return f"songs/{song_id}/original"


def incoming_key(song_id) -> str:
    """An accepted upload waiting for its processing job; unique, so a newer upload never overwrites it."""
    return f"songs/{song_id}/incoming-{uuid.uuid4().hex[:12]}"


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

    @abstractmethod
    def promote(self, source: str, target: str, *, content_type: str) -> None:
        """Move the checked upload `source` over `target`, to be served with `content_type`."""

    @abstractmethod
    def uploads_older_than(self, cutoff: datetime) -> Iterator[str]:
        """Keys of the upload staging objects (`songs/<id>/upload`) last written before `cutoff`."""

    def open(self, key: str):
        return default_storage.open(key, "rb")

    def delete(self, key: str) -> None:
        default_storage.delete(key)

    def download(self, key: str, path: Path) -> None:
        """Copy the object to a local file (processing works on files)."""
        with self.open(key) as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)

    def upload(self, path: Path, key: str, *, content_type: str) -> None:
        """Store a local file at `key`, replacing what is there at once (written beside it, then moved)."""
        staged = f"{key}.next"
        self.delete(staged)
        with open(path, "rb") as source:
            default_storage.save(staged, File(source))
        self.promote(staged, key, content_type=content_type)


class LocalAudioStorage(AudioStorage):
    def upload_url(self, key, *, content_type, expires_in, request):
        token = sign_local_grant(key=key, operation="put", expires_in=expires_in)
        return _absolute(request, reverse("media-upload", args=[token]))

    def download_url(self, key, *, expires_in, request):
        token = sign_local_grant(key=key, operation="get", expires_in=expires_in)
        return _absolute(request, reverse("media-stream", args=[token]))

    def stat(self, key):
        if not default_storage.exists(key):
            return None
        return StoredObject(size=default_storage.size(key), content_type=content_type_of_key(key))

    def promote(self, source, target, *, content_type):
        # A rename: readers of the previous file keep their open handle (POSIX), new ones get the new file.
        os.replace(default_storage.path(source), default_storage.path(target))

    def uploads_older_than(self, cutoff):
        try:
            song_folders, _ = default_storage.listdir("songs")
        except FileNotFoundError:
            return
        for folder in song_folders:
            key = upload_key(folder)
            if default_storage.exists(key) and default_storage.get_modified_time(key) < cutoff:
                yield key


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
        # The Content-Type is left out of the signature: any header is accepted, the bytes decide.
        return self._client.generate_presigned_url("put_object", Params=self._params(key), ExpiresIn=expires_in)

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

    def promote(self, source, target, *, content_type):
        self._client.copy_object(
            **self._params(target),
            CopySource=self._params(source),
            ContentType=content_type,
            MetadataDirective="REPLACE",
        )
        self._client.delete_object(**self._params(source))

    def uploads_older_than(self, cutoff):
        prefix = default_storage._normalize_name("songs/")
        location = prefix[: -len("songs/")]
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=default_storage.bucket_name, Prefix=prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(location) :]
                if song_id_of_upload_key(key) and item["LastModified"] < cutoff:
                    yield key


def audio_storage() -> AudioStorage:
    if settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
        return S3AudioStorage()
    return LocalAudioStorage()


# --- signed grants of the local implementation ------------------------------------------


def sign_local_grant(*, key: str, operation: str, expires_in: int) -> str:
    grant = {"k": key, "op": operation, "exp": int(time.time()) + expires_in}
    return signing.dumps(grant, salt=SIGNING_SALT, compress=True)


def read_local_grant(token: str, *, operation: str) -> dict | None:
    try:
        grant = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if grant.get("op") != operation or grant.get("exp", 0) < time.time():
        return None
    return grant
