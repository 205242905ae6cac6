"""What the coaching found in one attempt, and what it means for the partner's reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(Enum):
    # strengths
    I_STATEMENT = "i_statement"
    FEELING = "feeling"
    REQUEST = "request"
    CALM_PACE = "calm_pace"
    # things to try
    BLAME = "blame"
    FAUX_FEELING = "faux_feeling"
    NEGATIVE_REQUEST = "negative_request"
    YOU_FOCUS = "you_focus"
    NO_FEELING = "no_feeling"
    NO_REQUEST = "no_request"
    FAST = "fast"
    SLOW = "slow"
    LONG = "long"
    HESITATION = "hesitation"

    @property
    def strength(self) -> bool:
        return self in STRENGTHS


STRENGTHS = frozenset({Kind.I_STATEMENT, Kind.FEELING, Kind.REQUEST, Kind.CALM_PACE})


@dataclass(frozen=True)
class Finding:
    """One thing noticed: its kind, the words quoted from the attempt, and the suggestion (the
    full printed sentence)."""

    kind: Kind
    words: str
    suggestion: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "words": self.words, "suggestion": self.suggestion}


class ReplyKind(Enum):
    """How the partner answers (replies of each kind are in the rehearsal script)."""

    DEFENSIVE = "defensive"
    HESITANT = "hesitant"
    OPEN = "open"


class StartUp(Enum):
    """Gottman's harsh and softened start-up, with the middle ground between them."""

    HARSH = "harsh"
    IN_BETWEEN = "in-between"
    SOFT = "soft"

    @property
    def reply(self) -> ReplyKind:
        return _REPLIES[self]


_REPLIES = {
    StartUp.HARSH: ReplyKind.DEFENSIVE,
    StartUp.IN_BETWEEN: ReplyKind.HESITANT,
    StartUp.SOFT: ReplyKind.OPEN,
}


@dataclass(frozen=True)
class Assessment:
    """Everything the coaching found in one attempt."""

    findings: tuple[Finding, ...]
    start_up: StartUp
    pace_wpm: float | None  # None for typed attempts (no word times)
    words: int
    sentences: int
    hesitations: int = 0
    subjects: dict[str, int] = field(default_factory=dict)  # {"i": n, "you": n}

    def of(self, kind: Kind) -> list[Finding]:
        return [f for f in self.findings if f.kind is kind]

    def has(self, kind: Kind) -> bool:
        return any(f.kind is kind for f in self.findings)

    def count(self, kind: Kind) -> int:
        return len(self.of(kind))

    @property
    def reply(self) -> ReplyKind:
        return self.start_up.reply

    def to_dict(self) -> dict:
        """The journal's `feedback` for the turn (structured, not the rendered text)."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "start_up": self.start_up.value,
            "pace_wpm": None if self.pace_wpm is None else round(self.pace_wpm),
        }
