from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import DIALOGS_DIR
from assistant.speech.commands import load_commands
from assistant.speech.model import load_model

ROOT = Path(__file__).resolve().parent.parent
SHARED_SPEECH = ROOT.parent / "shared" / "speech"


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


def reflect(*args: str, stdin: str = "", env: dict | None = None, timeout: float = 120):
    """Run the real CLI in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
