"""--duplex from files: the WAV is what the microphone heard from the start of the session, the
assistant's speech takes time on the same clock, and --audio-out lines up with the input sample for
sample. So barge-in can be tested from files in audio time: exact and fast."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np

from assistant.base.settings import DIALOGS_DIR
from assistant.dialog.script import find_script
from assistant.speech.commands import load_commands

from audio_helpers import RATE, silence, speak, write
from child import reflect

EVENING = find_script("evening", DIALOGS_DIR)
REPLIES = load_commands(DIALOGS_DIR / "commands.yaml").replies
FIRST = "Yesterday my partner did not reply to my messages."


def read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert wav.getframerate() == RATE and wav.getnchannels() == 1
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def spans(samples: np.ndarray, gap_s: float = 0.5) -> list[tuple[float, float]]:
    """Stretches of sound (start, end) in seconds, 10 ms blocks, gaps under gap_s joined."""
    block = RATE // 100
    loud = np.abs(samples[: len(samples) // block * block].reshape(-1, block)).max(axis=1) > 300
    out: list[list[float]] = []
    for i in np.flatnonzero(loud):
        t = i / 100
        if out and t - out[-1][1] <= gap_s:
            out[-1][1] = t + 0.01
        else:
            out.append([t, t + 0.01])
    return [(a, b) for a, b in out]


def journal_seen(data: Path) -> None:
    """A journal whose first-run notice has been given, so sessions start with the intro."""
    done = reflect("evening", "--typed", "--silent", "--data-dir", str(data), stdin="")
    assert done.returncode == 0, done.stderr


def run(tmp: Path, data: Path, name: str, samples: np.ndarray) -> tuple[np.ndarray, object]:
    wav_in = write(tmp / f"{name}-in.wav", samples)
    out = tmp / f"{name}-out.wav"
    done = reflect(
        "evening", "--audio-in", str(wav_in), "--duplex", "--audio-out", str(out),
        "--data-dir", str(data), "--show-turns",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return read(out), done


def export(data: Path) -> list[dict]:
    done = reflect("export", "--format", "json", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["sessions"]


def test_stop_over_the_second_question_ends_the_session_there(tmp_path):
    data = tmp_path / "journal"
    journal_seen(data)

    # 1. Nobody speaks: where does the first question end on the clock?
    quiet = silence(30)
    out, _ = run(tmp_path, data, "quiet", quiet)
    assert len(out) == len(quiet)  # --audio-out lines up with the input, sample for sample
    intro, first_q = spans(out)[:2]
    assert intro[0] < 0.2  # the intro starts at once

    # 2. The first answer after the first question: where does the second one start?
    before = silence(first_q[1] + 0.6)
    answered = np.concatenate([before, speak(FIRST), silence(12)])
    out, done = run(tmp_path, data, "answered", answered)
    answer_end = (len(before) + len(speak(FIRST))) / RATE
    second_q = next(s for s in spans(out) if s[0] > answer_end)
    assert f"» {EVENING.states['fear'].prompt}" in done.stdout
    # The answer ends after a short pause when the turn model judges it finished, else after
    # the script's 3 s of quiet (espeak-ng's ending here gets either, by a hair); the question
    # follows at once, and --show-turns says which it was.
    gap = second_q[0] - answer_end
    if "turn: early after 0.7" in done.stderr:
        assert 0.7 <= gap <= 1.5, (second_q, answer_end)
    else:
        assert "turn: silence after 3.0" in done.stderr, done.stderr
        assert 3.0 <= gap <= 3.4, (second_q, answer_end)
    assert "turn model 0." in done.stderr

    # 3. The same, with "stop" said 1 s into the second question.
    at = int((second_q[0] + 1.0) * RATE)
    stop = speak("stop")
    heard = answered[: at + len(stop) + 4 * RATE].copy()
    heard[at : at + len(stop)] = stop
    out, done = run(tmp_path, data, "stopped", heard)
    stop_end = (at + len(stop)) / RATE
    cut = next(s for s in spans(out, gap_s=0.05) if s[0] >= second_q[0] - 0.01)
    print(f"barge-in from a file: the question stopped {cut[1] - stop_end:.3f} s after stop ended")
    assert cut[1] - stop_end <= 0.3, f"the question went on {cut[1] - stop_end:.2f} s after stop"
    assert second_q[1] - cut[1] > 1.0  # it really was cut short
    assert f"» {REPLIES['stopped']}" in done.stdout
    assert f"» {EVENING.states['roots'].prompt}" not in done.stdout

    sessions = export(data)
    last = sessions[-1]
    assert last["status"] == "stopped"
    assert [t["state"] for t in last["turns"]] == ["today"]
    assert "stop" not in last["turns"][0]["answer"].split()
