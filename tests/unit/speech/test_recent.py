"""speech/recent.py: the last few seconds of a stream in a fixed ring buffer, checked against a
plain list of everything written (real speech is not needed: the buffer only moves samples)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.speech.recent import RecentAudio


def ramp(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.int16)


def test_empty_buffer_returns_nothing():
    recent = RecentAudio(8)
    assert recent.last().dtype == np.int16
    assert len(recent.last()) == 0 and len(recent.last(3)) == 0


def test_fewer_than_asked_at_the_start():
    recent = RecentAudio(8)
    recent.write(ramp(0, 3))
    assert recent.last().tolist() == [0, 1, 2]
    assert recent.last(10).tolist() == [0, 1, 2]
    assert recent.last(2).tolist() == [1, 2]
    assert recent.last(0).tolist() == []


def test_wraps_around_keeping_the_newest_oldest_first():
    recent = RecentAudio(8)
    recent.write(ramp(0, 6))
    recent.write(ramp(6, 5))  # crosses the end of the buffer
    assert recent.last().tolist() == list(range(3, 11))
    assert recent.last(4).tolist() == [7, 8, 9, 10]
    assert recent.last(6).tolist() == [5, 6, 7, 8, 9, 10]  # spans the wrap


def test_a_write_longer_than_the_buffer_keeps_its_tail():
    recent = RecentAudio(8)
    recent.write(ramp(0, 3))
    recent.write(ramp(100, 20))
    assert recent.last().tolist() == list(range(112, 120))
    recent.write(ramp(200, 2))  # and goes on correctly after it
    assert recent.last().tolist() == [*range(114, 120), 200, 201]


def test_returned_samples_are_a_copy():
    recent = RecentAudio(8)
    recent.write(ramp(0, 4))
    out = recent.last()
    out[:] = 0
    assert recent.last().tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("seed", range(5))
def test_matches_the_tail_of_everything_written(seed):
    rng = np.random.default_rng(seed)
    recent, everything = RecentAudio(50), []
    for _ in range(40):
        chunk = rng.integers(-32768, 32767, int(rng.integers(0, 80)), dtype=np.int16)
        recent.write(chunk)
        everything.extend(chunk.tolist())
        count = int(rng.integers(0, 60))
        expected = everything[-min(count, 50) :] if count else []
        assert recent.last(count).tolist() == expected
        assert recent.last().tolist() == everything[-50:]
