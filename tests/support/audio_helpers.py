"""Speech made at test time with espeak-ng from our own sentences, assembled into WAV files."""

from __future__ import annotations

import struct
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


def speak_as(text: str, name: str, wpm: int = 150) -> np.ndarray:
    """`text` said by the assistant's voice `name` (speech/voices.py's table: "joe" is the neural
    one) at `wpm`, as 16 kHz mono int16, its leading and trailing quiet trimmed as in speak()."""
    from assistant.audio.wav import resample, to_int16
    from assistant.speech.voices import render_with

    audio = render_with(text, name, wpm)
    samples = to_int16(resample(audio.samples / 32768.0, audio.rate_hz, RATE))
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples


def sound_spans(samples: np.ndarray, gap_s: float = 0.5) -> list[tuple[float, float]]:
    """Stretches of sound (start, end) in seconds, 10 ms blocks, gaps under gap_s joined."""
    block = RATE // 100
    loud = np.abs(samples[: len(samples) // block * block].reshape(-1, block)).max(axis=1) > 300
    out: list[list[float]] = []
    for i in np.flatnonzero(loud):
        t = i / 100
        if out and t - out[-1][1] <= gap_s:
            out[-1][1] = t + 0.01
        else:
            out.append([t, t + 0.01])
    return [(a, b) for a, b in out]


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def conversation(parts: list[str | float]) -> np.ndarray:
    """Text items are spoken, numbers are seconds of silence."""
    chunks = [silence(p) if isinstance(p, (int, float)) else speak(p) for p in parts]
    return np.concatenate(chunks)


def write(path: Path, samples: np.ndarray) -> Path:
    write_wav(path, Audio(samples, RATE))
    return path


def tone(rate: int, seconds: float = 1.0, hz: float = 440.0) -> np.ndarray:
    """A sine at half of full scale, as floats."""
    t = np.arange(int(rate * seconds)) / rate
    return 0.5 * np.sin(2 * np.pi * hz * t)


def wav_bytes(
    x: np.ndarray, rate: int, bits: int, channels: int = 1, tag: int = 1, extensible: bool = False
) -> bytes:
    """A WAV file of `x` (floats) in any PCM layout: 8, 16, 24 or 32 bits, integer or float
    (`tag` 3), WAVE_FORMAT_EXTENSIBLE, with an extra chunk the reader must skip."""
    x = np.repeat(x[:, None], channels, axis=1)
    if tag == 3:
        pcm = x.astype("<f4").tobytes()
    elif bits == 8:
        pcm = np.round(x * 127 + 128).astype(np.uint8).tobytes()
    elif bits == 16:
        pcm = np.round(x * 32767).astype("<i2").tobytes()
    elif bits == 24:
        ints = np.round(x * (2**23 - 1)).astype("<i4").reshape(-1)
        pcm = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints)
    else:
        pcm = np.round(x * (2**31 - 1)).astype("<i4").tobytes()
    align = channels * bits // 8
    if extensible:
        fmt = struct.pack(
            "<HHIIHHHHIH14s",
            0xFFFE,
            channels,
            rate,
            rate * align,
            align,
            bits,
            22,
            bits,
            0,
            tag,
            b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x008\x9bq",
        )
    else:
        fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"LIST" + struct.pack("<I", 4) + b"INFO"  # an extra chunk to skip
    chunks += b"data" + struct.pack("<I", len(pcm)) + pcm
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks
