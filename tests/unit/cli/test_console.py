"""Results on stdout; the live partial line only on a terminal's stderr, cleared before output."""

from __future__ import annotations

import io

from assistant.cli.console import Console


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_partials_show_live_on_a_terminal_and_are_cleared():
    out, err = io.StringIO(), Terminal()
    console = Console(out, err)
    console.partial("yesterday my")
    console.partial("yesterday my partner")
    console.answer("yesterday my partner did not reply")
    assert err.getvalue() == "\r\x1b[K  … yesterday my\r\x1b[K  … yesterday my partner\r\x1b[K"
    assert out.getvalue() == "  you: yesterday my partner did not reply\n"


def test_no_partials_when_stderr_is_not_a_terminal():
    out, err = io.StringIO(), io.StringIO()
    console = Console(out, err)
    console.partial("yesterday my")
    console.prompt("What happened today?")
    console.note("session saved")
    assert out.getvalue() == "» What happened today?\n"
    assert err.getvalue() == "reflect: session saved\n"
