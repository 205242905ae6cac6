"""A private PulseAudio server with a virtual microphone and speaker, for end-to-end tests.

    with PulseServer() as pulse:
        child = subprocess.Popen(["reflect", "evening"], env=pulse.env)
        with pulse.record(tmp / "spoken.wav") as speaker:   # what the assistant says
            speaker.wait_for_quiet(since=t0)                # it has finished speaking
            pulse.play(answer_wav)                          # the user speaks into the mic

Everything lives in one temporary folder: the server's runtime dir, its state, its cookie and a
throw-away HOME, so the real home, ~/.asoundrc, /etc and any desktop sound server are untouched.
Two null sinks are loaded:

* ``micfeed``: the test plays WAV files into it; its monitor ``micfeed.monitor`` is the default
  source, i.e. the microphone the program under test opens.
* ``speaker``: the default sink, where the program's voice goes; ``speaker.monitor`` lets the test
  hear (and record) it.

Programs using ALSA (PortAudio, so sounddevice) reach the server through an ALSA configuration
file named by ``ALSA_CONFIG_PATH`` that reads the system's alsa.conf and then routes the default
PCM and mixer to the pulse plugin (libasound2-plugins).

Needs the pulseaudio, pulseaudio-utils and libasound2-plugins packages (scripts/setup.sh --test
installs them). When they are missing, `require()` skips the test, except under CI, where a
skipped end-to-end test would hide a broken set-up: there it fails.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

from paths import ROOT

TOOLS = ("pulseaudio", "pactl", "paplay", "parecord")
ALSA_CONF_CANDIDATES = (
    "/usr/share/alsa/alsa.conf",
    "/usr/local/share/alsa/alsa.conf",
    "/etc/alsa/alsa.conf",
)
PULSE_PLUGIN_GLOBS = (
    "/usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so",
    "/usr/lib/alsa-lib/libasound_module_pcm_pulse.so",
    "/usr/lib64/alsa-lib/libasound_module_pcm_pulse.so",
)
MIC = "micfeed"
SPEAKER = "speaker"
#: Format of what record() captures from the speaker monitor.
RECORD_RATE = 16_000


class Child:
    """`reflect ...` in a child process; its stdout lines are read on a thread as they come."""

    def __init__(self, args: list[str], env: dict[str, str], stderr_path: Path) -> None:
        self.stderr_path = stderr_path
        self._stderr = open(stderr_path, "wb")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self.started = time.monotonic()
        self.transcript: list[str] = []  # stdout lines, with the seconds since start
        self._lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        threading.Thread(target=self._read, name="reflect-stdout", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put((time.monotonic(), line.rstrip("\n")))
        self._lines.put((time.monotonic(), None))

    def next_line(self, timeout_s: float) -> tuple[float, str | None]:
        """(time printed, line), or (time, None) at the end of the output."""
        try:
            at, line = self._lines.get(timeout=timeout_s)
        except queue.Empty:
            raise TimeoutError(f"no output line within {timeout_s} s") from None
        if line is not None:
            self.transcript.append(f"{at - self.started:5.1f}  {line}")
        return at, line

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        if not self._stderr.closed:
            self._stderr.close()


class PulseUnavailable(RuntimeError):
    """The tools for a private PulseAudio server are not installed."""


def missing_tools() -> list[str]:
    """What is missing to run a PulseServer here (empty if nothing)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if _alsa_conf() is None:
        missing.append("alsa.conf (libasound2-data)")
    if not any(Path("/").glob(pattern.lstrip("/")) for pattern in PULSE_PLUGIN_GLOBS):
        missing.append("ALSA pulse plugin (libasound2-plugins)")
    return missing


