"""Long output on a terminal goes through a pager ($PAGER, else less), as git does."""

from __future__ import annotations

import os
import pydoc
import shutil
import sys


def show(text: str) -> None:
    """Print `text`; on a terminal, page it when it is taller than the window."""
    if not sys.stdout.isatty() or text.count("\n") < shutil.get_terminal_size().lines - 1:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    # less: keep colours (-R), leave the text on screen (-X), quit if it fits after all (-F)
    os.environ.setdefault("LESS", "-FRX")
    pydoc.pager(text)
