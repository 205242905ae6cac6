"""Exports: JSON (a contract other tools rely on) and Markdown (to read like a diary)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from assistant.journal.records import (
    BREATHING_STATE,
    PAUSE_STATE,
    PAUSED_STATE,
    SAFETY_STATE,
    SessionRecord,
    Status,
    Turn,
)


def to_json(sessions: Sequence[SessionRecord]) -> str:
    """The export contract (README "Export format"): each session's exported fields in their
    declared order, its turns in spoken order, each with every key it has (keys a newer version
    added last, never dropped)."""
    public = [s.to_dict(exported=True) for s in sessions]
    return json.dumps({"sessions": public}, indent=2, ensure_ascii=False)


STATUS_NOTES = {
    Status.STOPPED: "Stopped before the end.",
    Status.INTERRUPTED: "Interrupted before the end.",
    Status.RUNNING: "Still going when this was written.",
    Status.SAFETY: "A moment of concern came up in this session.",
}
#: Turns that are replies rather than answers to a question: shown as said, under no heading.
ASIDES = {
    SAFETY_STATE: "During the check-in",
    PAUSED_STATE: "While paused",
    BREATHING_STATE: "While breathing",
    PAUSE_STATE: "During the break",
}


#: A concern's outcome (assistant/safety/asking.py), as the diary says it.
OUTCOMES = {
    "help": "help was offered",
    "all-right": "asked, and all was well",
    "confirmed": "asked, then help was offered",
    "unclear": "asked, then help was offered",
    "disclosure": "asked, then help was offered for what came next",
    "unanswered": "asked, not answered",
}


def _concerns(session: SessionRecord) -> list[str]:
    """What came up in the safety check, by category and what became of it."""
    said = []
    for c in session.concerns:
        whose = " (about someone else)" if c.reported else ""
        said.append(f"{c.category}{whose}: {OUTCOMES.get(c.outcome, c.outcome)}")
    return [f"*Safety check: {'; '.join(said)}.*", ""] if said else []


def _when(started_at: str) -> str:
    """'Tuesday 24 November 2026, 21:04' from an ISO time (as it was then, where it was)."""
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"


def _sentence(text: str) -> str:
    """An answer as it was said or typed (never re-cased: "about a six" stays so); lines of a
    typed entry become paragraphs."""
    return "\n\n".join(text.split("\n"))


def _activity(turn: Turn) -> list[str] | None:
    """A breathing exercise or a break, as one line of the diary."""
    b, p = turn.breathing, turn.pause
    if b is not None:
        return [f"*Breathing: {b.summary()}.*", ""]  # as history says it: 0:08 of 5:01
    if p is not None:
        opener = f' Suggested opener: "{p.opener}"' if p.opener else ""
        return [f"*A {p.minutes}-minute break, {p.ended.value}.{opener}*", ""]
    return None


def _turn(turn: Turn) -> list[str]:
    activity = _activity(turn)
    if activity is not None:
        return activity
    aside = ASIDES.get(turn.state)
    if aside:  # "I'm fine", "yes": a reply, not an answer; the menu is no question heading
        return [f"*{aside}:* {_sentence(turn.answer)}", ""]
    lines = [f"**{turn.prompt}**", "", _sentence(turn.answer) or "*(no answer)*", ""]
    if turn.heard is not None:
        lines += [f"*(corrected; first heard as: {turn.heard})*", ""]
    return lines + _coaching(turn)


def _coaching(turn: Turn) -> list[str]:
    """A rehearsed attempt's feedback, pace and the partner's reply, as the diary shows them."""
    found = turn.feedback.get("findings", []) if isinstance(turn.feedback, dict) else []
    lines = [f"- {f['suggestion']}" for f in found]
    if isinstance(turn.pace_wpm, (int, float)):
        lines.append(f"- Pace: {turn.pace_wpm:.0f} words a minute.")
    if turn.partner:
        lines.append(f"- Your partner: *{turn.partner}*")
    return [*lines, ""] if lines else []


def to_markdown(sessions: Sequence[SessionRecord]) -> str:
    lines = ["# Reflection journal", ""]
    for session in sessions:
        lines += [f"## {_when(session.started_at)} · {session.script}", ""]
        for turn in session.turns:
            lines += _turn(turn)
        if session.script not in ("breathe", "pause") and not any(
            t.state not in ASIDES for t in session.turns
        ):
            lines += ["*(no question was answered)*", ""]
        lines += _concerns(session)
        note = STATUS_NOTES.get(session.status, "")
        lines += [f"*{note + ' ' if note else ''}Session `{session.id}`.*", ""]
    return "\n".join(lines).rstrip() + "\n"
