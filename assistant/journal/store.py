"""The journal: sessions and their turns in a TinyDB file in the user's private data folder.

Each turn is written the moment it ends, through atomic writes, so a crash or Ctrl-C loses at most
the answer in progress.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from assistant.errors import BadInputError, JournalError
from assistant.journal.files import atomic_write, private_dir
from assistant.journal.owner import owner_alive, process_token

RUNNING = "running"
TURN_KEYS = ("prompt", "answer", "at")
STATUSES = ("completed", "stopped", "interrupted", RUNNING)
Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class AtomicJSONStorage(Storage):
    """TinyDB's JSONStorage rewrites its file in place; this one replaces it atomically."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise JournalError(f"cannot read the journal {self._path}: {exc.strerror}") from None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise JournalError(
                f"the journal {self._path} is damaged (not JSON); it was left untouched"
            ) from None
        if not isinstance(data, dict):
            raise JournalError(f"the journal {self._path} is damaged; it was left untouched")
        _check(self._path, data)
        return data

    def write(self, data: dict[str, Any]) -> None:
        try:
            atomic_write(self._path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            raise JournalError(f"cannot write the journal {self._path}: {exc.strerror}") from None

    def close(self) -> None:
        pass


def _check(path: Path, data: dict[str, Any]) -> None:
    """Refuse a file that is JSON but not a journal, before anything reads or rewrites it."""

    def damaged(why: str) -> JournalError:
        return JournalError(f"the journal {path} is damaged ({why}); it was left untouched")

    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise damaged(f"table {name!r} is not a set of records")
    for doc in data.get("sessions", {}).values():
        ok = (
            all(isinstance(doc.get(k), str) for k in ("id", "script", "started_at"))
            and doc.get("status") in STATUSES
            and isinstance(doc.get("turns"), list)
            and all(
                isinstance(t, dict) and all(isinstance(t.get(k), str) for k in TURN_KEYS)
                for t in doc["turns"]
            )
        )
        if not ok:
            raise damaged(f"session {doc.get('id', '?')!r} is incomplete")


class Journal:
    FILE = "journal.json"

    def __init__(self, data_dir: Path, clock: Clock = local_now, create: bool = True) -> None:
        """Open the journal in `data_dir`; with create=False (reading commands) a folder that
        does not exist yet is left uncreated and the journal is simply empty."""
        if create or data_dir.exists():
            private_dir(data_dir, self.FILE)
        self.path = data_dir / self.FILE
        self._clock = clock
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._table = self._db.table("sessions", cache_size=0)
        self._close_abandoned()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Each change is read-modify-write of the file; a lock on the folder keeps two processes
        (a session and `reflect forget`, or two sessions) from losing each other's writes."""
        try:
            fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError as exc:
            raise JournalError(f"cannot open {self.path.parent}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _close_abandoned(self) -> None:
        """A session left `running` by a process that died (crash, SIGKILL) is `interrupted`."""
        q = Query()
        if not self._table.search(q.status == RUNNING):
            return
        with self._writing():
            for doc in self._table.search(q.status == RUNNING):
                if not owner_alive(doc.get("owner", "")):
                    turns = doc.get("turns") or []
                    ended = turns[-1]["at"] if turns else doc["started_at"]
                    change = {"status": "interrupted", "ended_at": ended, "owner": None}
                    self._table.update(change, q.id == doc["id"])

    # -- writing a session -------------------------------------------------------------------
    def start(self, script: str) -> str:
        with self._writing():
            docs = self._table.all()
            existing = {doc["id"] for doc in docs}
            sid = secrets.token_hex(4)
            while sid in existing:
                sid = secrets.token_hex(4)
            record = {
                "id": sid,
                "script": script,
                "started_at": stamp(self._clock()),
                "ended_at": None,
                "status": RUNNING,
                "owner": process_token(),
                "turns": [],
            }
            # The document number comes from the file as it is now, not from TinyDB's cached
            # counter, which another process may have used meanwhile.
            doc_id = max((doc.doc_id for doc in docs), default=0) + 1
            self._table.insert(Document(record, doc_id=doc_id))
        return sid

    def add_turn(self, sid: str, turn: dict[str, Any]) -> None:
        record = {**turn, "at": stamp(self._clock())}

        def append(doc: dict) -> None:
            doc["turns"] = [*doc["turns"], record]

        with self._writing():
            if not self._table.update(append, Query().id == sid):
                raise JournalError(f"session {sid} is not in the journal")

    def finish(self, sid: str, status: str) -> None:
        if status not in STATUSES or status == RUNNING:
            raise ValueError(status)
        change = {"status": status, "ended_at": stamp(self._clock()), "owner": None}
        with self._writing():
            self._table.update(change, Query().id == sid)

    # -- reading -----------------------------------------------------------------------------
    def sessions(self) -> list[dict[str, Any]]:
        docs = [dict(doc) for doc in self._table.all()]
        return sorted(docs, key=lambda d: d["started_at"])

    def find(self, id_prefix: str) -> dict[str, Any]:
        matches = [d for d in self.sessions() if d["id"].startswith(id_prefix.lower())]
        if not matches or not id_prefix:
            raise BadInputError(f"no session {id_prefix!r}; `reflect history` lists them")
        if len(matches) > 1:
            raise BadInputError(
                f"{id_prefix!r} matches {len(matches)} sessions; give more of the id"
            )
        return matches[0]

    # -- deleting ----------------------------------------------------------------------------
    @staticmethod
    def _live(doc: dict[str, Any]) -> bool:
        """Still being written by a session running in another window."""
        return doc.get("status") == RUNNING and owner_alive(doc.get("owner") or "")

    def forget(self, sid: str) -> None:
        with self._writing():
            for doc in self._table.search(Query().id == sid):
                if self._live(doc):
                    raise BadInputError(
                        f"session {sid} is still running; end it first (say stop), then forget it"
                    )
            self._table.remove(Query().id == sid)

    def forget_all(self) -> tuple[int, int]:
        """Delete every session but those still running; returns (deleted, kept running)."""
        if not len(self._table):
            return 0, 0
        with self._writing():
            live = {doc["id"] for doc in self._table.all() if self._live(doc)}
            removed = self._table.remove(lambda doc: doc["id"] not in live)
        return len(removed), len(live)

    def close(self) -> None:
        self._db.close()
