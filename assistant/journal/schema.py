"""The journal's records, defined once: what a session and a turn hold, which fields the export
contract shows, and which a file must have to be trusted. records.py, validate.py, store.py and
export.py take their field lists from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RUNNING = "running"
STATUSES = ("completed", "stopped", "interrupted", "safety", RUNNING)
#: The state of turns said in the safety flow, and of what was said while paused: replies,
#: not answers to the script's questions (their prompt is a menu or the pause message).
SAFETY_STATE = "safety"
PAUSED_STATE = "paused"

_NONE = type(None)


@dataclass(frozen=True)
class Field:
    name: str
    kinds: tuple[type, ...]
    #: A file without it (or with another type) is damaged.
    required: bool = False
    #: Checked when present: a value of another type makes the file damaged.
    checked: bool = False
    #: Part of the export JSON contract (README "Export format").
    exported: bool = True
    #: In `summaries()` (what `reflect history` reads).
    listed: bool = True
    #: What a record lacking it (written by an older version) reads as.
    default: Any = None


SESSION: tuple[Field, ...] = (
    Field("id", (str,), required=True),
    Field("script", (str,), required=True),
    Field("started_at", (str,), required=True),
    Field("ended_at", (str, _NONE)),
    Field("status", (str,), required=True),  # one of STATUSES
    Field("owner", (str, _NONE), exported=False, listed=False),  # the process writing it
    #: Categories of concern not cleared: the full help was given, or the direct question of a
    #: weaker sign went unanswered (the status is then "safety").
    Field("safety", (list,), checked=True, default=()),
    #: Every concern noticed, in order: {category, level ("help" or "ask"), outcome (see
    #: assistant/safety/asking.py: help, all-right, confirmed, unclear, disclosure, unanswered),
    #: reported}. An "ask" answered "all-right" got no help and is only here.
    Field("concerns", (list,), checked=True, default=()),
    Field("strong", (bool,), exported=False, default=False),  # strong insecurity heard
    #: One line for `reflect history` where answers are not the point (breathing, a break).
    Field("summary", (str, _NONE), checked=True),
)
TURN: tuple[Field, ...] = (
    Field("state", (str,)),  # the question's name in the script, or SAFETY_STATE/PAUSED_STATE
    Field("prompt", (str,), required=True),
    Field("answer", (str,), required=True),  # the transcript, or its correction
    Field("heard", (str,), checked=True),  # the transcript as heard, once corrected
    Field("start_s", (int, float)),  # seconds into the audio heard (spoken answers)
    Field("end_s", (int, float)),
    Field("rating", (int,), checked=True),  # 1..10, on the answer to a `rating: true` question
    Field("at", (str,), required=True),
)

#: A session's record in its file and in the index, without its turns.
META_KEYS = tuple(f.name for f in SESSION)
#: What `summaries()` gives per session: enough for `reflect history`, no answers.
SUMMARY_KEYS = (*(f.name for f in SESSION if f.listed), "answers")
#: The export contract, in its order: a session's fields, then each turn's.
EXPORTED_SESSION = (*(f.name for f in SESSION if f.exported), "turns")
EXPORTED_TURN = tuple(f.name for f in TURN if f.exported)


def with_defaults(meta: dict[str, Any]) -> dict[str, Any]:
    """A session's record with exactly META_KEYS, those older journals lack at their default."""
    out = {}
    for f in SESSION:
        value = meta.get(f.name)
        out[f.name] = value if value is not None else _copy(f.default)
    out["strong"] = bool(out["strong"])
    return out


def _copy(default: Any) -> Any:
    return list(default) if isinstance(default, tuple) else default


def fits(record: Any, fields: tuple[Field, ...]) -> bool:
    """True when `record` has every required field, and every checked one present, of its
    type. Other fields are left alone (older journals and newer keys)."""
    if not isinstance(record, dict):
        return False
    for f in fields:
        if f.required or (f.checked and f.name in record):
            value = record.get(f.name)
            if isinstance(value, bool) and bool not in f.kinds:
                return False
            if not isinstance(value, f.kinds):
                return False
    return True
