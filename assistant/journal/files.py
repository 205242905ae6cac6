"""Private files: folders only the user can enter, files only the user can read, atomic writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Create (or tighten) a folder to 0700, whatever the umask."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Write a temporary 0600 file beside `path`, fsync it, rename it over `path`, fsync the folder.

    A crash at any point leaves either the old file or the new one, never a torn one.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
