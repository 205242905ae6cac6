"""Asking for the journal's passphrase: REFLECT_PASSPHRASE, else the terminal (never echoed),
where a mistyped one may be tried again, up to TRIES times.

Standard input is not used: in --typed sessions it carries the answers.
"""

from __future__ import annotations

import getpass
import os
import sys

from assistant.base.errors import PassphraseError
from assistant.journal.crypto import MIN_PASSPHRASE

ENV = "REFLECT_PASSPHRASE"
#: Tries on a terminal before giving up (a passphrase from ENV is tried once).
TRIES = 3


def _has_terminal() -> bool:
    try:
        with open("/dev/tty"):
            return True
    except OSError:
        return False


def _terminal(prompt: str, missing: str) -> str:
    """Ask on the terminal; `missing` is the error when there is none."""
    if not _has_terminal():
        raise PassphraseError(missing)
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise PassphraseError("no passphrase given; nothing was changed") from None


def _again(problem: str, tries_left: int) -> None:
    left = f"{tries_left} more {'try' if tries_left == 1 else 'tries'}"
    print(f"reflect: {problem}; try again ({left})", file=sys.stderr, flush=True)


class _Existing:
    """The passphrase of a locked journal, as a callable the journal asks when it needs it.
    `tries` says how often the journal may ask again after a wrong one."""

    @property
    def tries(self) -> int:
        return 1 if os.environ.get(ENV) is not None or not _has_terminal() else TRIES

    def __init__(self) -> None:
        self._asked = 0

    def __call__(self) -> str:
        env = os.environ.get(ENV)
        if env is not None:
            return env
        if self._asked:
            _again("that passphrase does not open the journal", TRIES - self._asked)
        self._asked += 1
        return _terminal(
            "Journal passphrase: ",
            f"the journal is locked; give its passphrase in {ENV} (there is no terminal to ask on)",
        )


#: The passphrase of a locked journal: `passphrase=ask` for Journal, which asks again after a
#: wrong one as long as `ask.tries` allows.
ask = _Existing()


def ask_new() -> str:
    """A new passphrase for `reflect lock`: typed twice on a terminal (up to TRIES times, if too
    short or the two differ), or REFLECT_PASSPHRASE."""
    env = os.environ.get(ENV)
    if env is not None:
        return env
    missing = (
        f"a new passphrase is needed to lock the journal: set {ENV}, or run `reflect lock` on "
        "a terminal; nothing was changed"
    )
    left = TRIES
    while True:
        left -= 1
        first = _terminal(f"New passphrase (at least {MIN_PASSPHRASE} characters): ", missing)
        if len(first) < MIN_PASSPHRASE:
            problem = f"the passphrase is too short; use at least {MIN_PASSPHRASE} characters"
        elif _terminal("The same passphrase again: ", missing) != first:
            problem = "the two passphrases differ"
        else:
            return first
        if not left:
            raise PassphraseError(f"{problem}; nothing was changed")
        _again(problem, left)
