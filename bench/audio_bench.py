"""Audio processing speed: a 4-minute 44.1 kHz stereo WAV through both renditions, loudness and waveform.

Prints seconds of audio processed per second of one core (CPU time of this process), best of three.
Target: at least 30x real time.
"""

import array
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog import audio_processing  # noqa: E402  (pure functions: no Django needed)

SECONDS, RATE = 240, 44_100


def four_minutes_of_music() -> bytes:
    """A chord that moves every half second, in stereo (enough structure for the encoder to work on)."""
    samples = array.array("h")
    for index in range(SECONDS * RATE):
        t = index / RATE
        root = 220 * 2 ** ((int(t * 2) % 12) / 12)
        left = math.sin(2 * math.pi * root * t) + 0.5 * math.sin(2 * math.pi * root * 1.5 * t)
        right = math.sin(2 * math.pi * root * 1.25 * t) + 0.3 * math.sin(2 * math.pi * root * 2 * t)
        samples.extend((int(9000 * left), int(9000 * right)))
    return audio_processing.pcm_wav(samples, rate=RATE, channels=2)


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        source = Path(workdir) / "four-minutes.wav"
        source.write_bytes(four_minutes_of_music())
        runs = []
        for _ in range(3):
            started = time.process_time()
            result = audio_processing.process(source, Path(workdir))
            runs.append(time.process_time() - started)
        best = min(runs)
        print(f"Audio processing: {SECONDS} s of 44.1 kHz stereo WAV -> normal + high AAC, loudness, waveform")
        print(
            f"  CPU time: best {best:.2f} s of {', '.join(f'{run:.2f}' for run in runs)}; "
            f"{SECONDS / best:.0f}x real time on one core (target >= 30x)"
        )
        print(
            f"  loudness {result.loudness_lufs} LUFS, gain {result.gain_db} dB, "
            f"renditions {', '.join(f'{name} {path.stat().st_size // 1024} KB' for name, path in result.renditions.items())}"
        )


if __name__ == "__main__":
    main()
