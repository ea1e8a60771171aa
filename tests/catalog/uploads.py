"""What the audio tests do over HTTP: presign an upload and PUT the bytes to the presigned URL."""

import requests


def put_audio(admin, song, audio: bytes, live_server, content_type: str | None = None) -> requests.Response:
    query = f"?content_type={content_type}" if content_type else ""
    presigned = admin.get(f"/v1/song/{song.pk}/presigned/upload{query}").json()
    return requests.put(
        presigned["url"].replace("http://testserver", live_server.url),
        data=audio,
        headers=presigned["headers"],
        timeout=30,
    )
