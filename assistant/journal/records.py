"""The journal's records, defined once: a session (`SessionRecord`), its turns (`Turn`), how it
ended (`Status`), and what a breathing exercise, a break and a safety concern keep.

Each record reads and writes its stored JSON form (`from_dict`, `to_dict`); a record written by an
older version reads with the fields it lacks at their defaults, and a turn keeps keys it does not
know (a newer version's) as they were. Each field's declaration also says what a file must hold
there to be trusted (validate.py) and whether `reflect export` shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from enum import Enum
from typing import Any, TypeVar

_NONE = type(None)
R = TypeVar("R", bound="Stored")
#: The field of a turn that holds the keys this version does not know.
OTHER = "other"


class Status(str, Enum):
    """How a session ended, as stored in the journal (the values are the stored words); also how
    a breathing exercise or a break inside it ended."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"  # the input ended, Ctrl-C, a device gone, the process died
    SAFETY = "safety"  # a concern came up, however the session ended
    RUNNING = "running"  # still being written


#: The states of turns that answer no question of a script: replies in the safety flow (their
#: prompt is its question or menu), what was said while paused, during a breathing exercise or a
#: break, and the exercise's and the break's own records.
SAFETY_STATE = "safety"
PAUSED_STATE = "paused"
BREATHING_STATE = "breathing"
PAUSE_STATE = "pause"


@dataclass(frozen=True)
class Spec:
    """How a field of a record is stored; the defaults hold for a field declared without one.

    check: the JSON types a file may hold there; another type makes the file damaged.
    required: a file without it is damaged. read: from the JSON value to the field's type.
    exported: part of the `reflect export` contract. optional: left out of the file while None.
    digits: a float is stored rounded to this many decimals. group: optional fields stored
    together whenever any one of them is set (the others then as null).
    """

    check: tuple[type, ...] = ()
    required: bool = False
    read: Callable[[Any], Any] | None = None
    exported: bool = True
    optional: bool = False
    digits: int | None = None
    group: str = ""


def stored(**spec: Any) -> dict[str, Spec]:
    """A field's metadata: `field(default=..., metadata=stored(check=(str,), ...))`."""
    return {"stored": Spec(**spec)}


_PLAIN = Spec()


def spec_of(f: Field) -> Spec:
    return f.metadata.get("stored", _PLAIN)


def _plain(value: Any) -> Any:
    """A field's value as JSON holds it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Stored):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Stored:
    """The stored form of a record, taken from its fields' declarations (`Spec`)."""

    def to_dict(self, *, exported: bool = False) -> dict[str, Any]:
        """The record as the journal stores it; with exported=True, as `reflect export` shows it."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value, spec = getattr(self, f.name), spec_of(f)
            if f.name == OTHER:  # a turn's keys from a newer version: last, as they were
                out.update(value)
            elif not self._written(spec, value, exported):
                continue
            elif spec.digits is not None and isinstance(value, float):
                out[f.name] = round(value, spec.digits)
            else:
                out[f.name] = _plain(value)
        return out

    def _written(self, spec: Spec, value: Any, exported: bool) -> bool:
        if exported and not spec.exported:
            return False
        if value is None and spec.optional:  # unless another of its group is set
            group = spec.group
            return bool(group) and any(
                getattr(self, f.name) is not None for f in fields(self) if spec_of(f).group == group
            )
        return True

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any]) -> R:
        """A record from its stored form; a key it lacks (or holds null) reads as the default."""
        known: dict[str, Any] = {}
        names = {f.name for f in fields(cls)}
        for f in fields(cls):
            value, read = data.get(f.name), spec_of(f).read
            if f.name == OTHER:
                known[OTHER] = {k: v for k, v in data.items() if k not in names}
            elif value is not None:
                known[f.name] = read(value) if read else value
        return cls(**known)


def _status(value: Any) -> Status:
    """An exercise's or a break's end, read leniently: those records are not validated, and a
    word no version wrote must not stop the journal from being read."""
    try:
        return Status(value)
    except ValueError:
        return Status.INTERRUPTED


def _record(kind: type[Stored]) -> Callable[[Any], Any]:
    return lambda value: kind.from_dict(value) if isinstance(value, Mapping) else None


def _records(kind: type[Stored]) -> Callable[[Any], tuple]:
    return lambda values: tuple(kind.from_dict(v) for v in values if isinstance(v, Mapping))


_ENDED = stored(read=_status)  # completed, stopped or interrupted
_TWO_DIGITS = stored(digits=2)
_OPTIONAL = stored(optional=True)
_COACHING = stored(optional=True, group="coaching")
_REQUIRED_TEXT = stored(check=(str,), required=True)


@dataclass(frozen=True, kw_only=True)
class Breathing(Stored):
    """What the journal keeps of one breathing exercise (breathe/exercise.py runs it)."""

    pattern: str = ""
    planned_s: float = field(default=0.0, metadata=_TWO_DIGITS)
    actual_s: float = field(default=0.0, metadata=_TWO_DIGITS)
    rounds: int = 0  # as planned at the end (a slower tempo fits fewer into the same minutes)
    rounds_done: int = 0
    ended: Status = field(default=Status.INTERRUPTED, metadata=_ENDED)
    said: tuple[str, ...] = field(default=(), metadata=stored(read=tuple))

    def summary(self) -> str:
        """'box, 4 of 4 rounds, 4:00 of 4:00, completed': history's line."""
        return (
            f"{self.pattern}, {self.rounds_done} of {self.rounds} rounds, "
            f"{_mmss(self.actual_s)} of {_mmss(self.planned_s)}, {self.ended.value}"
        )


