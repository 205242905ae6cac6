"""Asking first, on a weaker sign (a concern at Level.ASK): the direct question per category,
how its answer is read, and what the session keeps of it (the `ask_first` section of
dialogs/support.yaml; assistant/safety/respond.py says it)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from assistant.base.phrases import contains_phrase, words
from assistant.journal import records
from assistant.safety.check import Concern, Level

ANSWERS = ("no", "yes")


class Outcome(enum.Enum):
    """What became of a concern in the session: stored per concern (`concerns` in the journal)."""

    HELP = "help"  # the full help (a clear sign, or a sign found in a reply to the question)
    ALL_RIGHT = "all-right"  # asked; a clear answer that all is well: back to the script
    CONFIRMED = "confirmed"  # asked; the answer said it is so: the full help
    UNCLEAR = "unclear"  # asked; an unclear answer, or silence after asking again: the full help
    DISCLOSURE = "disclosure"  # asked; the answer raised a concern of its own: the full help
    UNANSWERED = "unanswered"  # asked; stopped, paused or ended before any answer


@dataclass(frozen=True)
class Noticed:
    """One concern of the session, at its level, and what became of it."""

    category: str
    level: Level
    outcome: Outcome
    reported: bool = False

    @property
    def cleared(self) -> bool:
        """Asked, and answered clearly that all is well: no help was given, and the session's
        `safety` list leaves it out."""
        return self.outcome is Outcome.ALL_RIGHT

    def record(self) -> records.Concern:
        """What the journal keeps of it."""
        return records.Concern(
            category=self.category,
            level=self.level.value,
            outcome=self.outcome.value,
            reported=self.reported,
        )


@dataclass(frozen=True)
class Question:
    ask: str
    again: str  # after a silence, once
    all_right: str  # "no" or "yes": the answer that means all is well


@dataclass(frozen=True)
class AskTexts:
    questions: dict[str, Question]  # category -> question
    answers: dict[str, tuple[str, ...]]  # "no"/"yes" -> phrases a clear answer starts with
    unsure: tuple[str, ...]  # anywhere in a reply: not a clear answer
    cleared: str

    def reads(self, question: Question, text: str) -> Outcome:
        """ALL_RIGHT for a clear all-is-well answer, CONFIRMED for the other clear answer, else
        UNCLEAR. The longest phrase at the start decides: "I am not" says no, not "I am"."""
        if contains_phrase(self.unsure, text):
            return Outcome.UNCLEAR
        said = words(text)
        longest = {answer: _start(phrases, said) for answer, phrases in self.answers.items()}
        answer = max(longest, key=lambda a: longest[a])
        if not longest[answer]:
            return Outcome.UNCLEAR
        return Outcome.ALL_RIGHT if answer == question.all_right else Outcome.CONFIRMED


def _start(phrases: tuple[str, ...], said: str) -> int:
    """The length of the longest phrase that `said` starts with (as whole words), or 0."""
    return max(
        (len(p) for p in map(words, phrases) if re.match(rf"{re.escape(p)}(?![a-z0-9])", said)),
        default=0,
    )


def asks_first(concern: Concern) -> bool:
    """A weaker sign about the person's own concern is asked about before the help is given.
    About someone else, the help for them is given at once, as before."""
    return concern.level is Level.ASK and not concern.reported
