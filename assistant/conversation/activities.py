"""`reflect breathe` and `reflect pause` as activities of a session: the same journal, safety
check and listening as a reflection script, with a breathing exercise or a timed break in place
of questions.

A break (the pause rule, breathe/pause_rule.py) waits on the stage's clock: audio samples from a
WAV or the microphone, the real clock when typed, or a clock a test injects. Meanwhile whatever is
said is saved and checked; "breathe" starts a short round; "stop" ends the break early.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from assistant.base.settings import ListenSettings
from assistant.base.text import plural
from assistant.breathe.patterns import Pattern
from assistant.breathe.pause_rule import CheckIn, Done, PauseRule, PauseTexts
from assistant.conversation.breathing import breathe
from assistant.conversation.context import Context
from assistant.dialog.outcomes import Choice, Status
from assistant.dialog.script import Script, StateSpec
from assistant.events import Answer, Command, EndOfInput, Heard
from assistant.journal.records import PAUSE_STATE
from assistant.journal.records import Pause as Break
from assistant.speech.timeline import Stage

#: A break listens in stretches of at most this long, so the clock is looked at often enough.
LISTEN_STRETCH_S = 30.0


def activity_script(name: str, description: str, listen: ListenSettings) -> Script:
    """The session's view of an activity without questions."""
    state = StateSpec(name, description, description, listen, final=True)
    return Script(name, Path(name), description, "", "", name, {name: state}, ())


class Breathe:
    """One exercise, stored with what was said during it."""

    def __init__(self, pattern: Pattern, minutes: float | None, bar: object | None = None) -> None:
        self._pattern, self._minutes, self._bar = pattern, minutes, bar

    def run(self, ctx: Context) -> Status:
        minutes = self._minutes if self._minutes is not None else self._pattern.minutes
        done = breathe(
            ctx, ctx.first_state, self._pattern, float(minutes) if minutes else None, self._bar
        )
        ctx.summary = done.record.summary()
        if done.choice is not None:
            return Status.INTERRUPTED if done.choice is Choice.INTERRUPTED else Status.STOPPED
        return done.record.ended


class Pause:
    """A break in a heated talk: the return time, soothing, a check-in halfway, an opener.
    `start`: the time of day it begins; `stage`: the clock it waits on (the voice's unless
    given)."""

    def __init__(
        self,
        texts: PauseTexts,
        minutes: int,
        openers: tuple[str, ...],
        start: Callable[[], datetime],
        stage: Callable[[], Stage] | None = None,
    ) -> None:
        self._texts, self._minutes, self._openers = texts, minutes, openers
        self._start = start
        self._stage = stage

    def run(self, ctx: Context) -> Status:
        stage = (self._stage or ctx.voice.stage)()  # type: ignore[attr-defined]
        rule = PauseRule(self._texts, self._minutes, self._start(), self._openers)
        pause = _Break(ctx, stage, rule)
        summary = f"{plural(self._minutes, 'minute')}, back at {rule.return_at:%H:%M}"
        ctx.summary = summary
        pause.speak(rule.begin())
        status = Status.INTERRUPTED
        try:
            status = pause.wait()
        finally:
            pause.record["ended"] = status.value
            ctx.summary = f"{summary}, {status.value}"
            ctx.record(PAUSE_STATE, "Break", None, {"pause": Break.from_dict(pause.record)})
        return status


class _Break:
    """One break as it runs: the rule's clock on the stage, and what the journal keeps of it."""

    def __init__(self, ctx: Context, stage: Stage, rule: PauseRule) -> None:
        self.ctx, self.stage, self.rule = ctx, stage, rule
        self._begun = stage.now()
        self.record: dict[str, Any] = {
            "minutes": rule.minutes,
            "return_at": rule.return_at.isoformat(timespec="minutes"),
            "checked_in": False,
            "opener": None,
            "ended": Status.INTERRUPTED.value,
        }

    def now(self) -> datetime:
        stage = self.stage
        return self.rule.started_at + timedelta(seconds=(stage.now() - self._begun) / stage.rate_hz)

    def speak(self, events: list) -> None:
        for event in events:
            if not isinstance(event, Done):
                self.ctx.say(event.text)

    def wait(self) -> Status:
        """Until the rule is done (or "stop", a concern's stop, the input's end)."""
        stage = self.stage
        while (due := self.rule.next_due()) is not None:
            left_s = min((due - self.now()).total_seconds(), LISTEN_STRETCH_S)
            until = stage.now() + max(1, round(left_s * stage.rate_hz))
            heard = stage.attend(until, lambda sample: None) if left_s > 0 else None
            ended = self._tick() if heard is None else self._heard(heard)
            if ended is not None:
                return ended
        return Status.COMPLETED

    def _tick(self) -> None:
        """The time has come for what the rule says next (a check-in, the opener)."""
        events = self.rule.tick(self.now())
        self.record["checked_in"] |= any(isinstance(e, CheckIn) for e in events)
        for event in events:
            if isinstance(event, Done):
                self.record["opener"] = event.opener
        self.speak(events)

    def _heard(self, heard: Heard) -> Status | None:
        ctx, state = self.ctx, self.ctx.first_state
        if isinstance(heard, EndOfInput):
            return Status.INTERRUPTED
        if isinstance(heard, Command) and heard.name == "stop":
            ctx.say(ctx.replies["stopped"])
            return Status.STOPPED
        if isinstance(heard, Command) and heard.name == "breathe":
            stopped = breathe(ctx, state).choice is Choice.STOP
            return Status.STOPPED if stopped else None
        if isinstance(heard, Answer) and heard.text.strip():
            ctx.record(PAUSE_STATE, "(said during the break)", heard)
            choice = ctx.review(heard.text, state.listen, paused=True)
            if choice is Choice.STOP:
                return Status.STOPPED
            if choice is None:
                self.speak(self.rule.heard(heard.text, self.now()))
        return None
