"""What each journal file must hold; a file that is JSON but not this is damaged, and is refused
before anything reads it or writes over it. Each check returns the problem, or "" if none. The
fields and their types are the records' own declarations (records.py)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from assistant.journal.records import (
    STATUS_WORDS,
    SessionMeta,
    SessionRecord,
    Stored,
    Summary,
    Turn,
    spec_of,
)


def fits(record: Any, kind: type[Stored]) -> bool:
    """True when `record` has every required field of `kind`, and every checked one present, of
    its type. Other fields are left alone (older journals and newer keys)."""
    if not isinstance(record, dict):
        return False
    for f in fields(kind):
        kinds, required = spec_of(f).check, spec_of(f).required
        if required or (kinds and f.name in record):
            value = record.get(f.name)
            if isinstance(value, bool) and bool not in kinds:
                return False
            if not isinstance(value, kinds):
                return False
    return True


def _session(doc: Any, kind: type[SessionMeta]) -> bool:
    return fits(doc, kind) and doc.get("status") in STATUS_WORDS


def check_index(data: dict[str, Any]) -> str:
    for doc in data.get("sessions", {}).values():
        if not _session(doc, Summary):
            return f"entry {doc.get('id', '?')!r} is incomplete"
    return ""


def check_session(data: dict[str, Any]) -> str:
    metas = list(data.get("session", {}).values())
    if len(metas) != 1 or not _session(metas[0], SessionMeta):
        return "its session record is missing or incomplete"
    if not all(fits(t, Turn) for t in data.get("turns", {}).values()):
        return "a turn is incomplete"
    return ""


def check_legacy(data: dict[str, Any]) -> str:
    """journal.json as written before the index: every session with its turns inside."""
    for doc in data.get("sessions", {}).values():
        if not _session(doc, SessionRecord) or not all(fits(t, Turn) for t in doc["turns"]):
            return f"session {doc.get('id', '?')!r} is incomplete"
    return ""


def check_settings(data: dict[str, Any]) -> str:
    if not set(data) <= {"flags", "config"} or any(len(t) > 1 for t in data.values()):
        return "not the settings of a journal"
    return ""
