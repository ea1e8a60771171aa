"""The audio processing functions on real encodings of every common upload format, made here by FFmpeg."""

import pytest

from catalog import audio_processing as processing
from tests.media import encoded_tone, silent_mp3, wav_bytes

FORMATS = [  # (codec, container, file suffix, content type the probe reports)
    ("libmp3lame", "mp3", "mp3", "audio/mpeg"),
    ("pcm_s16le", "wav", "wav", "audio/wav"),
    ("flac", "flac", "flac", "audio/flac"),
    ("aac", "ipod", "m4a", "audio/mp4"),
    ("libopus", "ogg", "opus", "audio/ogg"),
]


@pytest.mark.parametrize(("codec", "container", "suffix", "content_type"), FORMATS, ids=[f[2] for f in FORMATS])
def test_every_common_upload_format_is_probed_and_processed(tmp_path, codec, container, suffix, content_type):
    source = tmp_path / f"upload.{suffix}"
    rate = 48_000 if codec == "libopus" else 44_100
    encoded_tone(source, codec=codec, container=container, seconds=3, rate=rate)
    probe = processing.probe(source)
    assert probe.content_type == content_type and probe.duration == pytest.approx(3, abs=0.1)

    result = processing.process(source, tmp_path)
    assert result.duration == pytest.approx(3, abs=0.1)
    for name in processing.RENDITIONS:
        rendition = processing.probe(result.renditions[name])
        assert rendition.codec == "aac" and rendition.content_type == "audio/mp4"
        assert rendition.duration == pytest.approx(3, abs=0.1)
    # The high rendition spends more bits than the normal one.
    assert result.renditions["high"].stat().st_size > result.renditions["normal"].stat().st_size


def test_loudness_is_measured_per_ebu_r128_and_the_gain_reaches_minus_14(tmp_path):
    # EBU Tech 3341 case 1: a stereo 1 kHz sine at -23 dBFS measures -23.0 LUFS.
    source = tmp_path / "tone.wav"
    encoded_tone(source, codec="pcm_s16le", container="wav", seconds=10, peak_dbfs=-23.0)
    result = processing.process(source, tmp_path)
    assert result.loudness_lufs == pytest.approx(-23.0, abs=0.2)
    assert result.gain_db == pytest.approx(9.0, abs=0.2)


def test_a_louder_master_gets_a_negative_gain(tmp_path):
    source = tmp_path / "loud.wav"
    encoded_tone(source, codec="pcm_s16le", container="wav", seconds=5, peak_dbfs=-6.0)
    result = processing.process(source, tmp_path)
    assert result.loudness_lufs == pytest.approx(-6.0, abs=0.2) and result.gain_db == pytest.approx(-8.0, abs=0.2)


def test_the_waveform_is_a_few_hundred_peaks_in_0_to_1_that_follow_the_audio(tmp_path):
    quiet_then_loud = tmp_path / "two.wav"
    quiet_then_loud.write_bytes(_sine_wav([(2, -30.0), (2, -6.0)]))
    waveform = processing.process(quiet_then_loud, tmp_path).waveform
    assert len(waveform) == processing.WAVEFORM_POINTS and all(0 <= peak <= 1 for peak in waveform)
    half = len(waveform) // 2
    assert max(waveform[: half - 5]) < 0.1 and min(waveform[half + 5 :]) > 0.9


def test_silence_has_no_loudness_and_no_gain(tmp_path):
    source = tmp_path / "silence.wav"
    source.write_bytes(wav_bytes(3))
    result = processing.process(source, tmp_path)
    assert result.loudness_lufs is None and result.gain_db == 0.0


@pytest.mark.parametrize(
    "content",
    [
        b"<html>definitely not audio</html>" * 200,
        b"",
        b"\x00" * 5000,
        b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"garbage" * 300,
    ],
)
def test_what_is_not_audio_is_refused(tmp_path, content):
    source = tmp_path / "upload"
    source.write_bytes(content)
    with pytest.raises(processing.NotAudio):
        processing.probe(source)
    with pytest.raises(processing.NotAudio):
        processing.process(source, tmp_path)


def test_a_raw_mpeg_stream_without_tags_is_audio(tmp_path):
    source = tmp_path / "upload"
    source.write_bytes(silent_mp3(2))
    assert processing.probe(source).content_type == "audio/mpeg"


def _sine_wav(parts: list[tuple[float, float]], rate: int = 44_100) -> bytes:
    """A mono 16-bit WAV of a 440 Hz sine: `(seconds, peak dBFS)` one after the other."""
    import array
    import io
    import math
    import wave

    samples = array.array("h")
    for seconds, peak_dbfs in parts:
        amplitude = 32767 * 10 ** (peak_dbfs / 20)
        samples.extend(int(amplitude * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def test_the_source_is_left_as_it_was(tmp_path):
    source = tmp_path / "upload.wav"
    encoded_tone(source, codec="pcm_s16le", container="wav", seconds=1)
    before = source.read_bytes()
    workdir = tmp_path / "out"
    workdir.mkdir()
    result = processing.process(source, workdir)
    assert source.read_bytes() == before and result.renditions["normal"] == workdir / "normal.m4a"


def test_a_mono_low_rate_recording_is_measured_too(tmp_path):
    # A mono channel counts once in BS.1770: a sine at -23 dBFS peak measures about -26 LUFS.
    source = tmp_path / "mono.wav"
    encoded_tone(source, codec="pcm_s16le", container="wav", seconds=7, peak_dbfs=-23.0, rate=22_050, layout="mono")
    result = processing.process(source, tmp_path)
    assert result.loudness_lufs == pytest.approx(-26.0, abs=0.5)
    assert result.gain_db == pytest.approx(12.0, abs=0.5)
