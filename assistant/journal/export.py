"""Exports: JSON (a contract other tools rely on) and Markdown (to read like a diary)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

SESSION_FIELDS = ("id", "script", "started_at", "ended_at", "status", "safety", "turns")
TURN_FIELDS = ("state", "prompt", "answer", "start_s", "end_s", "at")


def public(session: dict[str, Any]) -> dict[str, Any]:
    """A session as exported: the contract's fields only, turns in spoken order."""
    out = {key: session.get(key) for key in SESSION_FIELDS}
    out["turns"] = [
        {key: turn[key] for key in TURN_FIELDS if key in turn} for turn in session.get("turns", [])
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


def _when(started_at: str) -> str:
    """'Tuesday 24 November 2026, 21:04' from an ISO time (as it was then, where it was)."""
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"


def _sentence(text: str) -> str:
    """Transcripts come in lower case; a diary reads better with a capital to start."""
    return text[:1].upper() + text[1:]


def to_markdown(sessions: list[dict[str, Any]]) -> str:
    lines = ["# Reflection journal", ""]
    for session in sessions:
        lines += [f"## {_when(session.get('started_at') or '')} · {session['script']}", ""]
        for turn in session.get("turns", []):
            lines += [f"**{turn['prompt']}**", "", _sentence(turn["answer"]) or "*(no answer)*", ""]
        if not session.get("turns"):
            lines += ["*(nothing was said)*", ""]
        note = STATUS_NOTES.get(session["status"], "")
        lines += [f"*{note + ' ' if note else ''}Session `{session['id']}`.*", ""]
    return "\n".join(lines).rstrip() + "\n"
