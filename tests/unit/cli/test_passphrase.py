"""The journal's passphrase: REFLECT_PASSPHRASE, else asked on the terminal (never stdin, which
carries typed answers), a mistyped one tried again up to three times, and a clear error where
there is neither. The terminal is a stand-in here: tests have none."""

from __future__ import annotations

import getpass

import pytest

from assistant.base.errors import PassphraseError
from assistant.cli import passphrase
from assistant.cli.passphrase import ENV, TRIES, _Existing, ask_new


class Terminal:
    """What the person types at each prompt, in turn, and the prompts shown."""

    def __init__(self) -> None:
        self.typed: list[str] = []
        self.prompts: list[str] = []

    def getpass(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.typed:
            raise EOFError  # Ctrl-D
        return self.typed.pop(0)


@pytest.fixture
def terminal(monkeypatch) -> Terminal:
    fake = Terminal()
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(passphrase, "_has_terminal", lambda: True)
    monkeypatch.setattr(getpass, "getpass", fake.getpass)
    return fake


@pytest.fixture
def no_terminal(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(passphrase, "_has_terminal", lambda: False)


def test_the_environment_is_used_and_tried_once(monkeypatch):
    monkeypatch.setenv(ENV, "from the environment")
    ask = _Existing()
    assert ask() == "from the environment" and ask.tries == 1
    assert ask_new() == "from the environment"


def test_on_a_terminal_it_is_asked_and_may_be_tried_again(terminal, capsys):
    terminal.typed += ["wrong one", "right one"]
    ask = _Existing()
    assert ask.tries == TRIES == 3
    assert ask() == "wrong one"
    assert ask() == "right one"  # the journal asks again after a wrong one
    assert terminal.prompts == ["Journal passphrase: "] * 2
    assert capsys.readouterr().err == (
        "reflect: that passphrase does not open the journal; try again (2 more tries)\n"
    )


def test_without_a_terminal_a_locked_journal_says_where_to_give_it(no_terminal):
    ask = _Existing()
    assert ask.tries == 1
    with pytest.raises(PassphraseError, match=f"give its passphrase in {ENV}"):
        ask()
    with pytest.raises(PassphraseError, match="set REFLECT_PASSPHRASE, or run `reflect lock`"):
        ask_new()


def test_ctrl_d_at_the_prompt_changes_nothing(terminal):
    with pytest.raises(PassphraseError, match="no passphrase given; nothing was changed"):
        _Existing()()


def test_a_new_passphrase_is_typed_twice(terminal):
    terminal.typed += ["long enough words", "long enough words"]
    assert ask_new() == "long enough words"
    assert terminal.prompts[0].startswith("New passphrase (at least 8 characters)")
    assert terminal.prompts[1] == "The same passphrase again: "


def test_too_short_or_different_is_asked_again_then_refused(terminal, capsys):
    terminal.typed += ["short", "long enough words", "other words", "tiny"]
    with pytest.raises(PassphraseError, match=r"too short; use at least 8 .*nothing was changed"):
        ask_new()
    assert capsys.readouterr().err.splitlines() == [
        "reflect: the passphrase is too short; use at least 8 characters; try again (2 more tries)",
        "reflect: the two passphrases differ; try again (1 more try)",
    ]
