"""An --audio-in file is read as it is heard, not held: the same samples as reading it whole, bad
files refused on opening, little memory however long it is; the player's log stays short."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.player import LOG_KEEP_S, Player
from assistant.audio.wav import Audio, WavStream, read_wav
from assistant.base.errors import BadInputError

from audio_helpers import tone, wav_bytes


def drain(stream: WavStream, frames: int) -> list[np.ndarray]:
    chunks = []
    while len(chunk := stream.read(frames)):
        assert len(chunk) == frames or not len(stream.read(frames))  # short only at the end
        chunks.append(chunk)
    return chunks


@pytest.mark.parametrize(("rate", "bits", "channels"), [(16_000, 16, 1), (44_100, 24, 2)])
def test_the_stream_holds_the_same_samples_as_reading_whole(tmp_path: Path, rate, bits, channels):
    path = tmp_path / "a.wav"
    path.write_bytes(wav_bytes(tone(rate, 3.0), rate, bits, channels))
    stream = WavStream(path)
    assert stream.rate_hz == 16_000 and stream.duration_s == pytest.approx(3.0)
    streamed = np.concatenate(drain(stream, 4000))
    assert np.array_equal(streamed, read_wav(path).samples)


def test_a_bad_file_is_refused_on_opening(tmp_path: Path):
    path = tmp_path / "a.wav"
    path.write_bytes(b"ID3\x04 an mp3 renamed to .wav")
    with pytest.raises(BadInputError, match="no RIFF/WAVE header"):
        WavStream(path)
    with pytest.raises(BadInputError, match="No such file"):
        WavStream(tmp_path / "none.wav")


def test_a_long_file_is_read_in_little_memory(tmp_path: Path):
    # 10 minutes at 48 kHz: 58 MB on disk, 19 MB at 16 kHz; read in 4000-sample chunks
    path = tmp_path / "long.wav"
    minute = wav_bytes(tone(48_000, 60.0), 48_000, 16)
    at = minute.index(b"data") + 8
    data = minute[at:] * 10
    head = minute[: at - 4] + len(data).to_bytes(4, "little")
    path.write_bytes(b"RIFF" + (len(head) - 8 + len(data)).to_bytes(4, "little") + head[8:] + data)
    tracemalloc.start()
    try:
        stream = WavStream(path)
        total = 0
        while len(chunk := stream.read(4000)):
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 600 * 16_000
    # a block's decoding (about 20 s at 48 kHz: 15 MB measured), never the 19 MB result held
    assert peak < 18e6


def test_the_players_log_keeps_only_the_last_minute():
    player = Player(16_000)
    beep = Audio(np.full(1600, 1000, np.int16), 16_000)
    for _ in range(200):  # a prompt every 10 s for 2000 s
        player.play(beep)
        for _ in range(250):
            player.pull(640)
    assert len(player.log) <= LOG_KEEP_S / 10 + 1
    assert player.spans()[-1].end > player.now - 10 * 16_000  # the latest is there
