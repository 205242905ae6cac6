"""Asking for the journal's passphrase: REFLECT_PASSPHRASE, else the terminal (never echoed).

Standard input is not used: in --typed sessions it carries the answers.
"""

from __future__ import annotations

import getpass
import os

from assistant.errors import PassphraseError

ENV = "REFLECT_PASSPHRASE"


def _terminal(prompt: str) -> str:
    try:
        with open("/dev/tty"):
            pass
    except OSError:
        raise PassphraseError(
            f"the journal is locked; give its passphrase in {ENV} (there is no terminal to ask on)"
        ) from None
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise PassphraseError("no passphrase given; nothing was changed") from None


def ask() -> str:
    """The passphrase of a locked journal."""
    env = os.environ.get(ENV)
    return env if env is not None else _terminal("Journal passphrase: ")


def ask_new() -> str:
    """A new passphrase for `reflect lock`: typed twice on a terminal, or REFLECT_PASSPHRASE."""
    env = os.environ.get(ENV)
    if env is not None:
        return env
    first = _terminal("New passphrase (at least 8 characters): ")
    if _terminal("The same passphrase again: ") != first:
        raise PassphraseError("the two passphrases differ; nothing was changed")
    return first
