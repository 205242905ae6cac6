"""When the command recogniser hears the audio: only stretches that could be a command.

The grammar recogniser runs the acoustic model again on every sample it is fed, which made the
loop cost 1.3-1.4x a plain Vosk loop. A command is short and said after a pause, so the grammar is
fed an utterance that starts after a pause (with a short pre-roll, so its first phoneme is kept),
until the utterance runs longer than any command or the recogniser closes it; then nothing until
the next pause. `always` (set while the assistant speaks and while paused) feeds everything.

Vosk's word times count the samples fed, so results are moved back onto the listener's clock.
"""

from __future__ import annotations

import json
from collections import deque
from enum import Enum

import numpy as np

BLOCK = 320  #: 20 ms at 16 kHz: the unit of the voice test
PREROLL_S = 0.4  #: audio before the first voiced block that the grammar hears with it
PAUSE_S = 0.5  #: this much quiet ends an utterance (Vosk's own shortest endpoint silence)
MAX_COMMAND_S = 2.0  #: no command phrase takes longer, from first to last voiced block
TAIL_S = 1.5  #: fed after the last voiced block for the recogniser to close the utterance
MIN_VOICED_RMS = 150.0  #: quieter than this is never speech (int16 RMS)
FLOOR_RATIO = 2.0  #: voiced means this much louder than the noise floor (RMS)


class _State(Enum):
    QUIET = "quiet"  # after a pause: waiting for speech, buffering the pre-roll
    OPEN = "open"  # feeding an utterance that may be a command
    LONG = "long"  # the utterance outgrew every command: not feeding until a pause


class CommandWindow:
    """Owns the grammar recogniser; `hear` takes every frame and feeds the ones that matter.
    The recogniser may come later (`attach`, once the model has loaded); until then nothing is
    in progress."""

    def __init__(self, recognizer, rate_hz: int) -> None:
        self._rec = recognizer
        self._rate = rate_hz
        self.always = False
        self._state = _State.QUIET
        self._preroll: deque[tuple[int, np.ndarray]] = deque()
        self._preroll_max = int(PREROLL_S * rate_hz)
        self._fed = 0  # samples fed to the recogniser (its clock)
        self._stretches: deque[tuple[int, int]] = deque(maxlen=64)  # (fed at, clock at) starts
        self._next_clock: int | None = None  # clock sample the next fed sample continues from
        self._floor: float | None = None
        self._first_voiced = 0
        self._last_voiced: int | None = None
        self.fed_samples = 0  # for the benchmark: how much of the input the grammar heard

    # -- the voice test ------------------------------------------------------------------------
    def _voiced_at(self, start: int, samples: np.ndarray) -> int | None:
        """The clock sample of the last voiced block in this frame, None if it is all quiet.
        The noise floor follows quiet stretches quickly and loud ones slowly."""
        x = samples.astype(np.float64)
        last = None
        for i in range(0, len(x), BLOCK):
            rms = float(np.sqrt(np.mean(x[i : i + BLOCK] ** 2)))
            if self._floor is None or rms < self._floor:
                self._floor = rms
            else:
                self._floor += (rms - self._floor) * 0.002
            if rms >= max(MIN_VOICED_RMS, FLOOR_RATIO * self._floor):
                gap = start + i - (self._last_voiced if self._last_voiced is not None else -1e9)
                if gap > PAUSE_S * self._rate:
                    self._first_voiced = start + i  # an utterance after a pause
                last = self._last_voiced = start + i
        return last

    # -- feeding -------------------------------------------------------------------------------
    def _accept(self, start: int, samples: np.ndarray) -> dict | None:
        if self._next_clock != start:
            self._stretches.append((self._fed, start))
        self._next_clock = start + len(samples)
        self._fed += len(samples)
        self.fed_samples += len(samples)
        if self._rec.AcceptWaveform(samples.tobytes()):
            return self._on_clock(json.loads(self._rec.Result()))
        return None

    def hear(self, start: int, samples: np.ndarray) -> dict | None:
        """One frame at clock sample `start`; the grammar's closed result, if any, on the clock."""
        voiced = self._voiced_at(start, samples)
        end = start + len(samples)
        quiet_s = (end - self._last_voiced) / self._rate if self._last_voiced is not None else 1e9
        if self._state is _State.LONG and quiet_s >= PAUSE_S:
            self._state = _State.QUIET
        if self._state is _State.QUIET and voiced is not None:
            self._state = _State.OPEN
        if self._state is _State.OPEN and (self._last_voiced or 0) - self._first_voiced > (
            MAX_COMMAND_S * self._rate
        ):
            self._state = _State.LONG
            if not self.always:
                self._rec.FinalResult()  # too long for a command: what it holds is dropped
        feed = self.always or self._state is _State.OPEN
        if not feed:
            self._preroll.append((start, samples))
            while sum(len(s) for _, s in self._preroll) - len(self._preroll[0][1]) >= (
                self._preroll_max
            ):
                self._preroll.popleft()
            return None
        result = None
        while self._preroll:
            result = self._accept(*self._preroll.popleft()) or result
        result = self._accept(start, samples) or result
        if self._state is _State.OPEN and not self.always:
            if result is not None and quiet_s >= PAUSE_S:
                self._state = _State.QUIET
            elif result is None and quiet_s >= TAIL_S:
                self._state = _State.QUIET  # the recogniser has not closed it: close it here
                result = self.final()
        return result

    def attach(self, recognizer) -> None:
        self._rec = recognizer

    def partial(self) -> str:
        if self._rec is None:
            return ""
        return json.loads(self._rec.PartialResult()).get("partial", "")

    def final(self) -> dict:
        """Close the utterance in progress (the end of the input, or a barge-in taken early)."""
        return self._on_clock(json.loads(self._rec.FinalResult()))

    def _on_clock(self, result: dict) -> dict:
        """Word times moved from the recogniser's count of fed samples to the listener's clock."""
        for word in result.get("result", []):
            for key in ("start", "end"):
                fed = word[key] * self._rate
                at, clock = next(
                    ((a, c) for a, c in reversed(self._stretches) if a <= fed + 1),
                    (0, 0),
                )
                word[key] = (clock + fed - at) / self._rate
        return result
