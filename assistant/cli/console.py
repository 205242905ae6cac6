"""The terminal: prompts and answers on stdout (the results), live partials and notes on stderr."""

from __future__ import annotations

import re
import shutil
import sys
from typing import TextIO

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
#: "say skip", "You can say repeat, ... or stop": to someone typing, "type skip".
_SAY_COMMAND = re.compile(
    r"\b([Ss])ay(?= (?:repeat|skip|go back|pause|stop|breathe|continue|words|that's all|yes)\b)"
)


def typed_wording(text: str) -> str:
    """A prompt as shown to someone typing: the commands are typed, not said."""
    return _SAY_COMMAND.sub(lambda m: "Type" if m[1] == "S" else "type", text)


class Console:
    def __init__(self, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> None:
        self._out = out
        self._err = err
        self._live = err.isatty()  # partial lines only make sense on a terminal
        self._partial_shown = False
        #: Answers are typed (--typed): prompts say "type stop"; at a terminal what was typed
        #: is on the screen already, so it is not shown again.
        self.typing = False
        self.typing_at_terminal = False

    def _clear_partial(self) -> None:
        if self._partial_shown:
            self._err.write("\r\033[K")
            self._err.flush()
            self._partial_shown = False

    def prompt(self, text: str) -> None:
        self._clear_partial()
        print(f"» {self._worded(text)}", file=self._out, flush=True)

    def clearly(self, text: str) -> None:
        """What must be taken in (where help is): set apart, one sentence per line."""
        self._clear_partial()
        sentences = _SENTENCE_END.split(self._worded(text).strip())
        lines = "".join(f"» {sentence}\n" for sentence in sentences)
        print(f"\n{lines}", end="", file=self._out, flush=True)

    def answer(self, text: str) -> None:
        if self.typing_at_terminal:
            return
        self._clear_partial()
        shown = text.replace("\n", "\n       ")  # a long entry's lines stay under its first
        print(f"  you: {shown}", file=self._out, flush=True)

    def _worded(self, text: str) -> str:
        return typed_wording(text) if self.typing else text

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
