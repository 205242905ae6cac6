"""The sound server's echo canceller, loaded for a session on request: through a stand-in
`pactl` on PATH (loading the real module can bring a sound server down). Where there is no
pactl, no server or no module, nothing changes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from assistant.audio.server_echo import SINK, SOURCE, ServerEchoCancel


def fake_pactl(folder: Path, reply: str, code: int = 0) -> Path:
    """A pactl that logs its arguments and answers `reply` with exit code `code`."""
    log = folder / "pactl.log"
    script = folder / "pactl"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\necho "{reply}"\nexit {code}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return log


@pytest.fixture
def path(tmp_path, monkeypatch) -> Path:
    """PATH holds only a folder of ours, and the environment has no PULSE_ variables."""
    monkeypatch.setenv("PATH", str(tmp_path))
    for name in ("PULSE_SOURCE", "PULSE_SINK"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_loaded_for_the_session_then_unloaded_and_the_streams_pointed_back(path):
    log = fake_pactl(path, "42")
    echo = ServerEchoCancel.start()
    assert echo is not None
    assert (os.environ["PULSE_SOURCE"], os.environ["PULSE_SINK"]) == (SOURCE, SINK)
    [load] = log.read_text().splitlines()
    assert load.startswith("load-module module-echo-cancel aec_method=webrtc")
    assert f"source_name={SOURCE}" in load and f"sink_name={SINK}" in load
    echo.close()
    assert "PULSE_SOURCE" not in os.environ and "PULSE_SINK" not in os.environ
    assert log.read_text().splitlines()[-1] == "unload-module 42"


@pytest.mark.parametrize(
    ("reply", "code"),
    [("Failure: Module initialization failed", 1), ("", 0), ("Connection refused", 0)],
)
def test_a_server_that_cannot_load_it_changes_nothing(path, reply, code):
    fake_pactl(path, reply, code)
    assert ServerEchoCancel.start() is None
    assert "PULSE_SOURCE" not in os.environ and "PULSE_SINK" not in os.environ


def test_no_pactl_changes_nothing(path):
    assert ServerEchoCancel.start() is None
    assert "PULSE_SOURCE" not in os.environ
