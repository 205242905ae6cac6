"""Everyday use where it needs the CLI in a child process: a dialogs folder chosen by the
environment, Ctrl-C under an ignored SIGINT, locking with no terminal at all. The rest:
tests/flows/test_everyday.py, in process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from assistant.base.settings import DIALOGS_DIR

from child import reflect
from flows import journal_with
from paths import ROOT

TURN = {"state": "today", "prompt": "What happened today?", "answer": "he was wiretapped data"}


def exported(folder: Path) -> list[dict]:
    return json.loads(reflect("export", "--data-dir", str(folder)).stdout)["sessions"]


def test_a_script_named_like_a_command_is_refused_with_the_fix(tmp_path):
    dialogs = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    shutil.copy(dialogs / "journal.yaml", dialogs / "history.yaml")
    env = {**os.environ, "REFLECT_DIALOGS_DIR": str(dialogs)}
    listed = reflect("scripts", env=env).stdout
    expected = (
        f"{dialogs / 'history.yaml'}: a script cannot be named like the command `reflect "
        "history`; rename the file, e.g. to my-history.yaml"
    )
    assert f"history      (cannot be used: {expected})" in listed
    history = reflect("history", "--data-dir", str(tmp_path / "d"), env=env)
    assert history.returncode == 0 and f"reflect: {expected}\n" in history.stderr


def test_ctrl_c_saves_even_when_started_with_sigint_ignored(tmp_path):
    """As under nohup or in a background job: the child inherits an ignored SIGINT."""
    child = subprocess.Popen(
        [sys.executable, "-m", "assistant", "evening", "--typed", "--silent",
         "--data-dir", str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip
    child.stdin.write("a late reply\n")
    child.stdin.flush()
    while "you: a late reply" not in (line := child.stdout.readline()):
        assert line, child.stderr.read()  # ended first (a hang is pytest-timeout's)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=20)
    assert child.returncode == 130, err
    assert [s["status"] for s in exported(tmp_path)] == ["interrupted"]


def test_lock_without_a_terminal_says_a_new_passphrase_is_needed(tmp_path):
    journal_with(tmp_path, TURN)
    env = {k: v for k, v in os.environ.items() if k != "REFLECT_PASSPHRASE"}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "lock", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
        start_new_session=True,  # no controlling terminal, whatever runs the tests
    )  # fmt: skip
    assert result.returncode == 5
    assert result.stderr == (
        "reflect: a new passphrase is needed to lock the journal: set REFLECT_PASSPHRASE, or "
        "run `reflect lock` on a terminal; nothing was changed\n"
    )
    assert not (tmp_path / "lock.json").exists()
