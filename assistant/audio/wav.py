"""Reading WAV files of any PCM layout into 16 kHz mono int16, and writing int16 WAVs.

The standard `wave` module (before 3.12) rejects WAVE_FORMAT_EXTENSIBLE, which many recorders
write for 24-bit or multichannel audio, so the RIFF chunks are parsed here.
"""

from __future__ import annotations

import struct
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import BadInputError

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE


@dataclass(frozen=True)
class Audio:
    """Mono int16 samples at a sample rate (Hz)."""

    samples: np.ndarray
    rate_hz: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate_hz


def _bad(path: Path, why: str) -> BadInputError:
    return BadInputError(f"{path} is not a readable WAV file: {why}")


def _decode(raw: bytes, bits: int, fmt: int, channels: int) -> np.ndarray:
    """PCM bytes to float32 in [-1, 1], shape (frames, channels)."""
    width = bits // 8
    usable = len(raw) - len(raw) % (width * channels)
    raw = raw[:usable]
    if fmt == _FLOAT:
        dtype = {4: "<f4", 8: "<f8"}[width]
        data = np.frombuffer(raw, dtype=dtype).astype(np.float32)
    elif width == 1:  # 8-bit WAV is unsigned
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        data = ints.astype(np.float32) / float(1 << 23)
    else:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / float(1 << 31)
    return data.reshape(-1, channels)


def resample(x: np.ndarray, src_hz: int, dst_hz: int) -> np.ndarray:
    """Band-limited resampling with a Hann-windowed sinc kernel (float in, float out)."""
    if src_hz == dst_hz or len(x) == 0:
        return x
    step = src_hz / dst_hz  # input samples per output sample
    cutoff = min(1.0, dst_hz / src_hz) * 0.95  # fraction of the input Nyquist kept
    half = int(np.ceil(16 / cutoff))  # kernel half-width in input samples
    n_out = int(len(x) * dst_hz // src_hz)
    padded = np.concatenate([np.zeros(half, x.dtype), x, np.zeros(half + 1, x.dtype)])
    taps = np.arange(-half + 1, half + 1)
    out = np.empty(n_out, dtype=np.float32)
    block = max(256, 2**21 // half)  # bounds the (block x taps) work arrays to ~32 MB
    for start in range(0, n_out, block):
        t = np.arange(start, min(start + block, n_out)) * step
        base = np.floor(t).astype(np.int64)
        dist = (t - base)[:, None] - taps[None, :]
        kernel = cutoff * np.sinc(cutoff * dist) * (0.5 + 0.5 * np.cos(np.pi * dist / half))
        out[start : start + len(t)] = np.sum(
            padded[base[:, None] + taps[None, :] + half] * kernel, 1
        )
    return out


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)


def read_wav(path: Path | str, rate_hz: int | None = 16_000) -> Audio:
    """Read a PCM (8/16/24/32-bit) or float WAV of any rate and channel count as mono at rate_hz
    (None keeps the file's rate)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from None
    return parse_wav(data, rate_hz, path)


def parse_wav(data: bytes, rate_hz: int | None = 16_000, path: Path | str = "<audio>") -> Audio:
    path = Path(path)
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise _bad(path, "no RIFF/WAVE header")
    fmt = None
    pcm = None
    pos = 12
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt " and len(body) >= 16:
            fmt = struct.unpack_from("<HHIIHH", body)
            if fmt[0] == _EXTENSIBLE and len(body) >= 26:
                fmt = (struct.unpack_from("<H", body, 24)[0], *fmt[1:])
        elif cid == b"data":
            # A recorder that died never patched the size (0 or too big): read to the end.
            pcm = body if 0 < size <= len(data) - pos - 8 else data[pos + 8 :]
            break
        pos += 8 + size + (size & 1)
    if fmt is None:
        raise _bad(path, "no fmt chunk")
    if pcm is None:
        raise _bad(path, "no data chunk")
    tag, channels, rate, _, _, bits = fmt
    if tag not in (_PCM, _FLOAT):
        raise _bad(path, f"format {tag:#x} is compressed; save it as PCM")
    if (
        not 1 <= channels <= 64
        or not 1000 <= rate <= 384_000
        or bits not in ((8, 16, 24, 32) if tag == _PCM else (32, 64))
    ):
        raise _bad(path, f"unsupported layout ({channels} channels, {rate} Hz, {bits}-bit)")
    if len(pcm) < channels * bits // 8:
        raise _bad(path, "it holds no audio")
    frames = _decode(pcm, bits, tag, channels)
    mono = frames.mean(axis=1) if channels > 1 else frames[:, 0]
    rate_hz = rate_hz or rate
    return Audio(to_int16(resample(mono, rate, rate_hz)), rate_hz)


def write_wav(path: Path | str, audio: Audio) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.rate_hz)
        out.writeframes(audio.samples.astype("<i2").tobytes())
