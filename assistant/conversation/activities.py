"""`reflect breathe` and `reflect pause` as sessions: the same journal, safety check and listening
as a reflection script, with a breathing exercise or a timed break in place of questions.

A break (the pause rule, breathe/pause_rule.py) waits on the stage's clock: audio samples from a
WAV or the microphone, the real clock when typed, or a clock a test injects. Meanwhile whatever is
said is saved and checked; "breathe" starts a short round; "stop" ends the break early.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from assistant.base.settings import ListenSettings
from assistant.breathe.patterns import Pattern
from assistant.breathe.pause_rule import CheckIn, Done, PauseRule, PauseTexts
from assistant.conversation.session import Session
from assistant.dialog.outcomes import Choice, Status
from assistant.dialog.script import Script, StateSpec
from assistant.events import Answer, Command, EndOfInput
from assistant.journal.records import PAUSE_STATE, Pause, Turn
from assistant.speech.timeline import Stage

#: A break listens in stretches of at most this long, so the clock is looked at often enough.
LISTEN_STRETCH_S = 30.0


def activity_script(name: str, description: str, listen: ListenSettings) -> Script:
    """The session's view of an activity without questions."""
    state = StateSpec(name, description, description, listen, final=True)
    return Script(name, Path(name), description, "", "", name, {name: state}, ())


class BreatheSession(Session):
    """One exercise, stored with what was said during it."""

    def __init__(
        self,
        pattern: Pattern,
        minutes: float | None,
        bar: object | None,
        *args: object,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pattern, self._minutes, self._bar = pattern, minutes, bar

    def _converse(self) -> Status:
        state = self._script.states[self._script.initial]
        minutes = self._minutes if self._minutes is not None else self._pattern.minutes
        choice = self.breathe(state, self._pattern, float(minutes) if minutes else None, self._bar)
        record = self._last_exercise
        self._summary = record.summary() if record else None
        if choice is not None:
            return Status.INTERRUPTED if choice is Choice.INTERRUPTED else Status.STOPPED
        return record.ended if record is not None else Status.INTERRUPTED


class PauseSession(Session):
    """A break in a heated talk: the return time, soothing, a check-in halfway, an opener."""

    def __init__(
        self,
        texts: PauseTexts,
        minutes: int,
        openers: tuple[str, ...],
        stage: Callable[[], Stage] | None,
        start: Callable[[], datetime],
        *args: object,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._texts, self._minutes, self._openers = texts, minutes, openers
        self._stage = stage
        self._start = start

    def _converse(self) -> Status:
        state = self._script.states[self._script.initial]
        stage = (self._stage or self._voice.stage)()  # type: ignore[attr-defined]
        began_at, begun = self._start(), stage.now()

        def now() -> datetime:
            return began_at + timedelta(seconds=(stage.now() - begun) / stage.rate_hz)

        rule = PauseRule(self._texts, self._minutes, began_at, self._openers)
        record: dict = {
            "minutes": self._minutes,
            "return_at": rule.return_at.isoformat(timespec="minutes"),
            "checked_in": False,
            "opener": None,
            "ended": Status.INTERRUPTED.value,
        }
        self._summary = f"{self._minutes} minutes, back at {rule.return_at:%H:%M}"
        self._speak(rule.begin())
        status = Status.INTERRUPTED
        try:
            status = self._wait(rule, stage, state, now, record)
        finally:
            record["ended"] = status.value
            self._summary += f", {status.value}"
            turn = Turn(state=PAUSE_STATE, prompt="Break", answer="", pause=Pause.from_dict(record))
            self._journal.add_turn(self.session_id, turn)
        return status

    def _speak(self, events: list) -> None:
        for event in events:
            if not isinstance(event, Done):
                self._say(event.text)

    def _wait(self, rule, stage, state, now, record) -> Status:
        while (due := rule.next_due()) is not None:
            left_s = min((due - now()).total_seconds(), LISTEN_STRETCH_S)
            until = stage.now() + max(1, round(left_s * stage.rate_hz))
            heard = stage.attend(until, lambda sample: None) if left_s > 0 else None
            if heard is None:
                events = rule.tick(now())
                record["checked_in"] |= any(isinstance(e, CheckIn) for e in events)
                for event in events:
                    if isinstance(event, Done):
                        record["opener"] = event.opener
                self._speak(events)
                continue
            if isinstance(heard, EndOfInput):
                return Status.INTERRUPTED
            if isinstance(heard, Command):
                if heard.name == "stop":
                    self._say(self._replies["stopped"])
                    return Status.STOPPED
                if heard.name == "breathe":
                    choice = self.breathe(state)
                    if choice is Choice.STOP:
                        return Status.STOPPED
                continue
            if isinstance(heard, Answer) and heard.text.strip():
                self._record(PAUSE_STATE, "(said during the break)", heard)
                choice = self._review(heard.text, state, paused=True)
                if choice is Choice.STOP:
                    return Status.STOPPED
                if choice is None:
                    self._speak(rule.heard(heard.text, now()))
        return Status.COMPLETED
