"""Reference values of transformers' WhisperFeatureExtractor for fixed test signals.

tests/data/whisper_features_reference.json holds, for each signal below, WhisperFeatureExtractor
(chunk_length=8) features at 400 fixed positions plus every row and column mean. transformers
is not a dependency of the project; the file was made once in a scratch venv with:

    python -m venv /tmp/tf && /tmp/tf/bin/pip install transformers numpy
    PYTHONPATH=. /tmp/tf/bin/python tests/support/whisper_reference.py \
        > tests/data/whisper_features_reference.json

The signals are plain arithmetic (no random numbers, no espeak-ng), so they are the same on
every machine.
"""

from __future__ import annotations

import json
import sys

import numpy as np

RATE = 16_000
POSITIONS = 400


def signals() -> dict[str, np.ndarray]:
    """int16 test signals: shorter than 8 s (padded in front) and longer (only the end kept)."""
    t_short = np.arange(int(1.5 * RATE)) / RATE
    envelope = 0.5 * (1 - np.cos(2 * np.pi * 2 * t_short))  # two swells
    short = envelope * sum(0.3 / k * np.sin(2 * np.pi * 220 * k * t_short) for k in range(1, 6))

    t_long = np.arange(10 * RATE) / RATE
    chirp = 0.4 * np.sin(2 * np.pi * (100 * t_long + 0.5 * 690 * t_long**2))  # 100 Hz -> 7 kHz
    tones = 0.1 * np.sin(2 * np.pi * 1234 * t_long) + 0.05 * np.sin(2 * np.pi * 3456 * t_long)
    long = chirp + tones
    long[4 * RATE : 5 * RATE] = 0.0  # a second of silence inside the kept 8 s
    return {
        name: np.round(np.clip(x, -1, 1) * 32767).astype(np.int16)
        for name, x in (("short", short), ("long", long))
    }


def positions() -> list[tuple[int, int]]:
    """Fixed (mel, frame) positions spread over the 80 x 800 features."""
    return [((i * 7919) % 80, (i * 104729 + i * i) % 800) for i in range(POSITIONS)]


def whisper_window(samples: np.ndarray) -> np.ndarray:
    """The last 8 s as float32, zeros in front (how pipecat's Smart Turn v3 feeds the model)."""
    x = samples.astype(np.float32)[-8 * RATE :] / 32768.0
    return np.pad(x, (8 * RATE - len(x), 0))


def main() -> int:
    from transformers import WhisperFeatureExtractor

    extractor = WhisperFeatureExtractor(chunk_length=8)
    out = {"made_with": f"transformers {__import__('transformers').__version__}"}
    for name, samples in signals().items():
        features = extractor(
            whisper_window(samples),
            sampling_rate=RATE,
            padding="max_length",
            max_length=8 * RATE,
            truncation=True,
            do_normalize=True,
            return_tensors="np",
        ).input_features[0]
        out[name] = {
            "values": [round(float(features[m, f]), 7) for m, f in positions()],
            "mel_means": [round(float(v), 7) for v in features.mean(axis=1)],
            "frame_means": [round(float(v), 7) for v in features.mean(axis=0)],
        }
    json.dump(out, sys.stdout, indent=None)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
