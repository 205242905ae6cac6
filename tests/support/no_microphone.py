"""A session where no microphone is found: faked (the machine running the tests may have one),
by the device query answering that there is none."""

from __future__ import annotations

from pathlib import Path

from assistant.journal.store import Journal
from assistant.safety.notices import NOTICE_FLAG

from flows import Done, cli


def breathe_without_microphone(tmp_path: Path, monkeypatch) -> tuple[Done, Path]:
    """`reflect breathe --minutes 1 --audio-out out.wav` where no microphone is found."""
    from assistant.audio import devices

    monkeypatch.setattr(devices, "has_device", lambda kind, device=None: kind != "input")
    Journal(tmp_path / "d").set_flag(NOTICE_FLAG, True)  # the first-run notice said before
    out = tmp_path / "out.wav"
    done = cli("breathe", "--minutes", "1", "--audio-out", str(out),
               "--data-dir", str(tmp_path / "d"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done, out
