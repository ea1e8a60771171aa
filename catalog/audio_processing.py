"""Audio processing with PyAV (FFmpeg inside the wheel): probe, decode, renditions, loudness, waveform.

Pure functions over files: nothing here knows of HTTP, the ORM or storages. The song services
fetch an upload to a local file, call `probe` (in the request) or `process` (in the worker), and
store what comes back.

- `probe` decodes a few frames: is it audio at all, and how long is it.
- `process` decodes the whole upload once and, from that one pass, encodes the renditions (AAC-LC
  in MP4), measures integrated loudness per ITU-R BS.1770 / EBU R128 with FFmpeg's `ebur128`
  filter (the reference implementation), and collects a waveform of peaks.
"""

from __future__ import annotations

import array
import io
import math
import wave
from dataclasses import dataclass, field
from pathlib import Path

import av

# name -> bit rate; `normal` for everyone, `high` for Premium listeners.
RENDITIONS = {"normal": 128_000, "high": 256_000}
# FFmpeg's own AAC encoder, tuned per rendition for speed where a listener hears no difference:
# its "fast" coder at 128 kbit/s (about half the CPU of the default search, same size), and plain
# left/right coding at 256 kbit/s (mid/side search costs a fifth of the encode; at this rate L/R
# is transparent). Measured by `make bench` (bench/audio_bench.py).
ENCODER_OPTIONS = {"normal": {"aac_coder": "fast"}, "high": {"aac_ms": "0"}}
RENDITION_CONTENT_TYPE = "audio/mp4"
RENDITION_RATE = 44_100
TARGET_LUFS = -14.0
WAVEFORM_POINTS = 400
PEAK_RATE = 8_000  # the waveform's peaks are taken from a mono copy at this rate
PROBE_FRAMES = 8

# What the container says it is, for the upload's own record (the renditions are always AAC/MP4).
CONTAINER_CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "mov,mp4,m4a,3gp,3g2,mj2": "audio/mp4",
    "aac": "audio/aac",
    "matroska,webm": "audio/webm",
}


class NotAudio(Exception):
    """The bytes are not audio that can be decoded."""


@dataclass(frozen=True)
class Probe:
    duration: float  # seconds
    codec: str
    content_type: str


@dataclass
class Processed:
    duration: float
    loudness_lufs: float | None  # None for silence (nothing passes the gates)
    gain_db: float  # what brings the song to TARGET_LUFS
    waveform: list[float]
    renditions: dict[str, Path] = field(default_factory=dict)


def pcm_wav(samples: array.array, *, rate: int, channels: int = 1) -> bytes:
    """16-bit PCM samples (interleaved when `channels` > 1) as a WAV file's bytes."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def probe(path: Path) -> Probe:
    """Decode a few frames of `path`; its duration, codec and content type, or NotAudio."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise NotAudio("no audio stream")
            stream = container.streams.audio[0]
            decoded = 0
            for _ in container.decode(stream):
                decoded += 1
                if decoded >= PROBE_FRAMES:
                    break
            if not decoded:
                raise NotAudio("no decodable audio frame")
            duration = _duration(container, stream)
            content_type = CONTAINER_CONTENT_TYPES.get(container.format.name, "application/octet-stream")
            return Probe(duration=duration, codec=stream.codec_context.name, content_type=content_type)
    except av.FFmpegError as error:
        raise NotAudio(str(error)) from None


