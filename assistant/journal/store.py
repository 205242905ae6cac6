"""The journal: sessions and their turns in a TinyDB file in the user's private data folder.

Each turn is written the moment it ends, through atomic writes, so a crash or Ctrl-C loses at most
the answer in progress.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from assistant.errors import BadInputError, JournalError
from assistant.journal.files import atomic_write, private_dir

RUNNING = "running"
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
        return data

    def write(self, data: dict[str, Any]) -> None:
        try:
            atomic_write(self._path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            raise JournalError(f"cannot write the journal {self._path}: {exc.strerror}") from None

    def close(self) -> None:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Journal:
    FILE = "journal.json"

    def __init__(self, data_dir: Path, clock: Clock = local_now) -> None:
        self.path = private_dir(data_dir) / self.FILE
        self._clock = clock
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._table = self._db.table("sessions", cache_size=0)
        self._close_abandoned()

    def _close_abandoned(self) -> None:
        """A session left `running` by a process that died (crash, SIGKILL) is `interrupted`."""
        q = Query()
        for doc in self._table.search(q.status == RUNNING):
            if not _alive(doc.get("pid", -1)):
                turns = doc.get("turns") or []
                ended = turns[-1]["at"] if turns else doc["started_at"]
                self._table.update(
                    {"status": "interrupted", "ended_at": ended, "pid": None}, q.id == doc["id"]
                )

    # -- writing a session -------------------------------------------------------------------
    def start(self, script: str) -> str:
        existing = {doc["id"] for doc in self._table.all()}
        sid = secrets.token_hex(4)
        while sid in existing:
            sid = secrets.token_hex(4)
        self._table.insert(
            {
                "id": sid,
                "script": script,
                "started_at": stamp(self._clock()),
                "ended_at": None,
                "status": RUNNING,
                "pid": os.getpid(),
                "turns": [],
            }
        )
        return sid

    def add_turn(self, sid: str, turn: dict[str, Any]) -> None:
        record = {**turn, "at": stamp(self._clock())}

        def append(doc: dict) -> None:
            doc["turns"] = [*doc["turns"], record]

        if not self._table.update(append, Query().id == sid):
            raise JournalError(f"session {sid} is not in the journal")

    def finish(self, sid: str, status: str) -> None:
        if status not in STATUSES or status == RUNNING:
            raise ValueError(status)
        self._table.update(
            {"status": status, "ended_at": stamp(self._clock()), "pid": None}, Query().id == sid
        )

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
    def forget(self, sid: str) -> None:
        self._table.remove(Query().id == sid)

    def forget_all(self) -> int:
        count = len(self._table)
        self._table.truncate()
        return count

    def close(self) -> None:
        self._db.close()
