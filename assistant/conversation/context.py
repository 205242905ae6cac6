"""What an activity of a session works with, and the one thing it must do: run.

The session (session.py) is the shell: the journal, the safety flow, the notices. What happens
inside it is one activity: the script's questions (questions.py), a rehearsal (rehearse.py), a
breathing exercise or a break (activities.py). An activity reaches the person only through the
context: the listener and the voice, and the session's own record and review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from assistant.base.settings import ListenSettings
from assistant.breathe.patterns import DEFAULT_PATTERN, Pattern, find_pattern
from assistant.breathe.texts import BreatheTexts, load_breathe_texts
from assistant.dialog.outcomes import Choice, Status
from assistant.dialog.script import Script, StateSpec
from assistant.events import Answer, Listener, Speaker
from assistant.safety.respond import Safeguards, SafetyFlow
from assistant.speech.commands import CommandSet


class Record(Protocol):
    def __call__(
        self, state: str, prompt: str, heard: Answer | None = None, extra: dict | None = None
    ) -> None:
        """Save a turn: an answer (shown once saved), or with no answer what an activity did
        (`extra`: a breathing exercise, a break)."""


class Extend(Protocol):
    def __call__(self, heard: Answer, whole: str) -> None:
        """Add what was said (`heard`) to the last turn; `whole` is the answer joined so far."""


@dataclass
class Breathing:
    """The pattern and texts of the breathing inside a session (a break's exercise, the safety
    flow's), read when first needed: most sessions never breathe."""

    pattern: Pattern | None = None
    texts: BreatheTexts | None = None

    def parts(self) -> tuple[Pattern, BreatheTexts]:
        if self.pattern is None:
            self.pattern = find_pattern(DEFAULT_PATTERN)
        if self.texts is None:
            self.texts = load_breathe_texts()
        return self.pattern, self.texts


@dataclass
class Context:
    """One session's parts, as its activity uses them; `record` and `extend` are the session's
    (every turn is built in one place, the shell)."""

    script: Script
    listener: Listener
    voice: Speaker
    commands: CommandSet
    record: Record
    extend: Extend
    breathing: Breathing = field(default_factory=Breathing)
    safeguards: Safeguards | None = None
    safety: SafetyFlow | None = None  # set once the session has started, with safeguards
    #: History's line, for a session where answers are not the point (breathing, a break).
    summary: str | None = None
    #: An answer with the second pass's accurate text, waited for (unchanged without one).
    accurate: Callable[[Answer], Answer] = lambda heard: heard
    #: Answers saved so far in this session (counted as `record` saves them).
    answers: int = 0

    def __post_init__(self) -> None:
        save = self.record

        def record(
            state: str, prompt: str, heard: Answer | None = None, extra: dict | None = None
        ) -> None:
            save(state, prompt, heard, extra)
            self.answers += heard is not None

        self.record = record

    @property
    def replies(self) -> dict[str, str]:
        return self.commands.replies

    @property
    def first_state(self) -> StateSpec:
        """The state of an activity that has one (a rehearsal's attempt, a break)."""
        return self.script.states[self.script.initial]

    def say(self, text: str, slow: bool = False) -> None:
        """Say `text` (nothing when empty), then let the listener know the voice is done."""
        if text:
            self.voice.say(text, slow=slow)
            self.listener.after_speaking()

    def review(self, text: str, listen: ListenSettings, *, paused: bool = False) -> Choice | None:
        """Run a saved answer through the safety check. Returns None when there is nothing to
        do, else what the person chose in the safety flow."""
        if not self.safety:
            return None
        return self.safety.review(text, listen, paused=paused)

    def flagged(self, text: str) -> bool:
        """True when the check finds a concern in `text` (which was reviewed already)."""
        guards = self.safeguards
        return guards is not None and guards.check.check(text) is not None

    @property
    def noticed(self) -> bool:
        """A concern came up in this session and was not cleared."""
        return bool(self.safety and self.safety.noticed)

    def farewell(self, *, stopped: bool) -> bool:
        """After a concern, where help is, said instead of the usual goodbye (or "stopping
        here"); False when no concern came up and nothing was said."""
        if not (self.safety and self.safety.noticed):
            return False
        self.safety.farewell(stopped=stopped)
        return True


class Activity(Protocol):
    def run(self, ctx: Context) -> Status:
        """Do the activity in the started session; how it ended."""
