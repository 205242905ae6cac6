"""Locking and unlocking the journal folder: every file sealed or opened, one at a time.

The lock file is written first and carries a `state` ("locking" / "unlocking") until every file
is done, so a kill halfway leaves whole files, each sealed or plain, and the next open (with the
passphrase) finishes the job.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from assistant.base.errors import BadInputError, PassphraseError
from assistant.journal import crypto, session_file
from assistant.journal.crypto import PLAIN, Codec
from assistant.journal.files import atomic_write, sync_dir
from assistant.journal.folder import BACKUPS, JournalFolder
from assistant.journal.storage import DamagedFile


def open_lock(folder: JournalFolder, passphrase: Callable[[], str] | None) -> str:
    """Set the folder's codec from its lock; returns "locking" or "unlocking" when it had to
    finish one that was cut short, else ""."""
    record = folder.read_lock()
    if record is None:
        folder.codec = PLAIN
        return ""
    if passphrase is None:
        raise PassphraseError(
            "the journal is locked; give its passphrase (REFLECT_PASSPHRASE, or run on a terminal)"
        )
    tries = getattr(passphrase, "tries", 1)  # a person at a terminal may mistype it
    for attempt in range(1, tries + 1):
        given = passphrase()  # no passphrase at all is an error of its own, not retried
        try:
            folder.codec = crypto.open_lock(record, given)
            break
        except PassphraseError:
            if attempt == tries:
                raise
    state = record.get("state", "")
    if state in ("locking", "unlocking"):
        with folder.writing():
            convert(folder, folder.codec if state == "locking" else PLAIN, record)
    return state


def lock(folder: JournalFolder, new_passphrase: str) -> int:
    """Seal every file with a key from `new_passphrase`; returns how many were sealed."""
    if folder.codec.locked:
        raise BadInputError("the journal is already locked; `reflect unlock` opens it")
    record, codec = crypto.new_lock(new_passphrase)
    with folder.writing():
        _refuse_if_running(folder, "lock the journal")
        lock_path = folder.dir / crypto.LOCK_FILE
        atomic_write(lock_path, crypto.dump_lock({**record, "state": "locking"}))
        return convert(folder, codec, record)


def unlock(folder: JournalFolder) -> int:
    """Store every file in plain text again and drop the lock; returns how many changed."""
    if not folder.codec.locked:
        raise BadInputError("the journal is not locked")
    with folder.writing():
        _refuse_if_running(folder, "unlock the journal")
        record = folder.read_lock() or {}
        lock_path = folder.dir / crypto.LOCK_FILE
        atomic_write(lock_path, crypto.dump_lock({**record, "state": "unlocking"}))
        return convert(folder, PLAIN)


def convert(folder: JournalFolder, target: Codec, record: dict[str, Any] | None = None) -> int:
    """Rewrite every file for `target` (sealed or plain), each atomically; then finish the lock
    file (or remove it). Returns how many files changed."""
    changed = 0
    for path in folder.files():
        name, stored = folder.name_of(path), path.read_bytes()
        if crypto.is_sealed(stored) == target.locked:
            continue  # done before a kill
        try:
            plain = folder.codec.decode(stored, name)
        except crypto.Undecryptable as exc:
            if not name.startswith(f"{BACKUPS}/"):  # a copy of a damaged file stays as it is
                folder.warn(f"{folder.damaged(DamagedFile(path, str(exc)))}; left as it was")
            continue
        atomic_write(path, target.encode(plain, name))
        changed += 1
    lock_path = folder.dir / crypto.LOCK_FILE
    if target.locked:
        done = {k: v for k, v in (record or {}).items() if k != "state"}
        atomic_write(lock_path, crypto.dump_lock(done))
        target = dataclasses.replace(target, accept_plain=False)
    else:
        lock_path.unlink(missing_ok=True)
        sync_dir(folder.dir)
    folder.codec = target
    return changed


def _refuse_if_running(folder: JournalFolder, what: str) -> None:
    """A running session holds the old key (or none): it must end first."""
    live = [doc["id"] for doc in folder.index.all() if session_file.live(doc)]
    if live:
        raise BadInputError(
            f"session {live[0]} is still running; end it first (say stop), then {what}"
        )
