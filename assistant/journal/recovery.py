"""Bringing the journal folder to a consistent state on every open, whatever was cut short last
time: temporary files of killed writes, a journal from before the index, an index that lost
track of a session file, a deletion half done, sessions whose process died.

The session files are the truth and the index is derived from them, so each of these is
repaired from the session files alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tinydb import Query
from tinydb.table import Table

from assistant.base.errors import JournalError
from assistant.journal import session_file
from assistant.journal.files import is_temporary, private_subdir, sync_dir
from assistant.journal.folder import (
    AUDIO,
    BACKUPS,
    INDEX,
    LEGACY,
    SESSIONS,
    JournalFolder,
    session_name,
)
from assistant.journal.records import SessionRecord, Status
from assistant.journal.storage import DamagedFile
from assistant.journal.validate import check_legacy


def tidy(folder: JournalFolder) -> None:
    """Call inside folder.writing()."""
    for path in (folder.dir, *(folder.dir / name for name in (SESSIONS, AUDIO, BACKUPS))):
        if path.is_dir():
            for entry in path.iterdir():
                if is_temporary(entry.name):  # a write killed before its rename: never needed
                    entry.unlink(missing_ok=True)
    if (folder.dir / LEGACY).exists():
        migrate_legacy(folder)
    index = folder.index
    on_disk = folder.session_ids()
    listed = {doc["id"] for doc in index.all()}
    for sid in sorted(on_disk - listed):  # start() killed after the session file
        try:
            found = session_file.meta(folder, sid).listed(len(session_file.turns(folder, sid)))
            session_file.insert_summary(index, found)
        except DamagedFile as exc:
            folder.warn(f"{folder.damaged(exc)}; it is not listed")
    stale = listed - on_disk  # forget() killed after deleting the session file
    if stale:
        index.remove(lambda doc: doc["id"] in stale)
    for audio in (folder.dir / AUDIO).glob("*.wav"):  # forget() killed before the session file
        if audio.stem not in on_disk:
            audio.unlink()
    for doc in index.search(Query().status == Status.RUNNING.value):
        if not session_file.live(doc):
            try:
                settle(folder, index, doc["id"])
            except DamagedFile as exc:
                folder.warn(str(folder.damaged(exc)))


def settle(folder: JournalFolder, index: Table, sid: str) -> None:
    """An index entry still `running` whose process is gone: if the session file says how it
    ended (killed between the two writes of finish()), the index follows it; if not, the
    process died mid-session (crash, SIGKILL) and the session is `interrupted`, or dropped when
    nothing had been said yet (as finish() drops an empty session)."""
    meta, turns = session_file.meta(folder, sid), session_file.turns(folder, sid)
    if meta.status is Status.RUNNING and not turns:  # died before its first answer: not kept
        (folder.dir / AUDIO / f"{sid}.wav").unlink(missing_ok=True)
        (folder.dir / session_name(sid)).unlink()
        sync_dir(folder.dir / SESSIONS)
        index.remove(Query().id == sid)
        return
    if meta.status is Status.RUNNING:
        ended = turns[-1]["at"] if turns else meta.started_at
        meta = replace(meta, status=Status.INTERRUPTED, ended_at=ended, owner=None)
        session_file.update_meta(folder, sid, meta)
    index.update(meta.listed(len(turns)).to_dict(), Query().id == sid)


def migrate_legacy(folder: JournalFolder) -> None:
    """Journals written before the index (one journal.json) move to the per-session layout;
    journal.json goes only once everything is written, so a crash here just repeats it."""
    import_sessions(folder, folder.table(LEGACY, "sessions", check_legacy).all())
    (folder.dir / LEGACY).unlink()
    sync_dir(folder.dir)


def import_sessions(folder: JournalFolder, sessions: Sequence[dict[str, Any]]) -> None:
    """Each session file, then the index in one write (replacing entries of the same id).
    `sessions` in their stored form, checked already (validate.check_legacy)."""
    private_subdir(folder.dir / SESSIONS)
    records = [SessionRecord.from_dict(doc) for doc in sessions]
    for record in records:
        session_file.write_session(folder, record)
    index = folder.index
    new = {r.id: r.listed(len(r.turns)).to_dict() for r in records}
    kept = [dict(d) for d in sorted(index.all(), key=lambda d: d.doc_id) if d["id"] not in new]
    rows = [*kept, *new.values()]
    index.storage.write({"sessions": {str(i): row for i, row in enumerate(rows, 1)}})


def put_index_aside(folder: JournalFolder) -> None:
    """`reflect repair`: a damaged index is copied to backups/ and removed, for tidy() to
    rebuild from the session files."""
    try:
        folder.index.all()
    except DamagedFile as exc:
        copied = folder.backup(exc.path)
        if not copied.startswith("; a copy is in"):
            raise JournalError(f"{exc}{copied}; the index was not rebuilt") from None
        folder.warn(f"{exc}{copied}; rebuilding it from the session files")
        (folder.dir / INDEX).unlink()
