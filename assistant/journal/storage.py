"""A TinyDB storage that writes atomically, seals its file when the journal is locked, and
refuses to read (or ever write over) a file that is damaged.

TinyDB's own JSONStorage rewrites the file in place, so a crash mid-write tears it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from assistant.base.errors import JournalError
from assistant.journal.crypto import PLAIN, Codec, Undecryptable
from assistant.journal.files import atomic_write

#: Checks the decoded contents; returns what is wrong with them, or "" when they are fine.
Validator = Callable[[dict[str, Any]], str]


class DamagedFile(JournalError):
    """A journal file that cannot be trusted; it is never written over."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"the journal file {path} is damaged ({why})")
        self.path = path
        self.why = why


class SealedJSONStorage(Storage):
    def __init__(
        self, path: str | Path, name: str, codec: Codec = PLAIN, validate: Validator | None = None
    ) -> None:
        """`name` is the file's place in the journal folder (bound to its ciphertext)."""
        self._path = Path(path)
        self._name = name
        self._codec = codec
        self._validate = validate

    def read(self) -> dict[str, Any] | None:
        try:
            stored = self._path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise JournalError(f"cannot read {self._path}: {exc.strerror}") from None
        if not stored:
            # Never produced by an atomic write, so it is damage too (e.g. a copy cut short).
            raise DamagedFile(self._path, "empty")
        data = decode(self._path, stored, self._name, self._codec)
        problem = self._validate(data) if self._validate else ""
        if problem:
            raise DamagedFile(self._path, problem)
        return data

    def write(self, data: dict[str, Any]) -> None:
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            atomic_write(self._path, self._codec.encode(raw, self._name))
        except OSError as exc:
            raise JournalError(f"cannot write {self._path}: {exc.strerror}") from None

    def close(self) -> None:
        pass


def decode(path: Path, stored: bytes, name: str, codec: Codec) -> dict[str, Any]:
    """Stored bytes -> the JSON mapping, or DamagedFile saying why not."""
    try:
        raw = codec.decode(stored, name)
    except Undecryptable as exc:
        raise DamagedFile(path, str(exc)) from None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DamagedFile(path, "not JSON, perhaps cut short") from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise DamagedFile(path, "not a set of TinyDB tables")
    return data
