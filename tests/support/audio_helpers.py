"""Speech made at test time with espeak-ng from our own sentences, assembled into WAV files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from assistant.audio.wav import Audio, parse_wav, write_wav

RATE = 16_000


def speak(text: str, wpm: int = 150, voice: str = "en-us") -> np.ndarray:
    """espeak-ng speech for `text` as 16 kHz mono int16 (the program's own leading and trailing
    silence trimmed, so the gaps we add are the gaps the listener hears)."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(wpm), "--stdout", text],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    samples = parse_wav(wav, RATE).samples
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def conversation(parts: list[str | float]) -> np.ndarray:
    """Text items are spoken, numbers are seconds of silence."""
    chunks = [silence(p) if isinstance(p, (int, float)) else speak(p) for p in parts]
    return np.concatenate(chunks)


def write(path: Path, samples: np.ndarray) -> Path:
    write_wav(path, Audio(samples, RATE))
    return path
