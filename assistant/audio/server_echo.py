"""The sound server's own echo canceller (PulseAudio's, or PipeWire's pulse layer's,
module-echo-cancel with WebRTC's canceller), for the session, on request (--echo-cancel): not by
default, because loading it can bring the sound server down (PulseAudio 16.1 here aborted on an
assertion in memblockq.c as soon as a second stream played into the microphone's sink).

It is loaded between the default microphone and speaker for the length of the session and
unloaded afterwards; the program's streams are pointed at its source and sink through
PULSE_SOURCE / PULSE_SINK, which the ALSA pulse plugin's client library honours. Where there is
no pactl, no server, or no such module, nothing changes: the program's own gating and
double-talk test (audio/echo.py) still keep its voice out of the answers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess

SOURCE = "reflect_echo_cancelled"
SINK = "reflect_echo_reference"


class ServerEchoCancel:
    def __init__(self, module: str) -> None:
        self._module = module

    @classmethod
    def start(cls) -> ServerEchoCancel | None:
        """Load it, or None where the sound server cannot (the caller carries on without)."""
        if shutil.which("pactl") is None:
            return None
        args = [
            "pactl", "load-module", "module-echo-cancel", "aec_method=webrtc",
            f"source_name={SOURCE}", f"sink_name={SINK}", "use_master_format=1",
        ]  # fmt: skip
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=5)
        except (OSError, subprocess.SubprocessError):
            return None
        module = done.stdout.strip()
        if done.returncode != 0 or not module.isdigit():
            return None
        os.environ["PULSE_SOURCE"], os.environ["PULSE_SINK"] = SOURCE, SINK
        return cls(module)

    def close(self) -> None:
        for name in ("PULSE_SOURCE", "PULSE_SINK"):
            os.environ.pop(name, None)
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["pactl", "unload-module", self._module], capture_output=True, timeout=5)
