"""Real media bytes made by the tests: silent MP3 audio and small images."""

import io
import wave

from PIL import Image

FRAME_HEADER = bytes([0xFF, 0xFB, 0x90, 0x00])  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo
FRAME_BYTES = 144 * 128_000 // 44_100  # 417
FRAMES_PER_SECOND = 44_100 / 1152


def silent_mp3(seconds: float) -> bytes:
    """A valid constant-bitrate MP3 stream of silence lasting `seconds`."""
    frames = round(seconds * FRAMES_PER_SECOND)
    return (FRAME_HEADER + bytes(FRAME_BYTES - len(FRAME_HEADER))) * frames


def wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    """A mono 16-bit PCM WAV file of silence lasting `seconds`."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(2 * round(seconds * rate)))
    return buffer.getvalue()


def image_file(name="cover.png", image_format="PNG", size=(16, 16)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=image_format)
    buffer.name = name
    buffer.seek(0)
    return buffer
