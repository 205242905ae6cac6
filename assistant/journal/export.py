"""Exports: JSON (a contract other tools rely on) and Markdown (to read like a diary)."""

from __future__ import annotations

import json
from typing import Any

SESSION_FIELDS = ("id", "script", "started_at", "ended_at", "status", "turns")
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


def to_markdown(sessions: list[dict[str, Any]]) -> str:
    lines = ["# Reflection journal", ""]
    for session in sessions:
        day = (session.get("started_at") or "")[:16].replace("T", " ")
        lines += [f"## {day} · {session['script']}", ""]
        lines += [f"*{session['status']}* · id `{session['id']}`", ""]
        for turn in session.get("turns", []):
            lines += [f"**{turn['prompt']}**", "", turn["answer"] or "*(no answer)*", ""]
        if not session.get("turns"):
            lines += ["*(nothing was said)*", ""]
    return "\n".join(lines).rstrip() + "\n"
