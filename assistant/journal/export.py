"""Exports: JSON (a contract other tools rely on) and Markdown (to read like a diary)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from assistant.journal.schema import EXPORTED_SESSION, EXPORTED_TURN, PAUSED_STATE, SAFETY_STATE


def public(session: dict[str, Any]) -> dict[str, Any]:
    """A session as exported: the contract's fields, turns in spoken order. A turn keeps every
    key it has, the contract's first: keys added later (by newer scripts) are never dropped."""
    out = {key: session.get(key) for key in EXPORTED_SESSION}
    out["turns"] = [
        {
            **{key: turn[key] for key in EXPORTED_TURN if key in turn},
            **{key: value for key, value in turn.items() if key not in EXPORTED_TURN},
        }
        for turn in session.get("turns", [])
    ]
    return out


def to_json(sessions: list[dict[str, Any]]) -> str:
    return json.dumps({"sessions": [public(s) for s in sessions]}, indent=2, ensure_ascii=False)


STATUS_NOTES = {
    "stopped": "Stopped before the end.",
    "interrupted": "Interrupted before the end.",
    "running": "Still going when this was written.",
    "safety": "A moment of concern came up in this session.",
}
#: Turns that are replies rather than answers to a question: shown as said, under no heading.
ASIDES = {
    SAFETY_STATE: "During the check-in",
    PAUSED_STATE: "While paused",
    "breathing": "While breathing",
    "pause": "During the break",
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


def _concerns(session: dict[str, Any]) -> list[str]:
    """What came up in the safety check, by category and what became of it."""
    said = []
    for c in session.get("concerns") or []:
        if not isinstance(c, dict):
            continue
        whose = " (about someone else)" if c.get("reported") else ""
        outcome = OUTCOMES.get(c.get("outcome", ""), c.get("outcome", ""))
        said.append(f"{c.get('category')}{whose}: {outcome}")
    return [f"*Safety check: {'; '.join(said)}.*", ""] if said else []


def _when(started_at: str) -> str:
    """'Tuesday 24 November 2026, 21:04' from an ISO time (as it was then, where it was)."""
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"


def _sentence(text: str) -> str:
    """Transcripts come in lower case; a diary reads better with a capital to start. Lines of a
    typed entry become paragraphs."""
    return "\n\n".join(line[:1].upper() + line[1:] for line in text.split("\n"))


def _activity(turn: dict[str, Any]) -> list[str] | None:
    """A breathing exercise or a break, as one line of the diary."""
    b, p = turn.get("breathing"), turn.get("pause")
    if isinstance(b, dict):
        minutes = f"{(b.get('actual_s') or 0) / 60:.1f}"
        return [
            f"*Breathing ({b.get('pattern')}): {b.get('rounds_done')} of {b.get('rounds')} "
            f"rounds, {minutes} minutes, {b.get('ended')}.*", "",
        ]  # fmt: skip
    if isinstance(p, dict):
        opener = f' Suggested opener: "{p["opener"]}"' if p.get("opener") else ""
        return [f"*A {p.get('minutes')}-minute break, {p.get('ended')}.{opener}*", ""]
    return None


def _turn(turn: dict[str, Any]) -> list[str]:
    activity = _activity(turn)
    if activity is not None:
        return activity
    aside = ASIDES.get(turn.get("state", ""))
    if aside:  # "I'm fine", "yes": a reply, not an answer; the menu is no question heading
        return [f"*{aside}:* {_sentence(turn['answer'])}", ""]
    lines = [f"**{turn['prompt']}**", "", _sentence(turn["answer"]) or "*(no answer)*", ""]
    if "heard" in turn:
        lines += [f"*(corrected; first heard as: {turn['heard']})*", ""]
    return lines + _coaching(turn)


def _coaching(turn: dict[str, Any]) -> list[str]:
    """A rehearsed attempt's feedback, pace and the partner's reply, as the diary shows them."""
    lines = [f"- {f['suggestion']}" for f in (turn.get("feedback") or {}).get("findings", [])]
    if isinstance(turn.get("pace_wpm"), (int, float)):
        lines.append(f"- Pace: {turn['pace_wpm']:.0f} words a minute.")
    if turn.get("partner"):
        lines.append(f"- Your partner: *{turn['partner']}*")
    return [*lines, ""] if lines else []


def to_markdown(sessions: list[dict[str, Any]]) -> str:
    lines = ["# Reflection journal", ""]
    for session in sessions:
        lines += [f"## {_when(session.get('started_at') or '')} · {session['script']}", ""]
        for turn in session.get("turns", []):
            lines += _turn(turn)
        if session.get("script") not in ("breathe", "pause") and not any(
            t.get("state") not in ASIDES for t in session.get("turns", [])
        ):
            lines += ["*(no question was answered)*", ""]
        lines += _concerns(session)
        note = STATUS_NOTES.get(session["status"], "")
        lines += [f"*{note + ' ' if note else ''}Session `{session['id']}`.*", ""]
    return "\n".join(lines).rstrip() + "\n"