def require() -> None:
    """Skip the calling test if PulseAudio is not installed, or fail under CI."""
    import pytest

    missing = missing_tools()
    if not missing:
        return
    reason = (
        f"PulseAudio end-to-end test needs {', '.join(missing)}: "
        "sudo apt-get install pulseaudio pulseaudio-utils libasound2-plugins "
        "(scripts/setup.sh --test does this)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason + " [not skipped because CI is set]")
    pytest.skip(reason)


def _alsa_conf() -> str | None:
    return next((p for p in ALSA_CONF_CANDIDATES if os.path.isfile(p)), None)


class PulseServer:
    """A pulseaudio daemon of our own, started and stopped with the `with` block."""

    def __init__(self, start_timeout_s: float = 15.0) -> None:
        self.start_timeout_s = start_timeout_s
        self.dir: Path | None = None
        self.env: dict[str, str] = {}
        self._daemon: subprocess.Popen | None = None
        self._recordings: list[SpeakerRecording] = []
        self._log = None

    # -- life cycle ------------------------------------------------------------------------------
    def __enter__(self) -> PulseServer:
        missing = missing_tools()
        if missing:
            raise PulseUnavailable("missing: " + ", ".join(missing))
        # Short path under /tmp: a unix socket path must stay under 108 bytes.
        self.dir = Path(tempfile.mkdtemp(prefix="reflect-pulse-"))
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start(self) -> None:
        assert self.dir is not None
        runtime, home, state = self.dir / "runtime", self.dir / "home", self.dir / "state"
        for folder in (runtime, home, state):
            folder.mkdir(mode=0o700)
        config = home / ".config" / "pulse"
        config.mkdir(parents=True, mode=0o700)
        (config / "client.conf").write_text("autospawn = no\n")
        self.socket = runtime / "native"

        alsa = self.dir / "asound.conf"
        alsa.write_text(
            f"<{_alsa_conf()}>\npcm.!default {{ type pulse }}\nctl.!default {{ type pulse }}\n"
        )
        self.alsa_config = alsa

        env = dict(os.environ)
        for name in ("PULSE_SINK", "PULSE_SOURCE", "PULSE_PROP", "ALSA_CONFIG_DIR"):
            env.pop(name, None)
        env.update(
            HOME=str(home),
            XDG_RUNTIME_DIR=str(runtime),
            XDG_CONFIG_HOME=str(home / ".config"),
            PULSE_RUNTIME_PATH=str(runtime),
            PULSE_STATE_PATH=str(state),
            PULSE_CONFIG_PATH=str(config),
            PULSE_CLIENTCONFIG=str(config / "client.conf"),
            PULSE_COOKIE=str(config / "cookie"),
            PULSE_SERVER=f"unix:{self.socket}",
            ALSA_CONFIG_PATH=str(alsa),
        )
        self.env = env

        self.log_path = self.dir / "pulseaudio.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in close())
        self._daemon = subprocess.Popen(
            [
                "pulseaudio",
                "--daemonize=no",
                "--system=no",
                "-n",  # no default.pa: only the modules below
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--disallow-module-loading=no",
                "--use-pid-file=no",
                "--log-target=stderr",
                "--load=module-native-protocol-unix "
                f"socket={self.socket} auth-anonymous=1 auth-cookie-enabled=0",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            if self._daemon.poll() is not None:
                raise RuntimeError(f"pulseaudio exited at start:\n{self.log()}")
            if self.socket.exists() and self._pactl_ok("info"):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"pulseaudio did not start in {self.start_timeout_s} s:\n{self.log()}"
                )
            time.sleep(0.05)

        self.pactl(
            "load-module",
            "module-null-sink",
            f"sink_name={MIC}",
            "rate=16000",
            "channels=1",
            "sink_properties=device.description=Virtual-microphone-feed",
        )
        self.pactl(
            "load-module",
            "module-null-sink",
            f"sink_name={SPEAKER}",
            "sink_properties=device.description=Virtual-speaker",
        )
        self.pactl("set-default-source", f"{MIC}.monitor")
        self.pactl("set-default-sink", SPEAKER)

    def close(self) -> None:
        for recording in reversed(self._recordings):
            recording.close()
        self._recordings.clear()
        if self._daemon is not None:
            _stop(self._daemon, group=True)
            self._daemon = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    # -- tools -----------------------------------------------------------------------------------
    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return "(no log)"

    def _pactl_ok(self, *args: str) -> bool:
        done = subprocess.run(["pactl", *args], env=self.env, capture_output=True, timeout=10)
        return done.returncode == 0

    def pactl(self, *args: str) -> str:
        done = subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"pactl {' '.join(args)} failed: {done.stderr.strip()}\n{self.log()}"
            )
        return done.stdout

    def play(self, wav_path: Path | str, timeout_s: float = 60.0) -> None:
        """Feed a WAV file into the virtual microphone; returns when it has been played."""
        done = subprocess.run(
            ["paplay", f"--device={MIC}", str(wav_path)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
        if done.returncode != 0:
            raise RuntimeError(f"paplay {wav_path} failed: {done.stderr.strip()}")

    def echo_room(self, latency_ms: int = 60) -> None:
        """The speaker's sound reaches the microphone too, like a laptop without headphones."""
        self.pactl(
            "load-module", "module-loopback", f"source={SPEAKER}.monitor", f"sink={MIC}",
            f"latency_msec={latency_ms}", "source_dont_move=true", "sink_dont_move=true",
        )  # fmt: skip

    def record(self, path: Path | str, device: str = f"{SPEAKER}.monitor") -> SpeakerRecording:
        """Start capturing the virtual speaker (or another device); stop the returned recording
        (or leave its `with` block) to write `path` as a 16 kHz mono WAV."""
        rec = SpeakerRecording(self, Path(path), device=device)
        self._recordings.append(rec)
        return rec


class SpeakerRecording:
    """parecord on speaker.monitor, raw to a pipe, so the test can watch the level as it goes."""

    def __init__(
        self,
        server: PulseServer,
        path: Path,
        loud: int = 500,
        block_s: float = 0.05,
        device: str = f"{SPEAKER}.monitor",
    ) -> None:
        self.path = path
        self.loud = loud
        self._block_bytes = int(RECORD_RATE * block_s) * 2
        self._chunks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.block_s = block_s
        self.last_loud: float | None = None  # time.monotonic() of the last loud block
        self._loud_times: list[float] = []  # time.monotonic() of every loud block
        self._loud_samples: list[int] = []  # where each loud block starts in the recording
        self._samples = 0  # recorded so far
        self.process = subprocess.Popen(
            [
                "parecord",
                "--raw",
                f"--device={device}",
                "--format=s16le",
                f"--rate={RECORD_RATE}",
                "--channels=1",
                "--latency-msec=50",
            ],
            env=server.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._thread = threading.Thread(target=self._read, name="speaker-monitor", daemon=True)
        self._thread.start()
        self._saved = False

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            data = out.read(self._block_bytes)
            if not data:
                break
            block = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")
            now = time.monotonic()
            with self._changed:
                self._chunks.append(block)
                if len(block) and int(np.abs(block.astype(np.int32)).max()) >= self.loud:
                    self.last_loud = now
                    self._loud_times.append(now)
                    self._loud_samples.append(self._samples)
                self._samples += len(block)
                self._changed.notify_all()

    def wait_for_quiet(
        self, since: float, quiet_s: float = 1.0, min_loud_s: float = 0.5, timeout_s: float = 30.0
    ) -> float:
        """Wait until the speaker has been loud for at least `min_loud_s` (in total) after `since`
        (a time.monotonic() value) and then quiet for `quiet_s`. Returns the time of the last loud
        block; raises TimeoutError."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                now = time.monotonic()
                loud_s = sum(1 for t in self._loud_times if t >= since) * self.block_s
                last = self.last_loud
                if loud_s >= min_loud_s and last is not None and since <= last <= now - quiet_s:
                    return last
                if now > deadline:
                    heard = (
                        "never" if self.last_loud is None else (f"{now - self.last_loud:.1f} s ago")
                    )
                    raise TimeoutError(
                        f"the speaker did not speak ({min_loud_s:.1f} s) and go quiet "
                        f"({quiet_s:.1f} s) within {timeout_s} s: {loud_s:.2f} s loud since, "
                        f"last loud {heard}; {self._heard_s():.1f} s captured, parecord "
                        + ("running" if self.process.poll() is None else "ended")
                    )
                self._changed.wait(0.05)

    def _heard_s(self) -> float:
        return sum(len(c) for c in self._chunks) / RECORD_RATE

    def loud_runs(self, since: float, gap_s: float = 0.25) -> list[tuple[float, float]]:
        """Stretches of loud blocks after `since` (time.monotonic() of their first and last
        block), joined over gaps shorter than `gap_s`."""
        with self._lock:
            times = [t for t in self._loud_times if t >= since]
        runs: list[list[float]] = []
        for t in times:
            if runs and t - runs[-1][1] <= gap_s:
                runs[-1][1] = t
            else:
                runs.append([t, t])
        return [(a, b) for a, b in runs]

    def loud_spans(self, since: float, gap_s: float = 0.25) -> list[tuple[float, float]]:
        """Stretches of loud blocks that arrived after `since` (a time.monotonic() value: only
        to find them), as (start, end) in seconds of the recording's own samples, joined over
        gaps shorter than `gap_s`: how long a sound lasted on the audio clock, whatever the
        load on the machine that read it."""
        with self._lock:
            starts = [
                n for t, n in zip(self._loud_times, self._loud_samples, strict=True) if t >= since
            ]
        block = round(self.block_s * RECORD_RATE)
        spans: list[list[int]] = []
        for n in starts:
            if spans and n - spans[-1][1] <= gap_s * RECORD_RATE:
                spans[-1][1] = n + block
            else:
                spans.append([n, n + block])
        return [(a / RECORD_RATE, b / RECORD_RATE) for a, b in spans]

    def wait_for_sound(self, since: float, sounded_s: float, timeout_s: float = 15) -> float:
        """Wait until the speaker has been sounding for `sounded_s` since its first sound after
        `since` (time.monotonic() values); returns when that sound began. A short run that is
        already over is the drained tail of a sound cut just before, not a beginning."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            now = time.monotonic()
            runs = [
                r for r in self.loud_runs(since=since)
                if r[1] - r[0] >= 0.4 or now - r[1] < 0.25
            ]  # fmt: skip
            if runs and now - runs[0][0] >= sounded_s:
                return runs[0][0]
            time.sleep(0.02)
        raise TimeoutError(f"no {sounded_s} s of sound within {timeout_s} s")

    @property
    def loud_s(self) -> float:
        """Total time the speaker has been loud so far (s)."""
        with self._lock:
            return len(self._loud_times) * self.block_s

    def samples(self) -> np.ndarray:
        with self._lock:
            return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)

    def stop(self) -> Path:
        """Stop capturing and write the WAV (idempotent)."""
        self.close()
        if not self._saved:
            with wave.open(str(self.path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(RECORD_RATE)
                out.writeframes(self.samples().astype("<i2").tobytes())
            self._saved = True
        return self.path

    def close(self) -> None:
        """Stop parecord and the reading thread, without writing the WAV."""
        _stop(self.process, close_streams=False)  # the thread reads to the end, then returns
        self._thread.join(timeout=5)
        _stop(self.process)

    def __enter__(self) -> SpeakerRecording:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _stop(
    process: subprocess.Popen, group: bool = False, grace_s: float = 5.0, close_streams: bool = True
) -> None:
    """Terminate a child we started (and, with group, its process group), then reap it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if group:
                os.killpg(process.pid, signal.SIGTERM)
            else:
                process.terminate()
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if group:
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            process.wait(timeout=grace_s)
    if not close_streams:
        return
    for stream in (process.stdout, process.stderr, process.stdin):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