def _duration(container, stream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def process(path: Path, workdir: Path, *, waveform_points: int = WAVEFORM_POINTS) -> Processed:
    """Renditions of `path` in `workdir` (`<name>.m4a`), its loudness and its waveform, in one decode."""
    encoders = {
        name: _Encoder(workdir / f"{name}.m4a", bit_rate, ENCODER_OPTIONS.get(name, {}))
        for name, bit_rate in RENDITIONS.items()
    }
    loudness = _Loudness()
    peaks = _Peaks()
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise NotAudio("no audio stream")
            stream = container.streams.audio[0]
            loudness.start(stream)
            for frame in container.decode(stream):
                for encoder in encoders.values():
                    encoder.encode(frame)
                loudness.push(frame)
                peaks.push(frame)
    except av.FFmpegError as error:
        raise NotAudio(str(error)) from None
    finally:
        for encoder in encoders.values():
            encoder.close()
    if not peaks.samples:
        raise NotAudio("no decodable audio frame")
    lufs = loudness.integrated()
    return Processed(
        duration=peaks.samples / PEAK_RATE,
        loudness_lufs=lufs,
        gain_db=round(TARGET_LUFS - lufs, 2) if lufs is not None else 0.0,
        waveform=peaks.waveform(waveform_points),
        renditions={name: encoder.path for name, encoder in encoders.items()},
    )


class _Encoder:
    """One AAC-LC rendition in an MP4 container."""

    def __init__(self, path: Path, bit_rate: int, options: dict):
        self.path = path
        self.output = av.open(str(path), "w", format="mp4")
        self.stream = self.output.add_stream("aac", rate=RENDITION_RATE, layout="stereo", options=options)
        self.stream.bit_rate = bit_rate
        self.resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RENDITION_RATE)
        self.closed = False

    def encode(self, frame) -> None:
        for resampled in self.resampler.resample(frame):
            self.output.mux(self.stream.encode(resampled))

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            for resampled in self.resampler.resample(None):
                self.output.mux(self.stream.encode(resampled))
            self.output.mux(self.stream.encode(None))
        finally:
            self.output.close()


class _Loudness:
    """Integrated loudness from FFmpeg's `ebur128` filter: the latest value its frames' metadata carry
    (the frames flushed at the end may carry none)."""

    def __init__(self):
        self.graph = None
        self.value = math.nan

    def start(self, stream) -> None:
        self.graph = av.filter.Graph()
        source = self.graph.add_abuffer(template=stream)
        meter = self.graph.add("ebur128", "metadata=1")
        sink = self.graph.add("abuffersink")
        source.link_to(meter)
        meter.link_to(sink)
        self.graph.configure()

    def push(self, frame) -> None:
        self.graph.push(frame)
        self._drain()

    def _drain(self) -> None:
        while True:
            try:
                frame = self.graph.pull()
            except (av.BlockingIOError, av.EOFError):
                return
            measured = frame.metadata.get("lavfi.r128.I")
            if measured is not None:
                self.value = float(measured)

    def integrated(self) -> float | None:
        self.graph.push(None)
        self._drain()
        # Silence measures -70 LUFS or below (the absolute gate): no gain can be derived from it.
        return None if math.isnan(self.value) or self.value <= -70 else round(self.value, 2)


class _Peaks:
    """The loudest sample of each stretch of a mono copy, for drawing a waveform."""

    def __init__(self):
        self.resampler = av.AudioResampler(format="flt", layout="mono", rate=PEAK_RATE)
        self.blocks: array.array = array.array("f")  # the peak of every 80 ms
        self.block = PEAK_RATE // 12
        self.pending = array.array("f")
        self.samples = 0

    def push(self, frame) -> None:
        for resampled in self.resampler.resample(frame):
            self._add(resampled)

    def _add(self, frame) -> None:
        values = array.array("f", bytes(frame.planes[0])[: frame.samples * 4])
        self.samples += len(values)
        self.pending.extend(values)
        while len(self.pending) >= self.block:
            chunk, self.pending = self.pending[: self.block], self.pending[self.block :]
            self.blocks.append(max(max(chunk), -min(chunk)))

    def waveform(self, points: int) -> list[float]:
        for resampled in self.resampler.resample(None):
            self._add(resampled)
        if self.pending:
            self.blocks.append(max(max(self.pending), -min(self.pending)))
        blocks = self.blocks
        if not blocks:
            return [0.0] * points
        step = len(blocks) / points
        peaks = [
            max(blocks[int(i * step) : max(int((i + 1) * step), int(i * step) + 1)] or [0.0]) for i in range(points)
        ]
        loudest = max(peaks) or 1.0
        # Scaled to the loudest point, so quiet songs still draw a shape.
        return [round(min(1.0, peak / loudest), 3) for peak in peaks]
