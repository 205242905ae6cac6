"""Long output goes through a pager only on a terminal, and only when taller than the window;
the terminal is a stand-in here (tests have none)."""

from __future__ import annotations

import io
import os
import pydoc
import shutil

import pytest

from assistant.cli import pager


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def paged(monkeypatch) -> list[str]:
    """What went to the pager; the window is 10 lines tall."""
    shown: list[str] = []
    monkeypatch.setattr(pydoc, "pager", shown.append)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda: os.terminal_size((80, 10)))
    monkeypatch.delenv("LESS", raising=False)
    return shown


def test_output_that_is_not_a_terminal_is_written_whole(monkeypatch, paged):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    text = "line\n" * 100
    pager.show(text)
    assert out.getvalue() == text and paged == []


def test_on_a_terminal_what_fits_the_window_is_printed(monkeypatch, paged):
    out = Terminal()
    monkeypatch.setattr("sys.stdout", out)
    pager.show("line\n" * 8)
    assert out.getvalue() == "line\n" * 8 and paged == []


def test_on_a_terminal_what_is_taller_is_paged_with_less_keeping_colours(monkeypatch, paged):
    out = Terminal()
    monkeypatch.setattr("sys.stdout", out)
    text = "line\n" * 9
    pager.show(text)
    assert paged == [text] and out.getvalue() == ""
    assert os.environ["LESS"] == "-FRX"


def test_the_persons_own_less_options_are_kept(monkeypatch, paged):
    monkeypatch.setattr("sys.stdout", Terminal())
    monkeypatch.setenv("LESS", "-S")
    pager.show("line\n" * 50)
    assert os.environ["LESS"] == "-S" and len(paged) == 1
