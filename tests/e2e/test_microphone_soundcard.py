"""End to end through a real (virtual) microphone and speaker, as on a machine with no sound card.

A private PulseAudio server (tests/support/pulse.py) provides two null sinks: the test plays
espeak-ng
speech into one, whose monitor is the default microphone, and listens to the other, where the
program's voice goes. `reflect evening` runs unmodified as a child process: PortAudio opens ALSA's
default device, which the server's ALSA configuration routes to PulseAudio.

The conversation follows the program in wall-clock time: each question is printed before it is
spoken, and the microphone is ignored while the assistant speaks (half duplex), so the test
answers only once the virtual speaker has gone quiet.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import normalize
from assistant.dialog.script import find_script
from assistant.safety.resources import Resources
from assistant.safety.respond import load_safeguards
from assistant.speech.commands import load_commands

from audio_helpers import conversation, write
from child import reflect
from pulse import Child, PulseServer, require

pytestmark = pytest.mark.e2e

RATE_WPM = 220

# Sentences whose key words the small Vosk model hears in espeak-ng's voice at any alignment of
# the audio chunks (checked over 42 offsets); "partner", for one, is sometimes "particular".
FIRST = "Yesterday my partner did not reply to my text messages."
FIRST_WORDS = {"yesterday", "reply", "text", "messages"}
NEED = "I just needed some reassurance and a little patience."
NEED_WORDS = {"reassurance", "little", "patience"}
COMMAND_WORDS = {"skip", "stop", "repeat", "pause", "continue", "go", "back", "next", "question"}


@pytest.fixture
def pulse():
    require()
    with PulseServer() as server:
        yield server


def test_devices_lists_the_virtual_microphone(pulse):
    listed = reflect("devices", env=pulse.env, timeout=30)
    assert listed.returncode == 0, listed.stderr
    inputs = [line for line in listed.stdout.splitlines() if " in" in line]
    assert inputs, f"no input device listed:\n{listed.stdout}\n{listed.stderr}"
    assert any("in*" in line for line in inputs), listed.stdout

    check = reflect("devices", "--check-input", env=pulse.env, timeout=30)
    assert check.returncode == 0, check.stderr
    assert check.stdout == ""


def test_evening_session_through_microphone_and_speaker(pulse, tmp_path):
    script = find_script("evening", DIALOGS_DIR)
    replies = load_commands(DIALOGS_DIR / "commands.yaml").replies
    prompt = {name: state.prompt for name, state in script.states.items()}
    data_dir = tmp_path / "journal"

    first = write(tmp_path / "first.wav", conversation([0.3, FIRST, 0.3]))
    skip = write(tmp_path / "skip.wav", conversation([0.3, "skip", 0.3]))
    need = write(tmp_path / "need.wav", conversation([0.3, NEED, 0.3]))
    stop = write(tmp_path / "stop.wav", conversation([0.3, "stop", 0.3]))

    speaker = pulse.record(tmp_path / "spoken.wav")
    child = Child(
        ["evening", "--data-dir", str(data_dir), "--rate", str(RATE_WPM)],
        pulse.env,
        tmp_path / "stderr.txt",
    )

    def fail(message: str) -> None:
        child.stop()
        speaker.stop()
        pytest.fail(
            f"{message}\n--- stdout so far ---\n"
            + "\n".join(child.transcript)
            + f"\n--- reflect stderr ---\n{child.stderr()}\n--- pulseaudio log ---\n{pulse.log()}",
            pytrace=False,
        )

    def expect(line: str, timeout_s: float) -> float:
        """The next stdout line must be `line` (or start with it, for an answer prefix)."""
        try:
            at, got = child.next_line(timeout_s)
        except TimeoutError as exc:
            fail(f"waiting for {line!r}: {exc}")
        if got is None:
            fail(f"reflect ended (exit {child.proc.wait(10)}) while waiting for {line!r}")
        if not got.startswith(line):
            fail(f"expected {line!r}, got {got!r}")
        return at

    def answer_after(printed_at: float, text: str, wav: Path) -> None:
        """Wait until the prompt printed at `printed_at` has been spoken, then say `wav`."""
        # The line is printed before synthesis starts; demand enough loud audio after it that
        # the tail of the previous prompt cannot pass for the whole question.
        spoken_s = len(text.split()) * 60 / RATE_WPM
        try:
            speaker.wait_for_quiet(
                since=printed_at, min_loud_s=min(1.0, spoken_s / 2), quiet_s=0.8, timeout_s=25
            )
        except TimeoutError as exc:
            fail(f"waiting for {text!r} to be spoken: {exc}")
        pulse.play(wav, timeout_s=20)

    started = time.monotonic()
    try:
        support = load_safeguards(DIALOGS_DIR).support
        # A new journal: the first-run notice (reflection aid, not therapy; where help is) first,
        # set apart like where help is: a blank line, then one sentence per line.
        expect("", timeout_s=30)  # incl. the model
        for sentence in re.split(r"(?<=[.!?])\s+", support.help.fill(support.notice, Resources())):
            expect(f"» {sentence}", timeout_s=5)
        expect(f"» {script.intro}", timeout_s=40)
        at = expect(f"» {prompt['today']}", timeout_s=40)
        answer_after(at, prompt["today"], first)
        expect("  you: ", timeout_s=15)
        at = expect(f"» {prompt['fear']}", timeout_s=15)
        answer_after(at, prompt["fear"], skip)
        # A skipped fear question leads straight to the need question (no "roots").
        at = expect(f"» {prompt['need']}", timeout_s=15)
        answer_after(at, prompt["need"], need)
        expect("  you: ", timeout_s=15)
        at = expect(f"» {prompt['kindness']}", timeout_s=15)
        answer_after(at, prompt["kindness"], stop)
        expect(f"» {replies['stopped']}", timeout_s=15)
        _, end = child.next_line(timeout_s=20)
        if end is not None:
            fail(f"unexpected output after stopping: {end!r}")
        try:
            code = child.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            fail("reflect did not exit after stopping")
        assert code == 0, child.stderr()
    finally:
        child.stop()
        spoken = speaker.stop()
    print("\n".join(child.transcript))
    print(f"conversation took {time.monotonic() - started:.1f} s")

    exported = reflect("export", "--format", "json", "--data-dir", str(data_dir), env=pulse.env)
    assert exported.returncode == 0, exported.stderr
    [session] = json.loads(exported.stdout)["sessions"]
    assert session["script"] == "evening"
    assert session["status"] == "stopped"
    turns = session["turns"]
    assert [t["state"] for t in turns] == ["today", "need"], turns
    assert [t["prompt"] for t in turns] == [prompt["today"], prompt["need"]]
    assert set(normalize(turns[0]["answer"]).split()) >= FIRST_WORDS, turns[0]
    assert set(normalize(turns[1]["answer"]).split()) >= NEED_WORDS, turns[1]
    for turn in turns:  # commands are obeyed, never saved as answers
        assert not set(normalize(turn["answer"]).split()) <= COMMAND_WORDS, turn
        assert not {"skip", "stop"} & set(normalize(turn["answer"]).split()), turn

    # The assistant really spoke through the virtual speaker: the intro alone is several
    # seconds of speech at this rate.
    with wave.open(str(spoken), "rb") as wav:
        audio = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int32)
    blocks = audio[: len(audio) // 800 * 800].reshape(-1, 800)  # 50 ms blocks at 16 kHz
    loud_s = float((np.abs(blocks).max(axis=1) >= 500).sum()) * 0.05
    assert loud_s >= 10, f"only {loud_s:.1f} s of speech reached the speaker"
