"""The safety flow where it needs the CLI in a child process: Ctrl-C after a concern, setup at a
real terminal, a broken support file named before the journal is touched (the dialogs folder
is chosen by the environment). The rest: tests/flows/test_safety_session.py, in process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.respond import load_safeguards

from child import reflect, typed_session_until_saved
from paths import ROOT

ASK_SAFE = load_safeguards(DIALOGS_DIR).support.replies.ask_safe


def test_ctrl_c_after_a_concern_is_still_stored_as_safety(tmp_path):
    child = typed_session_until_saved(tmp_path, ["a late reply", "I want to die."])
    while ASK_SAFE not in child.stdout.readline():  # the safety flow has begun
        assert child.poll() is None
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=20) == 130
    history = reflect("history", "--data-dir", str(tmp_path)).stdout
    assert "safety (self-harm)" in history and "2 answers" in history


def test_setup_asks_on_a_terminal(tmp_path):
    """On a terminal with no flags, setup asks; Enter keeps a value, "-" means the default."""
    data = tmp_path / "d"

    def ask(answers: str) -> str:
        main, terminal = os.openpty()
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "assistant", "setup", "--data-dir", str(data)],
                stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True,
            )  # fmt: skip
            os.write(main, answers.encode())
            out, err = child.communicate(timeout=30)
        finally:
            os.close(main)
            os.close(terminal)
        assert child.returncode == 0, err
        return out

    first = ask("911\nLifeline, call or text 988\nThe Hotline, call 1-800-799-7233\n")
    assert "emergency number: 911" in first and "crisis line:      Lifeline" in first
    assert "abuse line:       The Hotline" in first
    kept = ask("\n-\n\n")  # keep the number, default crisis text, keep the abuse line
    assert "emergency number: 911" in kept and "abuse line:       The Hotline" in kept
    assert "please call 911. In the US, you can also call or text 988" in kept


def test_a_broken_support_file_stops_before_the_journal_is_touched(tmp_path):
    dialogs = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    text = (dialogs / "support.yaml").read_text()
    (dialogs / "support.yaml").write_text(text.replace("{emergency}.", "{emergancy}.", 1))
    env = {**os.environ, "REFLECT_DIALOGS_DIR": str(dialogs)}
    data = tmp_path / "d"
    result = reflect("evening", "--typed", "--data-dir", str(data), stdin="hi\n", env=env)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"reflect: {dialogs / 'support.yaml'}:")
    assert "help.self: unknown placeholder {emergancy}; use {emergency}" in line
    assert not data.exists()
