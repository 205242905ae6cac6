"""A session's file (its record and its turns) and its entry in the index."""

from __future__ import annotations

from typing import Any

from tinydb.table import Document, Table

from assistant.base.errors import JournalError
from assistant.journal.folder import JournalFolder
from assistant.journal.owner import owner_alive
from assistant.journal.records import SessionMeta, SessionRecord, Status, Summary


def live(doc: dict[str, Any]) -> bool:
    """Still being written by a session running in another window."""
    return doc.get("status") == Status.RUNNING.value and owner_alive(doc.get("owner") or "")


def meta(folder: JournalFolder, sid: str) -> SessionMeta:
    docs = folder.session_db(sid).table("session", cache_size=0).all()
    if not docs:  # deleted meanwhile (`reflect forget` in another window)
        raise JournalError(f"session {sid} is no longer in the journal")
    return SessionMeta.from_dict(docs[0])


def turns(folder: JournalFolder, sid: str) -> list[dict[str, Any]]:
    docs = folder.session_db(sid).table("turns", cache_size=0).all()
    return [dict(d) for d in sorted(docs, key=lambda d: d.doc_id)]


def load(folder: JournalFolder, sid: str) -> SessionRecord:
    """The whole session from one read of its file (export reads thousands of them)."""
    data = folder.session_db(sid).storage.read() or {}
    metas = list(data.get("session", {}).values())
    if not metas:  # deleted meanwhile (`reflect forget` in another window)
        raise JournalError(f"session {sid} is no longer in the journal")
    by_number = sorted(data.get("turns", {}).items(), key=lambda item: int(item[0]))
    return SessionRecord.from_dict({**metas[0], "turns": [turn for _, turn in by_number]})


def update_meta(folder: JournalFolder, sid: str, session: SessionMeta) -> None:
    folder.session_db(sid).table("session", cache_size=0).update(session.meta())


def write_session(folder: JournalFolder, session: SessionRecord) -> None:
    """A whole session file in one write."""
    folder.session_db(session.id).storage.write(
        {
            "session": {"1": session.meta()},
            "turns": {str(i): t.to_dict() for i, t in enumerate(session.turns, 1)},
        }
    )


def insert_summary(index: Table, summary: Summary) -> None:
    # Numbered from the file as it is now: another process may have added entries since this
    # one last read it.
    doc_id = max((d.doc_id for d in index.all()), default=0) + 1
    index.insert(Document(summary.to_dict(), doc_id=doc_id))
