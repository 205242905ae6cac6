"""Private files: folders only the user can enter, files only the user can read, atomic writes."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from assistant.base.errors import JournalError

TEMP_SUFFIX = ".tmp"


def private_dir(path: Path, ours: tuple[str, ...]) -> Path:
    """Create the journal folder 0700 whatever the umask, or tighten an existing one.

    An existing folder is only used if it is empty or holds nothing but journal entries (`ours`,
    and their temporary files): pointing --data-dir at a shared folder such as /tmp or ~ must not
    change its rights.
    """
    try:
        if not path.exists():
            path.mkdir(parents=True, mode=0o700, exist_ok=True)  # another process may race us
            sync_dir(path.parent)  # the new folder survives a power cut
        elif not path.is_dir():
            raise JournalError(f"{path} is not a folder; give --data-dir a folder for the journal")
        elif not all(_is_ours(p.name, ours) for p in path.iterdir()):
            raise JournalError(
                f"{path} already holds other files; give --data-dir a new or empty folder"
            )
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            os.chmod(path, 0o700)
    except OSError as exc:
        raise JournalError(f"cannot use {path} for the journal: {exc.strerror}") from None
    return path


def _is_ours(name: str, ours: tuple[str, ...]) -> bool:
    # a temporary file of ours may be there too: another process may be writing the first file
    return name in ours or (is_temporary(name) and any(name.startswith(f".{o}.") for o in ours))


def is_temporary(name: str) -> bool:
    """A file atomic_write left behind when it was killed: never needed, as rename commits."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def private_subdir(path: Path) -> Path:
    """A folder inside the journal folder, 0700."""
    try:
        if not path.is_dir():
            path.mkdir(mode=0o700, exist_ok=True)
            sync_dir(path.parent)
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            os.chmod(path, 0o700)
    except OSError as exc:
        raise JournalError(f"cannot use {path} for the journal: {exc.strerror}") from None
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Write a temporary 0600 file beside `path`, fsync it, rename it over `path`, fsync the folder.

    A crash at any point leaves either the old file or the new one, never a torn one.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as out:  # mkstemp creates the file 0600
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    sync_dir(path.parent)


def sync_dir(path: Path) -> None:
    """Make a rename or unlink in `path` durable."""
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
