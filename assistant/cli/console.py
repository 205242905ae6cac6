"""The terminal: prompts and answers on stdout (the results), live partials and notes on stderr."""

from __future__ import annotations

import re
import shutil
import sys
from typing import TextIO

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


class Console:
    def __init__(self, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self._out = out
        self._err = err
        self._live = err.isatty()  # partial lines only make sense on a terminal
        self._partial_shown = False

    def _clear_partial(self) -> None:
        if self._partial_shown:
            self._err.write("\r\033[K")
            self._err.flush()
            self._partial_shown = False

    def prompt(self, text: str) -> None:
        self._clear_partial()
        print(f"» {text}", file=self._out, flush=True)

    def clearly(self, text: str) -> None:
        """What must be taken in (where help is): set apart, one sentence per line."""
        self._clear_partial()
        lines = "".join(f"» {sentence}\n" for sentence in _SENTENCE_END.split(text.strip()))
        print(f"\n{lines}", end="", file=self._out, flush=True)

    def answer(self, text: str) -> None:
        self._clear_partial()
        print(f"  you: {text}", file=self._out, flush=True)

    def partial(self, text: str) -> None:
        if not self._live or not text:
            return
        width = max(20, shutil.get_terminal_size().columns - 6)
        shown = text if len(text) <= width else "…" + text[-width + 1 :]
        self._err.write(f"\r\033[K  … {shown}")
        self._err.flush()
        self._partial_shown = True

    def note(self, text: str) -> None:
        self._clear_partial()
        print(f"reflect: {text}", file=self._err, flush=True)
