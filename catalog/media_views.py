"""Django-served media of the local storage (the embedded stand-in for S3), DEBUG or not.

- Audio: signed URLs. Like S3's presigned URLs, the token in the path is the whole
  authorisation: it names the object, the operation and the expiry.
- Images (avatars, covers): public, as `thumbnailurl` and `avatarurl` are, at `MEDIA_URL`, cacheable
  for an hour and revalidated by Last-Modified. Only the keys the image fields write are served:
  never audio, never another file under MEDIA_ROOT.
"""

import mimetypes
import re
import tempfile

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from catalog import services
from catalog.audio import content_type_of_key, read_local_grant, song_id_of_upload_key
from catalog.models import Song
from hustmusik.errors import ApiError, error_response
from hustmusik.images import ALLOWED_IMAGE_FORMATS
from hustmusik.request_guard import streams_request_body

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
IMAGE_KEY = re.compile(
    r"^(users|artists|songs|collections)/[0-9a-fA-F-]{32,36}/(avatar|thumbnail)[A-Za-z0-9_-]*"
    rf"({'|'.join(re.escape(extension) for extension in set(ALLOWED_IMAGE_FORMATS.values()))})$"
)
IMAGE_CACHE_SECONDS = 3600


@require_http_methods(["GET", "HEAD"])
def image(request, name: str):
    """An uploaded image of the local storage (S3 serves its own)."""
    if not IMAGE_KEY.match(name) or not isinstance(default_storage, FileSystemStorage):
        return error_response(_("The requested image was not found."), "not_found", 404)
    try:
        if not default_storage.exists(name):
            return error_response(_("The requested image was not found."), "not_found", 404)
        modified = default_storage.get_modified_time(name)
        response = FileResponse(default_storage.open(name, "rb"), content_type=mimetypes.guess_type(name)[0])
    except (SuspiciousFileOperation, FileNotFoundError):
        return error_response(_("The requested image was not found."), "not_found", 404)
    response["Cache-Control"] = f"public, max-age={IMAGE_CACHE_SECONDS}"
    response["Last-Modified"] = http_date(modified.timestamp())
    return response


@csrf_exempt
@streams_request_body  # bounded here, by AUDIO_MAX_BYTES, as it streams in
@require_http_methods(["PUT"])
def upload(request, token: str):
    """Store the body beside the song's live audio, then check it and make it live at once:
    on local storage the PUT is the end of the upload (`complete` is optional)."""
    grant = read_local_grant(token, operation="put")
    song_id = song_id_of_upload_key(grant["k"]) if grant else None
    if song_id is None:
        return error_response(_("This upload link is invalid or expired."), "invalid_signature", 403)
    song = Song.objects.filter(pk=song_id).first()
    if song is None:
        return error_response(_("The song of this upload link no longer exists."), "not_found", 404)
    limit = settings.AUDIO_MAX_BYTES
    with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as buffer:
        received = 0
        while chunk := request.read(CHUNK):
            received += len(chunk)
            if received > limit:
                error = services.audio_too_large()
                return error_response(str(error.detail), error.get_codes(), error.status_code)
            buffer.write(chunk)
        buffer.seek(0)
        default_storage.delete(grant["k"])
        default_storage.save(grant["k"], File(buffer))
    try:
        services.song_finish_upload(song=song)
    except ApiError as refused:
        return error_response(str(refused.detail), refused.get_codes(), refused.status_code)
    return HttpResponse(status=200)


@require_http_methods(["GET", "HEAD"])
def stream(request, token: str):
    grant = read_local_grant(token, operation="get")
    if grant is None:
        return error_response(_("This link is invalid or expired."), "invalid_signature", 403)
    key = grant["k"]
    if not default_storage.exists(key):
        return error_response(_("The audio file does not exist."), "not_found", 404)
    size = default_storage.size(key)
    start, end, status = 0, size - 1, 200

    header = request.headers.get("Range", "")
    if header:
        match = RANGE.match(header.strip())
        if not match or (not match.group(1) and not match.group(2)):
            return _unsatisfiable(size)
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            return _unsatisfiable(size)
        status = 206

    length = end - start + 1
    body = [] if request.method == "HEAD" else _read(key, start, length)
    response = StreamingHttpResponse(body, status=status, content_type=content_type_of_key(key))
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _read(key: str, start: int, length: int):
    with default_storage.open(key, "rb") as handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def _unsatisfiable(size: int) -> HttpResponse:
    response = error_response(_("The requested range is not satisfiable."), "range_not_satisfiable", 416)
    response["Content-Range"] = f"bytes */{size}"
    return response