def _mmss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True, kw_only=True)
class Pause(Stored):
    """What the journal keeps of one break in a heated talk (breathe/pause_rule.py)."""

    minutes: int = 0
    return_at: str = ""  # when to go back, ISO to the minute
    checked_in: bool = False  # the check-in halfway was said
    opener: str | None = None  # the suggested first sentence, once the break ended
    ended: Status = field(default=Status.INTERRUPTED, metadata=_ENDED)


@dataclass(frozen=True, kw_only=True)
class Concern(Stored):
    """One concern noticed in a session (assistant/safety/asking.py): its category, its level
    ("help" or "ask"), what became of it (help, all-right, confirmed, unclear, disclosure,
    unanswered), and whether it was about someone else."""

    category: str = ""
    level: str = ""
    outcome: str = ""
    reported: bool = False


@dataclass(frozen=True, kw_only=True)
class Turn(Stored):
    """One thing said, saved the moment it ended. Fields left None are not stored."""

    #: The question's name in the script, or one of the states above.
    state: str = ""
    prompt: str = field(metadata=_REQUIRED_TEXT)  # the question as spoken
    answer: str = field(metadata=_REQUIRED_TEXT)  # the transcript, or its correction
    #: The transcript as first heard, once corrected (`reflect edit`, or a rating the command
    #: grammar read better).
    heard: str | None = field(default=None, metadata=stored(check=(str,), optional=True))
    #: The live recogniser's transcript, once the second pass (speech/second_pass.py) wrote
    #: the answer anew from the audio.
    heard_live: str | None = field(default=None, metadata=stored(check=(str,), optional=True))
    start_s: float | None = field(default=None, metadata=_OPTIONAL)  # into the audio heard
    end_s: float | None = field(default=None, metadata=_OPTIONAL)
    #: 1..10, the answer to a `rating: true` question.
    rating: int | None = field(default=None, metadata=stored(check=(int,), optional=True))
    at: str = field(default="", metadata=_REQUIRED_TEXT)  # when it was saved (add_turn sets it)
    #: A rehearsal's attempt: the coach's findings (coach/findings.py Assessment.to_dict), the
    #: pace (None when typed: no word times) and the partner's reply; stored together.
    feedback: dict[str, Any] | None = field(default=None, metadata=_COACHING)
    pace_wpm: float | None = field(default=None, metadata=_COACHING)
    partner: str | None = field(default=None, metadata=_COACHING)
    breathing: Breathing | None = field(
        default=None, metadata=stored(check=(dict,), read=_record(Breathing), optional=True)
    )
    pause: Pause | None = field(
        default=None, metadata=stored(check=(dict,), read=_record(Pause), optional=True)
    )
    #: Keys this version does not know (a newer one wrote them), kept as they were.
    other: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SessionMeta(Stored):
    """What a session's file and its index entry say of it, without its turns."""

    id: str = field(metadata=_REQUIRED_TEXT)
    script: str = field(metadata=_REQUIRED_TEXT)
    started_at: str = field(metadata=_REQUIRED_TEXT)  # ISO 8601 with the UTC offset
    ended_at: str | None = None
    status: Status = field(
        default=Status.RUNNING, metadata=stored(check=(str,), required=True, read=Status)
    )
    #: The process writing it, while it runs.
    owner: str | None = field(default=None, metadata=stored(exported=False))
    #: Categories of concern not cleared: the full help was given, or the direct question of a
    #: weaker sign went unanswered (the status is then "safety").
    safety: tuple[str, ...] = field(default=(), metadata=stored(check=(list,), read=tuple))
    #: Every concern noticed, in order. An "ask" answered "all-right" got no help and is only here.
    concerns: tuple[Concern, ...] = field(
        default=(), metadata=stored(check=(list,), read=_records(Concern))
    )
    #: Strong insecurity was heard in the answers.
    strong: bool = field(default=False, metadata=stored(exported=False, read=bool))
    #: One line for `reflect history` where answers are not the point (breathing, a break).
    summary: str | None = field(default=None, metadata=stored(check=(str, _NONE)))

    def meta(self) -> dict[str, Any]:
        """The stored fields of the session itself (its file's `session` record)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(SessionMeta)}

    def listed(self, answers: int) -> Summary:
        """Its index entry."""
        own = {f.name: getattr(self, f.name) for f in fields(SessionMeta)}
        return Summary(**own, answers=answers)


@dataclass(frozen=True, kw_only=True)
class SessionRecord(SessionMeta):
    """A whole session: what it says of itself and its turns, in spoken order."""

    turns: tuple[Turn, ...] = field(
        default=(), metadata=stored(check=(list,), required=True, read=_records(Turn))
    )


@dataclass(frozen=True, kw_only=True)
class Summary(SessionMeta):
    """A session as the index lists it (what `reflect history` reads): no turns, their number."""

    answers: int = field(default=0, metadata=stored(check=(int,), required=True))


STATUS_WORDS = frozenset(s.value for s in Status)
