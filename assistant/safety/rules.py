"""The compiled safety rules that check.py applies: each phrase, near pair and pattern of
dialogs/safety.yaml as a Rule, and the words that decide negation, whose concern it is and what
softens a match (loaded and checked by rule_file.py)."""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("self-harm", "abuse", "eating")


class Level(enum.Enum):
    """How strong a signal is. HELP: say where help is now. ASK: a weaker sign ("I'm just a
    burden", "I can't live without him"), to be asked about directly and gently first."""

    ASK = "ask"
    HELP = "help"


@dataclass(frozen=True)
class Rule:
    """One phrase, near-pair or pattern of a category. Its regular expressions are compiled the
    first time an answer holds one of its anchor words: compiling them all at start-up took half
    a second, and most are never needed in a session."""

    category: str
    family: str  # the item of a published instrument the rule belongs to (see the file)
    level: Level
    source: str  # as written in the file, for explain()
    line: int | None
    pattern: str  # the regular expression of the phrase (of `first`, for near rules)
    anchors: frozenset[str] | None  # one of these words must be in the text; None: always try
    span: int  # the most words a match can have (with `then` and `within`, for near rules)
    then_pattern: str | None = None  # near rules: the second phrase
    within: int = 0  # near rules: most words between the two phrases
    softened_by: tuple[str, ...] = ()  # softeners (a laugh, a benign reason) that cancel it

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    @functools.cached_property
    def then(self) -> re.Pattern[str] | None:
        return None if self.then_pattern is None else re.compile(self.then_pattern)


@dataclass(frozen=True)
class Rules:
    path: Path
    spellings: dict[str, str]
    rules: tuple[Rule, ...]
    excepts: dict[str, str | None]  # per category, the regex of its idioms (compiled when needed)
    me: re.Pattern[str]  # words saying a concern is the speaker's
    others: re.Pattern[str]  # words saying it is someone else's
    reporters: re.Pattern[str]  # others, plus "told me"-style reporting before a phrase
    actors: re.Pattern[str]  # the actor slots' words: "he", "my boyfriend"
    actor_categories: frozenset[str]  # where an actor before a phrase is not whose concern it is
    window: int
    stop: frozenset[str]
    subjects: frozenset[str]  # words that start a clause (a negation before them is not theirs)
    cues: re.Pattern[str]
    cue_excepts: re.Pattern[str] | None
    between: frozenset[str]
    scope: int
    kept_by: re.Pattern[str] | None  # "since", "before": after a match, a negation does not cancel
    hypothetical: re.Pattern[str] | None  # "if he ever", "what if": not something that happened
    #: verbs of saying that make an "if" after them a threat made, not a supposition
    threat_verbs: frozenset[str]
    softeners: dict[str, Softener]  # by name: what cancels a softened family's match after it
    notes: dict[str, str]  # family -> the instrument item it covers


@dataclass(frozen=True)
class Softener:
    """Words that, soon after a match, show it was not meant: a laugh after hyperbole ("he'll
    kill me when he sees the car, haha"), a benign reason ("because I'd been drinking")."""

    after_pattern: str | None  # words after the match ("haha")
    before_pattern: str | None  # words before it ("in the film")
    within: int  # how many words away they count
    everywhere: bool  # applies to every family, not only those naming it in softened_by

    # compiled when first needed, like the rules: with their slots they took 0.8 s at start-up
    @functools.cached_property
    def after(self) -> re.Pattern[str] | None:
        return None if self.after_pattern is None else re.compile(self.after_pattern)

    @functools.cached_property
    def before(self) -> re.Pattern[str] | None:
        return None if self.before_pattern is None else re.compile(self.before_pattern)
