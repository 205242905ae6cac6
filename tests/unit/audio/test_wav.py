"""WAV input of any PCM layout becomes 16 kHz mono int16; anything else is one clear error."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.wav import read_wav
from assistant.base.errors import BadInputError

from audio_helpers import tone, wav_bytes


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(float)))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


@pytest.mark.parametrize(
    ("rate", "bits", "channels", "tag", "extensible"),
    [
        (16000, 16, 1, 1, False),
        (44100, 16, 2, 1, False),
        (48000, 24, 2, 1, True),
        (8000, 8, 1, 1, False),
        (22050, 32, 1, 1, False),
        (32000, 32, 1, 3, False),
    ],
)
def test_any_pcm_layout_becomes_16k_mono(tmp_path: Path, rate, bits, channels, tag, extensible):
    path = tmp_path / "in.wav"
    path.write_bytes(wav_bytes(tone(rate), rate, bits, channels, tag, extensible))
    audio = read_wav(path)
    assert audio.rate_hz == 16000
    assert audio.samples.dtype == np.int16
    assert abs(len(audio.samples) - 16000) <= 1  # one second, whatever the source rate
    assert abs(dominant_hz(audio.samples, 16000) - 440) < 3
    peak = np.abs(audio.samples).max() / 32768
    assert 0.45 < peak < 0.56  # level kept (0.5 full scale); channels averaged, not summed


def test_downsampling_removes_what_16k_cannot_carry(tmp_path: Path):
    # A 10 kHz tone is above 16 kHz audio's 8 kHz limit: it must not fold back as a 6 kHz alias.
    path = tmp_path / "high.wav"
    path.write_bytes(wav_bytes(tone(44100, hz=10_000), 44100, 16))
    out = read_wav(path).samples[800:-800]  # away from the clicks where the tone starts and stops
    assert np.abs(out).max() < 0.02 * 32768


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "no RIFF/WAVE header"),
        (b"ID3\x03\x00 this is an mp3", "no RIFF/WAVE header"),
        (b"RIFF\x10\x00\x00\x00WAVEjunk\x00\x00\x00\x00", "no fmt chunk"),
        (wav_bytes(tone(8000), 8000, 16)[:36], "no data chunk"),
        (wav_bytes(tone(8000), 8000, 16, tag=2), "compressed"),
    ],
)
def test_unreadable_files_are_one_clear_error(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(BadInputError) as err:
        read_wav(path)
    assert str(path) in str(err.value) and reason in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path: Path):
    with pytest.raises(BadInputError, match="No such file"):
        read_wav(tmp_path / "nope.wav")


def test_a_wav_whose_size_was_never_patched_is_read_to_the_end(tmp_path: Path):
    raw = bytearray(wav_bytes(tone(16000), 16000, 16))
    data_at = raw.index(b"data")
    raw[data_at + 4 : data_at + 8] = struct.pack("<I", 0)  # as a recorder that crashed leaves it
    path = tmp_path / "unpatched.wav"
    path.write_bytes(bytes(raw))
    assert len(read_wav(path).samples) == 16000


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (wav_bytes(np.zeros(0), 16000, 16), "it holds no audio"),
        (
            wav_bytes(tone(8000), 8000, 16).replace(
                struct.pack("<I", 8000), struct.pack("<I", 4_000_000_000), 1
            ),
            "unsupported layout",
        ),
    ],
)
def test_empty_or_absurd_files_are_refused(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "odd.wav"
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=reason):
        read_wav(path)
