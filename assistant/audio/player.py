"""The player: what the assistant says, as segments placed on the one audio clock.

The transport pulls it in short chunks (the microphone's block, 50 ms), so output and input share
one timeline in samples: the chunk pulled for input frame n is what played over that frame's span.
Stopping mid-prompt is one call. What was played, and where, is kept as the echo reference's
outline and as the proof for latency figures.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.audio.wav import Audio, resample, to_int16

#: How long a segment stays in the log after it has played (s): the echo gate, which scans the
#: log on every frame, looks back a few seconds at most; an hour's prompts need not stay.
LOG_KEEP_S = 60.0


@dataclass(frozen=True)
class Played:
    """One segment as it went out: clock samples [start, end); `cut` when stopped early."""

    start: int
    end: int
    cut: bool = False


class Player:
    def __init__(self, rate_hz: int = 16_000) -> None:
        self.rate_hz = rate_hz
        self._lock = threading.Lock()
        self._segments: list[tuple[int, np.ndarray]] = []  # (start, samples), sorted by start
        self._now = 0  # the clock: the sample the next pull begins at
        self.log: list[Played] = []  # every segment, as scheduled or as cut (the last minute)
        self._log_keep = int(LOG_KEEP_S * rate_hz)
        #: Called after stop(): a transport drops output it has pulled but not played yet.
        self.on_stop: Callable[[], None] = lambda: None

    @property
    def now(self) -> int:
        return self._now

    def _samples(self, audio: Audio) -> np.ndarray:
        if audio.rate_hz == self.rate_hz:
            return audio.samples
        return to_int16(resample(audio.samples / 32768.0, audio.rate_hz, self.rate_hz))

    def play(self, audio: Audio, gap: int = 0) -> int:
        """Queue after whatever is queued (or now), at least `gap` samples after the end of the
        last segment played; returns the clock sample it starts at."""
        with self._lock:
            last = max((p.end for p in self.log), default=-gap)
            start = max(self._now, self._end(), last + gap)
            self._add(start, self._samples(audio))
            return start

    def schedule(self, at: int, audio: Audio) -> int:
        """Place audio at a planned clock sample (timed steps); a time already past plays now,
        so a cue may start late but never shifts the ones after it."""
        with self._lock:
            start = max(at, self._now)
            self._add(start, self._samples(audio))
            return start

    def _add(self, start: int, samples: np.ndarray) -> None:
        if len(samples) == 0:
            return
        self._segments.append((start, samples))
        self._segments.sort(key=lambda seg: seg[0])
        self.log.append(Played(start, start + len(samples)))

    def _end(self) -> int:
        return max((s + len(x) for s, x in self._segments), default=0)

    @property
    def busy(self) -> bool:
        """Something is playing or still to play."""
        with self._lock:
            return bool(self._segments)

    @property
    def end(self) -> int:
        """The clock sample where the last queued audio ends (or now)."""
        with self._lock:
            return max(self._end(), self._now)

    def stop(self) -> int:
        """Cut everything queued; returns the clock sample of the cut."""
        with self._lock:
            at = self._now
            # What had not begun never played: kept, a cue placed 30 s ahead would push what is
            # said next (the reply to "stop") 30 s late.
            self.log = [p for p in self.log if p.start < at or p.cut]
            for i, played in enumerate(self.log):
                if played.end > at and not played.cut:
                    self.log[i] = Played(played.start, at, cut=True)
            self._segments.clear()
        self.on_stop()
        return at

    def drop_from(self, at: int) -> None:
        """Take back what is placed to start at or after clock sample `at` (a replanned exercise);
        what has started plays on."""
        with self._lock:
            self._segments = [(s, x) for s, x in self._segments if s < at or s < self._now]
            self.log = [p for p in self.log if p.start < at or p.start < self._now]

    def pull(self, frames: int) -> np.ndarray:
        """The next `frames` samples of output (silence where nothing plays); advances the clock.
        Called by the transport, on the audio thread for a live device."""
        out = np.zeros(frames, np.int16)
        with self._lock:
            t0, t1 = self._now, self._now + frames
            keep = []
            for start, samples in self._segments:
                end = start + len(samples)
                if start < t1 and end > t0:
                    a, b = max(start, t0), min(end, t1)
                    out[a - t0 : b - t0] = samples[a - start : b - start]
                if end > t1:
                    keep.append((start, samples))
            self._segments = keep
            self._now = t1
            horizon = t1 - self._log_keep
            if self.log and self.log[0].end < horizon:
                self.log = [p for p in self.log if p.end >= horizon]
        return out

    def spans(self, since: int = 0) -> list[Played]:
        with self._lock:
            return [p for p in self.log if p.end > since]
