"""The journal folder: where each file lives, the key it is sealed with, the lock that keeps
writers apart, and what happens to a damaged file (a copy in backups/, then one clear error).

Layout (0700; every file 0600, written atomically, sealed when the journal is locked):
    index.json          one summary per session (what `reflect history` lists), no answers
    sessions/ID.json    one session: its summary and its turns
    settings.json       the user's settings (`reflect setup`) and small remembered flags
    audio/ID.wav        a session's microphone audio, only with --keep-audio
    backups/            copies of damaged files, made before reporting them
    lock.json           only when locked: salt and check value (see crypto.py)
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from assistant.base.errors import JournalError
from assistant.journal import crypto
from assistant.journal.crypto import PLAIN, Codec
from assistant.journal.files import atomic_write, is_temporary, private_subdir
from assistant.journal.storage import DamagedFile, SealedJSONStorage
from assistant.journal.validate import check_index, check_session

INDEX, SETTINGS, LEGACY = "index.json", "settings.json", "journal.json"
SESSIONS, AUDIO, BACKUPS = "sessions", "audio", "backups"
#: Entries of a journal folder; a folder holding anything else is not taken over.
OURS = (INDEX, SETTINGS, LEGACY, crypto.LOCK_FILE, SESSIONS, AUDIO, BACKUPS)
SESSION_ID = re.compile(r"[0-9a-f]{8}")
REPAIR_HINT = "; `reflect repair` rebuilds the index from the session files"

Validator = Callable[[dict[str, Any]], str]


class JournalFolder:
    def __init__(self, path: Path, warn: Callable[[str], None]) -> None:
        self.dir = path
        self.codec: Codec = PLAIN
        self.warn = warn  # hears of damaged files that are skipped rather than fatal

    # -- files -------------------------------------------------------------------------------
    def db(self, name: str, validate: Validator) -> TinyDB:
        """The TinyDB file at `name` (relative to the folder), sealed with the current key."""
        return TinyDB(
            self.dir / name, storage=SealedJSONStorage, name=name, codec=self.codec,
            validate=validate,
        )  # fmt: skip

    def table(self, name: str, table: str, validate: Validator) -> Table:
        # cache_size=0: another process may change the file between two reads
        return self.db(name, validate).table(table, cache_size=0)

    @property
    def index(self) -> Table:
        return self.table(INDEX, "sessions", check_index)

    def session_db(self, sid: str) -> TinyDB:
        return self.db(session_name(sid), check_session)

    def session_ids(self) -> set[str]:
        """The sessions that have a file, listed in the index or not."""
        folder = self.dir / SESSIONS
        if not folder.is_dir():
            return set()
        return {p.stem for p in folder.iterdir() if p.suffix == ".json" and is_session_id(p.stem)}

    def files(self) -> Iterator[Path]:
        """Every file of the journal but the lock file and temporary files."""
        for path in sorted(self.dir.rglob("*")):
            if path.is_file() and path.name != crypto.LOCK_FILE and not is_temporary(path.name):
                yield path

    def name_of(self, path: Path) -> str:
        return path.relative_to(self.dir).as_posix()

    # -- writers take turns ------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Each change is read-modify-write of a file; a lock on the folder keeps two processes
        (a session and `reflect forget`, or two sessions) from losing each other's writes."""
        try:
            fd = os.open(self.dir, os.O_RDONLY)
        except OSError as exc:
            raise JournalError(f"cannot open {self.dir}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self.check_lock()
            yield
        except DamagedFile as exc:
            raise self.damaged(exc, REPAIR_HINT if exc.path == self.dir / INDEX else "") from None
        finally:
            os.close(fd)  # releases the lock

    def check_lock(self) -> None:
        """The key in hand must belong to the lock on disk: another command may have locked,
        unlocked or locked again (a new salt) since this one opened the journal."""
        if crypto.lock_salt(self.read_lock()) != self.codec.salt:
            raise JournalError(
                "the journal was locked or unlocked by another command meanwhile; nothing was "
                "changed; run this one again"
            )

    def read_lock(self) -> dict[str, Any] | None:
        path = self.dir / crypto.LOCK_FILE
        try:
            return crypto.read_lock(path)
        except crypto.Undecryptable as exc:
            raise self.damaged(DamagedFile(path, str(exc))) from None

    # -- damaged files -----------------------------------------------------------------------
    def damaged(self, exc: DamagedFile, hint: str = "") -> JournalError:
        """The error for a damaged file, once a copy of it is safe in backups/."""
        return JournalError(f"{exc}; it was left untouched{self.backup(exc.path)}{hint}")

    def backup(self, path: Path) -> str:
        """Copy a damaged file into backups/ (never touching it); says where the copy is."""
        try:
            stored = path.read_bytes()
            folder = private_subdir(self.dir / BACKUPS)
            digest = hashlib.sha256(stored).hexdigest()[:12]
            copy = folder / f"{self.name_of(path).replace('/', '-')}.{digest}.damaged"
            if not copy.exists():  # the same damage seen again reuses its copy
                atomic_write(copy, self._copy_of(stored, path, copy))
        except (OSError, JournalError) as exc:
            return f"; no copy could be made ({getattr(exc, 'strerror', None) or exc})"
        return f"; a copy is in {copy}"

    def _copy_of(self, stored: bytes, path: Path, copy: Path) -> bytes:
        """In a locked journal the copy is sealed under its own name (so unlock can open it),
        unless it does not decrypt at all: then it is kept byte for byte."""
        if not self.codec.locked:
            return stored
        try:
            any_codec = dataclasses.replace(self.codec, accept_plain=True)
            plain = any_codec.decode(stored, self.name_of(path))
        except crypto.Undecryptable:
            return stored
        return self.codec.encode(plain, self.name_of(copy))


def is_session_id(text: str) -> bool:
    return SESSION_ID.fullmatch(text) is not None


def session_name(sid: str) -> str:
    """Where a session's file is; the id is checked, as it becomes part of a path."""
    if not is_session_id(sid):
        raise JournalError(f"{sid!r} is not a session id")
    return f"{SESSIONS}/{sid}.json"
