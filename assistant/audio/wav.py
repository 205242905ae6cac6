"""Reading WAV files of any PCM layout into 16 kHz mono int16, and writing int16 WAVs.

The standard `wave` module (before 3.12) rejects WAVE_FORMAT_EXTENSIBLE, which many recorders
write for 24-bit or multichannel audio, so the RIFF chunks are parsed here. The samples are
decoded and resampled (soxr) block by block, so an hour-long memo needs little more memory
than its 16 kHz result.
"""

from __future__ import annotations

import io
import struct
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soxr

from assistant.base.errors import BadInputError

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE
_BLOCK_FRAMES = 1 << 20  # frames decoded at a time (about 20 s at 48 kHz)


@dataclass(frozen=True)
class Audio:
    """Mono int16 samples at a sample rate (Hz)."""

    samples: np.ndarray
    rate_hz: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate_hz


@dataclass(frozen=True)
class _Layout:
    tag: int
    channels: int
    rate_hz: int
    bits: int
    data_offset: int
    data_bytes: int

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.bits // 8


def _bad(path: Path, why: str) -> BadInputError:
    return BadInputError(f"{path} is not a readable WAV file: {why}")


def _layout(stream: BinaryIO, size: int, path: Path) -> _Layout:
    """Walk the RIFF chunks up to the data chunk; nothing of the audio itself is read."""
    head = stream.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise _bad(path, "no RIFF/WAVE header")
    fmt = None
    pos = 12
    while pos + 8 <= size:
        stream.seek(pos)
        cid, length = struct.unpack("<4sI", stream.read(8))
        if cid == b"fmt ":
            body = stream.read(min(length, 64))
            if len(body) < 16:
                raise _bad(path, "fmt chunk too short")
            fmt = struct.unpack_from("<HHIIHH", body)
            if fmt[0] == _EXTENSIBLE and len(body) >= 26:
                fmt = (struct.unpack_from("<H", body, 24)[0], *fmt[1:])
        elif cid == b"data":
            if fmt is None:
                raise _bad(path, "no fmt chunk before the data")
            # A recorder that died never patched the size (0 or too big): read to the end.
            room = size - pos - 8
            data_bytes = length if 0 < length <= room else room
            tag, channels, rate, _, _, bits = fmt
            return _validate(_Layout(tag, channels, rate, bits, pos + 8, data_bytes), path)
        pos += 8 + length + (length & 1)
    raise _bad(path, "no fmt chunk" if fmt is None else "no data chunk")


def _validate(layout: _Layout, path: Path) -> _Layout:
    if layout.tag not in (_PCM, _FLOAT):
        raise _bad(path, f"format {layout.tag:#x} is compressed; save it as PCM")
    bits_ok = layout.bits in ((8, 16, 24, 32) if layout.tag == _PCM else (32, 64))
    if not 1 <= layout.channels <= 64 or not 1000 <= layout.rate_hz <= 384_000 or not bits_ok:
        raise _bad(
            path,
            f"unsupported layout ({layout.channels} channels, {layout.rate_hz} Hz, "
            f"{layout.bits}-bit)",
        )
    if layout.data_bytes < layout.frame_bytes:
        raise _bad(path, "it holds no audio")
    return layout


def _decode(raw: bytes, layout: _Layout) -> np.ndarray:
    """PCM bytes to mono float32 in [-1, 1] (channels averaged)."""
    width = layout.bits // 8
    raw = raw[: len(raw) - len(raw) % layout.frame_bytes]
    if layout.tag == _FLOAT:
        data = np.frombuffer(raw, dtype={4: "<f4", 8: "<f8"}[width]).astype(np.float32)
    elif width == 1:  # 8-bit WAV is unsigned
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
        ints = (b[:, 0].astype(np.int32) | (b[:, 1].astype(np.int32) << 8)) | (
            b[:, 2].astype(np.int8).astype(np.int32) << 16  # the top byte carries the sign
        )
        data = ints.astype(np.float32) / float(1 << 23)
    else:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / float(1 << 31)
    frames = data.reshape(-1, layout.channels)
    return frames.mean(axis=1, dtype=np.float32) if layout.channels > 1 else frames[:, 0]


def _blocks(stream: BinaryIO, layout: _Layout, rate_hz: int) -> Iterator[np.ndarray]:
    """Mono float32 blocks at rate_hz, decoded and resampled as the file is read."""
    resampler = (
        soxr.ResampleStream(layout.rate_hz, rate_hz, 1, dtype="float32", quality="HQ")
        if layout.rate_hz != rate_hz
        else None
    )
    stream.seek(layout.data_offset)
    left = layout.data_bytes
    while left > 0:
        raw = stream.read(min(left, _BLOCK_FRAMES * layout.frame_bytes))
        if not raw:
            break  # shorter than its header said: keep what there is
        left -= len(raw)
        mono = _decode(raw, layout)
        yield resampler.resample_chunk(mono, last=left <= 0) if resampler else mono
    if resampler is not None and left > 0:
        yield resampler.resample_chunk(np.zeros(0, np.float32), last=True)


