from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.speech.commands import load_commands
from assistant.speech.model import load_model
from assistant.speech.second_pass import SecondPass


@pytest.fixture(scope="session")
def model():
    """The real Vosk model; ./scripts/test installs it, so its absence is a failure, not a skip."""
    return load_model()


@pytest.fixture(scope="session")
def second_pass():
    """Whisper base on its worker, loaded once; ./scripts/test installs it, like the Vosk model."""
    made = SecondPass()
    made.submit(np.zeros(1600, dtype=np.int16), (), 0.0).result()  # loaded, or missing
    assert made.missing is None, made.missing
    yield made
    made.close()


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ is end to end (a child process, the sound card, real time):
    marked e2e in this one place, so `-m "not e2e"` is the fast tier of units and flows."""
    e2e = Path(__file__).resolve().parent / "e2e"
    for item in items:
        if e2e in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.e2e)
    # The sessions that decode minutes of audio go first, so that on two cores the last tests
    # to finish are short ones (sorted() keeps the order within each group).
    heavy = {"flows", "speech"}
    items[:] = sorted(items, key=lambda item: not heavy & set(Path(item.fspath).parts))
