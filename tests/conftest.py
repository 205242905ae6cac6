from __future__ import annotations

import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.speech.commands import load_commands
from assistant.speech.model import load_model

from paths import ROOT


@pytest.fixture(scope="session")
def model():
    """The real Vosk model; ./scripts/test installs it, so its absence is a failure, not a skip."""
    return load_model()


@pytest.fixture(scope="session")
def commands():
    return load_commands(DIALOGS_DIR / "commands.yaml")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "journal"


def private_modes(folder: Path) -> tuple[int, int]:
    """(folders, files) inside `folder` and itself, after checking each is 0700 / 0600."""
    folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert [oct(stat.S_IMODE(p.stat().st_mode)) for p in folders] == ["0o700"] * len(folders)
    assert [oct(stat.S_IMODE(p.stat().st_mode)) for p in files] == ["0o600"] * len(files)
    return len(folders), len(files)


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
    running, waiting for more)."""
    child = typed_session(data_dir)
    child.stdin.write("".join(f"{a}\n" for a in answers))
    child.stdin.flush()
    deadline = time.monotonic() + 30
    while f"you: {answers[-1]}" not in child.stdout.readline():
        assert time.monotonic() < deadline and child.poll() is None
    return child


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ is end to end (a child process, the sound card, real time):
    marked e2e in this one place, so `-m "not e2e"` is the fast tier of units and flows."""
    e2e = Path(__file__).resolve().parent / "e2e"
    for item in items:
        if e2e in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.e2e)
