"""The last few seconds of a stream of samples, in a fixed buffer (nothing grows with time)."""

from __future__ import annotations

import numpy as np


class RecentAudio:
    def __init__(self, capacity: int) -> None:
        self._buffer = np.zeros(capacity, dtype=np.int16)
        self._written = 0  # samples written in all

    def write(self, samples: np.ndarray) -> None:
        n, size = len(samples), len(self._buffer)
        if n >= size:
            self._buffer[:] = samples[-size:]
            self._written = (self._written + n) // size * size + size  # aligned: end at 0
            return
        at = self._written % size
        first = min(n, size - at)
        self._buffer[at : at + first] = samples[:first]
        self._buffer[: n - first] = samples[first:]
        self._written += n

    def last(self, count: int | None = None) -> np.ndarray:
        """The last `count` samples (all kept, when None), oldest first; fewer at the start."""
        size = len(self._buffer)
        count = min(size if count is None else count, size, self._written)
        if count <= 0:
            return np.zeros(0, dtype=np.int16)
        end = self._written % size
        if count <= end:
            return self._buffer[end - count : end].copy()
        return np.concatenate((self._buffer[size - (count - end) :], self._buffer[:end]))