class WavStream:
    """A WAV file read as it is heard (an hour at 16 kHz is 115 MB held whole): the header is
    checked on opening, so a bad file fails before anything is said; the samples are decoded
    and resampled block by block (_BLOCK_FRAMES) as `read` asks for them."""

    def __init__(self, path: Path | str, rate_hz: int | None = 16_000) -> None:
        self.path = Path(path)
        try:
            self._file = open(self.path, "rb")  # noqa: SIM115 (closed in close() or at the end)
            layout = _layout(self._file, self.path.stat().st_size, self.path)
        except OSError as exc:
            raise _bad(self.path, exc.strerror or str(exc)) from None
        except struct.error:
            raise _bad(self.path, "a chunk header is cut off") from None
        self.rate_hz = rate_hz or layout.rate_hz
        self.duration_s = layout.data_bytes // layout.frame_bytes / layout.rate_hz
        self._blocks = _blocks(self._file, layout, self.rate_hz)
        self._held = np.zeros(0, np.int16)

    def read(self, frames: int) -> np.ndarray:
        """The next `frames` samples (int16); fewer at the end, none after it."""
        while len(self._held) < frames and self._blocks is not None:
            try:
                block = next(self._blocks)
            except StopIteration:
                self.close()
                break
            except OSError as exc:  # the file went away mid-session: what was read counts
                self.close()
                raise _bad(self.path, exc.strerror or str(exc)) from None
            self._held = np.concatenate([self._held, to_int16(block)])
        out, self._held = self._held[:frames], self._held[frames:]
        return out

    def close(self) -> None:
        self._blocks = None
        self._file.close()


class HeldAudio:
    """Audio already in memory, read like a WavStream."""

    def __init__(self, audio: Audio) -> None:
        self.rate_hz = audio.rate_hz
        self.duration_s = audio.duration_s
        self._samples = audio.samples
        self._pos = 0

    def read(self, frames: int) -> np.ndarray:
        out = self._samples[self._pos : self._pos + frames]
        self._pos += len(out)
        return out

    def close(self) -> None:
        pass


def reader(audio: Audio | WavStream | HeldAudio) -> WavStream | HeldAudio:
    return HeldAudio(audio) if isinstance(audio, Audio) else audio


def resample(x: np.ndarray, src_hz: int, dst_hz: int) -> np.ndarray:
    """Band-limited resampling of float samples (soxr, high quality)."""
    if src_hz == dst_hz or len(x) == 0:
        return x
    return soxr.resample(np.asarray(x, dtype=np.float32), src_hz, dst_hz, quality="HQ")


def to_int16(x: np.ndarray) -> np.ndarray:
    # the inverse of the 16-bit decode (/ 32768), so 16-bit audio at 16 kHz passes unchanged
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)


def _read(stream: BinaryIO, size: int, rate_hz: int | None, path: Path) -> Audio:
    layout = _layout(stream, size, path)
    rate_hz = rate_hz or layout.rate_hz
    samples = np.concatenate([to_int16(b) for b in _blocks(stream, layout, rate_hz)])
    return Audio(samples, rate_hz)


def read_wav(path: Path | str, rate_hz: int | None = 16_000) -> Audio:
    """Read a PCM (8/16/24/32-bit) or float WAV of any rate and channel count as mono at rate_hz
    (None keeps the file's rate)."""
    path = Path(path)
    try:
        with open(path, "rb") as stream:
            return _read(stream, path.stat().st_size, rate_hz, path)
    except OSError as exc:
        raise _bad(path, exc.strerror or str(exc)) from None
    except struct.error:
        raise _bad(path, "a chunk header is cut off") from None


def parse_wav(data: bytes, rate_hz: int | None = 16_000, path: Path | str = "<audio>") -> Audio:
    """The same for WAV bytes in memory (what espeak-ng writes to stdout)."""
    try:
        return _read(io.BytesIO(data), len(data), rate_hz, Path(path))
    except struct.error:
        raise _bad(Path(path), "a chunk header is cut off") from None


def write_wav(path: Path | str | BinaryIO, audio: Audio) -> None:
    with wave.open(path if not isinstance(path, (str, Path)) else str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.rate_hz)
        out.writeframes(audio.samples.astype("<i2").tobytes())


def wav_bytes(audio: Audio) -> bytes:
    """A 16-bit mono WAV file's contents, in memory."""
    buffer = io.BytesIO()
    write_wav(buffer, audio)
    return buffer.getvalue()
