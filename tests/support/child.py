"""The real CLI in a child process, as a user runs it (for tests/e2e and the benchmarks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from paths import ROOT


def reflect(*args: str, stdin: str | bytes = "", env: dict | None = None, timeout: float = 120):
    """Run the real CLI in a child process, as a user would (bytes in, bytes out)."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=isinstance(stdin, str),
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


def typed_session(data_dir: Path) -> subprocess.Popen:
    """A typed `reflect evening` in a child process, answers to be written to its stdin."""
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "evening", "--typed", "--silent",
         "--data-dir", str(data_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip


def typed_session_until_saved(data_dir: Path, answers: list[str]) -> subprocess.Popen:
    """A typed session, returned once its last answer is reported saved (the session is still
    running, waiting for more). A child that hangs is pytest-timeout's to fail."""
    child = typed_session(data_dir)
    child.stdin.write("".join(f"{a}\n" for a in answers))
    child.stdin.flush()
    while f"you: {answers[-1]}" not in (line := child.stdout.readline()):
        assert line, f"the session ended first: {child.stderr.read()}"
    return child
