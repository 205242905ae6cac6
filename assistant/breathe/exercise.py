"""One breathing exercise, run on a stage (speech/timeline.py) while listening.

Every cue is rendered before the exercise starts and placed at its planned sample (schedule.py),
so nothing drifts and a long cue never pushes the next one late. Meanwhile it listens: "stop"
ends it at once; "slower", "faster" and "words" replan from the next round or phase (the replies
are printed, because speaking them would talk over the cues); anything else said is handed to
`on_said`, which saves and checks it, and ends the exercise when it returns True (a concern needs
the floor). The same code runs `reflect breathe`, a break inside a session and the safety flow's
breathing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from assistant.breathe.bar import bar_state
from assistant.breathe.patterns import Pattern
from assistant.breathe.schedule import Adjusted, Schedule, Step, place_cues
from assistant.breathe.texts import BreatheTexts, Request
from assistant.events import Answer, Command, EndOfInput
from assistant.journal.records import Breathing, Status
from assistant.speech.timeline import Stage


class Cues(Protocol):
    """The voice, as an exercise uses it."""

    def say(self, text: str, *, slow: bool = False) -> None: ...

    def show(self, text: str) -> None: ...

    def cue_samples(self, text: str, rate_hz: int = 16_000) -> np.ndarray | None: ...

    def stage(self) -> Stage: ...


class Bar(Protocol):
    def show(self, state: Any) -> None: ...


def _render(voice: Cues, pattern: Pattern, rate_hz: int) -> dict[str, np.ndarray]:
    rendered = {}
    for text in pattern.cue_texts():
        samples = voice.cue_samples(text, rate_hz)
        rendered[text] = samples if samples is not None else np.zeros(0, np.int16)
    return rendered


class Exercise:
    def __init__(
        self,
        pattern: Pattern,
        texts: BreatheTexts,
        voice: Cues,
        *,
        minutes: float | None = None,
        rounds: int | None = None,
        on_said: Callable[[Answer], bool] = lambda answer: False,
        bar: Bar | None = None,
        intro: bool = True,
        closing: bool = True,
    ) -> None:
        self.pattern, self._texts, self._voice = pattern, texts, voice
        self.schedule = Schedule(pattern, minutes=minutes, rounds=rounds)
        self._on_said, self._bar, self._intro = on_said, bar, intro
        self._closing = closing  # "well done" / "we'll stop here" (the caller may say its own)
        self._shown = 0

    def run(self) -> Breathing:
        """Run it; returns what the journal keeps of it. It ends completed, stopped ("stop", or
        a concern that needed the floor) or interrupted (the input ended)."""
        texts, voice, schedule = self._texts, self._voice, self.schedule
        if self._intro:
            voice.say(texts.note)
            minutes = round(schedule.end_sample / schedule.rate_hz / 60)
            length = f"{minutes} minutes" if minutes > 1 else "a minute"
            voice.say(texts.intro.format(description=self.pattern.description, minutes=length))
        if self._intro and any(not s.spoken for s in schedule.steps):  # eyes may close: say it
            voice.say(texts.tones)
        rendered = _render(voice, self.pattern, schedule.rate_hz)
        stage = voice.stage()
        self._place(stage, schedule.steps, rendered)
        said: list[str] = []
        ended = Status.COMPLETED
        while True:
            heard = stage.attend(schedule.end_sample, self._tick)
            if heard is None:
                break
            if isinstance(heard, EndOfInput):
                ended = Status.INTERRUPTED
                break
            if isinstance(heard, Command):
                if heard.name in ("stop", "pause", "skip"):
                    ended = Status.STOPPED
                    break
                continue
            request = texts.request(heard.text)
            if request is not None:
                self._adjust(stage, request, rendered)
                continue
            if not heard.text.strip():
                continue
            said.append(heard.text)
            if self._on_said(heard):
                ended = Status.STOPPED
                break
        now = min(stage.now(), schedule.end_sample)
        if ended is not Status.COMPLETED:
            stage.stop()
        if self._bar is not None:
            self._bar.show(None)
        if self._closing and ended is Status.COMPLETED:
            voice.say(texts.done)
        elif self._closing and ended is Status.STOPPED:
            voice.say(texts.stopped)
        done = sum(1 for s in schedule.steps if s.end_sample <= now and self._last_phase(s))
        return Breathing(
            pattern=self.pattern.name,
            planned_s=schedule.end_sample / schedule.rate_hz,
            actual_s=now / schedule.rate_hz,
            rounds=schedule.rounds,  # as planned at the end
            rounds_done=done,
            ended=ended,
            said=tuple(said),
        )

    def _last_phase(self, step: Step) -> bool:
        return step.phase_index == len(self.pattern.phases) - 1

    def _place(self, stage: Stage, steps: tuple[Step, ...], rendered: dict) -> None:
        for at, samples in place_cues(steps, rendered, rate_hz=stage.rate_hz).cues:
            if len(samples):
                stage.place(at, samples)

    def _adjust(self, stage: Stage, request: Request, rendered: dict) -> None:
        texts, schedule, now = self._texts, self.schedule, stage.now()
        if request is Request.WORDS:
            result = schedule.words_back(now)
            reply = texts.words_back
        elif request is Request.SLOWER:
            result = schedule.slower(now)
            reply = texts.slowest if result is Adjusted.AT_LIMIT else texts.slower
        else:
            result = schedule.faster(now)
            reply = texts.fastest if result is Adjusted.AT_LIMIT else texts.faster
        if result is Adjusted.CHANGED:
            upcoming = schedule.steps_from(now + 1)
            if upcoming:
                stage.unplace_from(upcoming[0].start_sample)
                self._place(stage, upcoming, rendered)
            self._shown = len(schedule.steps) - len(upcoming)
        if result is not Adjusted.TOO_LATE:
            self._voice.show(reply)  # printed: spoken, it would talk over the cues

    def _tick(self, now: int) -> None:
        steps = self.schedule.steps
        while self._shown < len(steps) and steps[self._shown].start_sample <= now:
            step = steps[self._shown]
            self._shown += 1
            if step.spoken and self._bar is None:  # the bar shows the phase on a terminal
                self._voice.show(step.phase.say)
        if self._bar is not None:
            self._bar.show(bar_state(self.schedule, now))
