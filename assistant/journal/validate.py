"""What each journal file must hold; a file that is JSON but not this is damaged, and is refused
before anything reads it or writes over it. Each check returns the problem, or "" if none."""

from __future__ import annotations

from typing import Any

from assistant.journal.schema import SESSION, STATUSES, TURN, fits


def _session_meta(doc: Any) -> bool:
    return fits(doc, SESSION) and doc.get("status") in STATUSES


def _turn(turn: Any) -> bool:
    return fits(turn, TURN)


def check_index(data: dict[str, Any]) -> str:
    for doc in data.get("sessions", {}).values():
        if not _session_meta(doc) or not isinstance(doc.get("answers"), int):
            return f"entry {doc.get('id', '?')!r} is incomplete"
    return ""


def check_session(data: dict[str, Any]) -> str:
    metas = list(data.get("session", {}).values())
    if len(metas) != 1 or not _session_meta(metas[0]):
        return "its session record is missing or incomplete"
    if not all(_turn(t) for t in data.get("turns", {}).values()):
        return "a turn is incomplete"
    return ""


def check_legacy(data: dict[str, Any]) -> str:
    """journal.json as written before the index: every session with its turns inside."""
    for doc in data.get("sessions", {}).values():
        turns = doc.get("turns")
        if not _session_meta(doc) or not isinstance(turns, list) or not all(map(_turn, turns)):
            return f"session {doc.get('id', '?')!r} is incomplete"
    return ""


def check_settings(data: dict[str, Any]) -> str:
    if not set(data) <= {"flags", "config"} or any(len(t) > 1 for t in data.values()):
        return "not the settings of a journal"
    return ""
