"""Timed audio heard through: cues placed at planned samples from a start (breathing), and waits
until a planned time (a break), while listening. One small protocol, three stages, which the
Voice picks for how it is wired:

- ClockStage, full duplex: the cues go onto the player's clock, and the listener hears every
  frame meanwhile, so "stop" cuts the exercise at once and nothing drifts (a WAV replays it fast).
- SinkStage, half duplex to a WAV or a speaker: the timeline is written whole, with silence
  between the cues, and nothing is heard meanwhile.
- TypedStage, printed only: it waits on the real clock (the exercise takes its time) and reads
  typed lines meanwhile.

Times are samples at RATE_HZ from the stage's start.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from assistant.audio.player import Player
from assistant.audio.wav import Audio
from assistant.events import EndOfInput, Heard

RATE_HZ = 16_000
#: A typed stage looks at the clock at least this often (for a terminal bar to move).
TYPED_TICK_S = 0.1

Tick = Callable[[int], None]


class Stage(Protocol):
    rate_hz: int

    def now(self) -> int:
        """Samples since the stage began."""

    def place(self, at: int, samples: np.ndarray) -> None:
        """Audio (int16 at rate_hz) to start at sample `at`."""

    def unplace_from(self, at: int) -> None:
        """Take back what is placed to start at or after `at` (a replanned exercise)."""

    def attend(self, until: int, tick: Tick) -> Heard | None:
        """Play and listen until sample `until`, calling `tick(now)` as time passes. Returns what
        was heard first (then call again to go on), or None at `until`."""

    def stop(self) -> None:
        """Cut what is playing and what is placed, now."""


class AttendingEars(Protocol):
    def attend(self, pump: Callable[[bool], bool]) -> Heard | None: ...


class ClockStage:
    def __init__(self, player: Player, ears: AttendingEars) -> None:
        self._player, self._ears = player, ears
        self.rate_hz = player.rate_hz
        self._t0 = player.end  # after whatever was said before

    def now(self) -> int:
        return self._player.now - self._t0

    def place(self, at: int, samples: np.ndarray) -> None:
        self._player.schedule(self._t0 + at, Audio(samples, RATE_HZ))

    def unplace_from(self, at: int) -> None:
        self._player.drop_from(self._t0 + at)

    def attend(self, until: int, tick: Tick) -> Heard | None:
        def pump(wait: bool) -> bool:
            now = self.now()
            tick(min(now, until))
            return now < until

        return self._ears.attend(pump)

    def stop(self) -> None:
        self._player.stop()


class SinkStage:
    """Half duplex: what is placed is played whole, as one signal, when attended to."""

    def __init__(self, play: Callable[[Audio], None]) -> None:
        self._play = play
        self.rate_hz = RATE_HZ
        self._cues: list[tuple[int, np.ndarray]] = []
        self._now = 0

    def now(self) -> int:
        return self._now

    def place(self, at: int, samples: np.ndarray) -> None:
        self._cues.append((at, samples))

    def unplace_from(self, at: int) -> None:
        self._cues = [(s, x) for s, x in self._cues if s < at]

    def attend(self, until: int, tick: Tick) -> Heard | None:
        if until > self._now:
            out = np.zeros(until - self._now, np.int16)
            for start, samples in self._cues:
                a, b = max(start, self._now), min(start + len(samples), until)
                if a < b:
                    out[a - self._now : b - self._now] = samples[a - start : b - start]
            self._play(Audio(out, RATE_HZ))
            self._now = until
        tick(self._now)
        return None

    def stop(self) -> None:
        self._cues.clear()


class TypedEars(Protocol):
    def poll(self, timeout_s: float) -> Heard | None: ...


class TypedStage:
    """Printed only: the real clock, with typed lines read while waiting. When the input has
    ended the exercise goes on, unheard (closing stdin is no request to stop breathing)."""

    def __init__(
        self,
        ears: TypedEars | None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._ears, self._clock, self._sleep = ears, clock, sleep
        self.rate_hz = RATE_HZ
        self._t0 = clock()
        self._onsets: list[int] = []

    def now(self) -> int:
        return round((self._clock() - self._t0) * self.rate_hz)

    def place(self, at: int, samples: np.ndarray) -> None:
        self._onsets.append(at)

    def unplace_from(self, at: int) -> None:
        self._onsets = [s for s in self._onsets if s < at]

    def attend(self, until: int, tick: Tick) -> Heard | None:
        while (now := self.now()) < until:
            tick(now)
            due = min([s for s in self._onsets if s > now] + [until])
            wait_s = min(TYPED_TICK_S, (due - now) / self.rate_hz)
            if self._ears is None:
                self._sleep(wait_s)
                continue
            heard = self._ears.poll(wait_s)
            if isinstance(heard, EndOfInput):
                self._ears = None
            elif heard is not None:
                return heard
        tick(until)
        return None

    def stop(self) -> None:
        self._onsets.clear()
