"""A breathing exercise planned as absolute times on the audio clock (samples at 16 kHz from its
start), and its cues placed at those times.

Every phase onset comes from the pattern alone: round k, phase j starts at
anchor + (k - anchor_round) * round + (phases before j), times the tempo, rounded once. Nothing
is ever added up from cue lengths or from when the last cue finished, so nothing drifts, and a
cue that is too long is cut short rather than pushing the next one late. "Slower" and "faster"
take effect from the next round: the rest is replanned from that round's planned start.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

import numpy as np

from assistant.breathe.patterns import Breath, Pattern, Phase

RATE_HZ = 16_000
#: Quiet kept before the next onset when a cue has to be cut short.
CUE_GAP_S = 0.25
CUT_FADE_S = 0.05


@dataclass(frozen=True)
class TempoLimits:
    """Phase lengths are multiplied by the tempo: above 1 is slower."""

    step: Fraction = Fraction(1, 10)
    fastest: Fraction = Fraction(4, 5)
    slowest: Fraction = Fraction(7, 5)


class Adjusted(Enum):
    CHANGED = "changed"  # from the next round on
    AT_LIMIT = "at the limit"  # already as slow (or fast) as allowed
    TOO_LATE = "too late"  # no round left to change
    UNCHANGED = "unchanged"  # the words were already spoken


@dataclass(frozen=True)
class Step:
    start_sample: int
    end_sample: int  # the next phase's onset
    round_index: int  # from 0
    phase_index: int
    phase: Phase
    spoken: bool  # the cue words; False: a soft tone instead
    tempo: Fraction

    @property
    def duration_samples(self) -> int:
        return self.end_sample - self.start_sample


def to_samples(seconds: Fraction, rate_hz: int = RATE_HZ) -> int:
    """Rounded half up, exactly (no binary float on the way)."""
    return math.floor(seconds * rate_hz + Fraction(1, 2))


@dataclass(frozen=True)
class _Segment:
    """Rounds from `first_round` on, at `tempo`, the first starting at `start_sample`."""

    first_round: int
    start_sample: int
    tempo: Fraction


class Schedule:
    """The plan of one exercise. `steps` is the whole plan as it stands; adjustments replan the
    rounds that have not started."""

    def __init__(
        self,
        pattern: Pattern,
        *,
        rounds: int | None = None,
        minutes: float | None = None,
        limits: TempoLimits = TempoLimits(),
        rate_hz: int = RATE_HZ,
    ) -> None:
        self.pattern = pattern
        self.limits = limits
        self.rate_hz = rate_hz
        if rounds is None and minutes is None:
            rounds, minutes = pattern.rounds, pattern.minutes
        self._fixed_rounds = rounds if minutes is None else None
        #: With minutes the end is fixed: a slower tempo fits fewer rounds into the same time.
        self._end_target = (
            None if minutes is None else to_samples(Fraction(str(minutes)) * 60, rate_hz)
        )
        self._segments = [_Segment(0, 0, Fraction(1))]
        self._words_from_step: int | None = None
        self._offsets = [Fraction(0)]
        for phase in pattern.phases:
            self._offsets.append(self._offsets[-1] + phase.duration_s)
        self._rounds = self._count_rounds()
        self.steps = self._plan()

    @property
    def tempo(self) -> Fraction:
        return self._segments[-1].tempo

    @property
    def rounds(self) -> int:
        return self._rounds

    @property
    def end_sample(self) -> int:
        return self.steps[-1].end_sample

    def onset(self, round_index: int, phase_index: int) -> int:
        """The planned start of a phase; phase_index len(phases) is the end of the round."""
        seg = next(s for s in reversed(self._segments) if s.first_round <= round_index)
        rounds_in = round_index - seg.first_round
        seconds = rounds_in * self.pattern.round_s + self._offsets[phase_index]
        return seg.start_sample + to_samples(seconds * seg.tempo, self.rate_hz)

    def _count_rounds(self) -> int:
        if self._end_target is None:
            return self._fixed_rounds or 1
        seg = self._segments[-1]
        round_samples = self.pattern.round_s * seg.tempo * self.rate_hz
        left = Fraction(self._end_target - seg.start_sample) / round_samples
        return seg.first_round + max(1, math.floor(left + Fraction(1, 2)))

    def _plan(self) -> tuple[Step, ...]:
        tone_after = self.pattern.tone_after_rounds
        steps = []
        for k in range(self._rounds):
            tempo = next(s for s in reversed(self._segments) if s.first_round <= k).tempo
            for j, phase in enumerate(self.pattern.phases):
                index = len(steps)
                words = tone_after is None or k < tone_after
                words = words or (
                    self._words_from_step is not None and index >= self._words_from_step
                )
                steps.append(
                    Step(self.onset(k, j), self.onset(k, j + 1), k, j, phase, words, tempo)
                )
        return tuple(steps)

    def steps_from(self, sample: int) -> tuple[Step, ...]:
        """The steps that start at or after `sample` (what is left to place)."""
        return tuple(s for s in self.steps if s.start_sample >= sample)

    def slower(self, now_sample: int) -> Adjusted:
        return self._retempo(now_sample, self.tempo + self.limits.step)

    def faster(self, now_sample: int) -> Adjusted:
        return self._retempo(now_sample, self.tempo - self.limits.step)

    def _retempo(self, now_sample: int, tempo: Fraction) -> Adjusted:
        if not self.limits.fastest <= tempo <= self.limits.slowest:
            return Adjusted.AT_LIMIT
        upcoming = [s for s in self.steps if s.phase_index == 0 and s.start_sample > now_sample]
        if not upcoming:
            return Adjusted.TOO_LATE
        first = upcoming[0]
        kept = [s for s in self._segments if s.first_round < first.round_index]
        self._segments = [*kept, _Segment(first.round_index, first.start_sample, tempo)]
        self._rounds = self._count_rounds()
        self.steps = self._plan()
        return Adjusted.CHANGED

    def words_back(self, now_sample: int) -> Adjusted:
        """Spoken cues again from the next phase on, for the rest of the exercise."""
        upcoming = [i for i, s in enumerate(self.steps) if s.start_sample > now_sample]
        if not upcoming:
            return Adjusted.TOO_LATE
        if all(self.steps[i].spoken for i in upcoming):
            return Adjusted.UNCHANGED
        self._words_from_step = upcoming[0]
        self.steps = self._plan()
        return Adjusted.CHANGED


#: A tone per kind of breath: a little higher going in, lower going out.
TONE_HZ = {Breath.IN: 440.0, Breath.HOLD: 392.0, Breath.OUT: 330.0}


def soft_tone(
    frequency_hz: float,
    duration_s: float = 0.6,
    fade_s: float = 0.12,
    level: float = 0.15,
    rate_hz: int = RATE_HZ,
) -> np.ndarray:
    """A quiet sine with raised-cosine fades in and out, as int16 samples."""
    n = round(duration_s * rate_hz)
    t = np.arange(n) / rate_hz
    wave = np.sin(2 * np.pi * frequency_hz * t)
    fade = min(round(fade_s * rate_hz), n // 2)
    envelope = np.ones(n)
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, fade))
    envelope[:fade] = ramp
    envelope[n - fade :] = ramp[::-1]
    return (wave * envelope * level * 32767).astype(np.int16)


def phase_tones(rate_hz: int = RATE_HZ) -> dict[Breath, np.ndarray]:
    return {breath: soft_tone(hz, rate_hz=rate_hz) for breath, hz in TONE_HZ.items()}


@dataclass(frozen=True)
class Timeline:
    """Cues at their planned samples; `notes` say which cues had to be cut to fit their phase."""

    cues: tuple[tuple[int, np.ndarray], ...]  # (start_sample, int16 audio)
    end_sample: int
    notes: tuple[str, ...]

    def mix(self) -> np.ndarray:
        """The whole exercise as one int16 signal: the cues with silence between."""
        out = np.zeros(self.end_sample, dtype=np.int16)
        for start, audio in self.cues:
            out[start : start + len(audio)] = audio
        return out


def _cut(audio: np.ndarray, room: int, rate_hz: int) -> np.ndarray:
    """The first `room` samples, faded out so the cut makes no click."""
    cut = audio[:room].astype(np.float64)
    fade = min(round(CUT_FADE_S * rate_hz), room)
    cut[room - fade :] *= np.linspace(1.0, 0.0, fade)
    return cut.astype(np.int16)


def place_cues(
    steps: Sequence[Step],
    rendered: Mapping[str, np.ndarray],
    tones: Mapping[Breath, np.ndarray] | None = None,
    rate_hz: int = RATE_HZ,
) -> Timeline:
    """Each step's cue (its rendered words, or its tone) at the step's planned onset. A cue longer
    than its phase, less CUE_GAP_S, is cut and faded, with a note; the onsets never move."""
    tones = tones if tones is not None else phase_tones(rate_hz)
    gap = round(CUE_GAP_S * rate_hz)
    cues: list[tuple[int, np.ndarray]] = []
    notes: dict[str, None] = {}
    for step in steps:
        if step.spoken:
            if step.phase.say not in rendered:
                raise ValueError(f"no audio rendered for the cue {step.phase.say!r}")
            audio, name = rendered[step.phase.say], repr(step.phase.say)
        else:
            audio, name = tones[step.phase.breath], f"the {step.phase.breath.value} tone"
        room = max(step.duration_samples - gap, step.duration_samples // 2)
        if len(audio) > room:
            notes[
                f"{name} lasts {len(audio) / rate_hz:.2f} s but its phase leaves "
                f"{room / rate_hz:.2f} s: it is cut short; use fewer words or a longer phase"
            ] = None
            audio = _cut(audio, room, rate_hz)
        cues.append((step.start_sample, audio))
    end = steps[-1].end_sample if steps else 0
    return Timeline(tuple(cues), end, tuple(notes))
