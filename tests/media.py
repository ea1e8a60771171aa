"""Real media bytes made by the tests: silent MP3 audio and small images."""

import array
import io

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
    from catalog.audio_processing import pcm_wav

    return pcm_wav(array.array("h", bytes(2 * round(seconds * rate))), rate=rate)


def image_file(name="cover.png", image_format="PNG", size=(16, 16)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=image_format)
    buffer.name = name
    buffer.seek(0)
    return buffer


def encoded_tone(
    path,
    *,
    codec: str,
    container: str,
    seconds: float = 2.0,
    frequency: float = 1000.0,
    peak_dbfs: float = -23.0,
    rate: int = 44_100,
    layout: str = "stereo",
) -> bytes:
    """A sine tone encoded by PyAV (FFmpeg) with `codec` in `container`, written to `path`; its bytes."""
    import math

    import av

    amplitude = 10 ** (peak_dbfs / 20)
    channels = 2 if layout == "stereo" else 1
    with av.open(str(path), "w", format=container) as output:
        stream = output.add_stream(codec, rate=rate, layout=layout)
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=rate)
        total, chunk = int(seconds * rate), 1024
        for start in range(0, total, chunk):
            count = min(chunk, total - start)
            samples = [amplitude * math.sin(2 * math.pi * frequency * (start + i) / rate) for i in range(count)]
            interleaved = array.array("f", (value for value in samples for _ in range(channels)))
            frame = av.AudioFrame(format="flt", layout=layout, samples=count)
            frame.planes[0].update(interleaved.tobytes())
            frame.sample_rate, frame.pts = rate, start
            for resampled in resampler.resample(frame):
                output.mux(stream.encode(resampled))
        for resampled in resampler.resample(None):
            output.mux(stream.encode(resampled))
        output.mux(stream.encode(None))
    with open(path, "rb") as handle:
        return handle.read()
