#!/usr/bin/env python3
"""Benchmark the voice loop against a plain Vosk loop over the same audio.

Prints, for espeak-ng answers made now and for the human recordings in ../shared/speech:
word error rate of the loop's stored answers and of a plain Vosk loop (one recogniser, 4000-frame
chunks), and processing time of both in the same run (compare the ratio, not the seconds: the
machine is noisy). Then the wall time of a whole 5-answer `reflect evening` from a WAV through
the CLI (start-up, model load, speech synthesis to --audio-out, journal writes).

    .venv/bin/python scripts/bench_loop.py
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from assistant.audio.sinks import NullSink  # noqa: E402
from assistant.audio.sources import WavSource  # noqa: E402
from assistant.audio.wav import read_wav  # noqa: E402
from assistant.dialog.script import find_script  # noqa: E402
from assistant.dialog.session import Session  # noqa: E402
from assistant.journal.store import Journal  # noqa: E402
from assistant.settings import DIALOGS_DIR  # noqa: E402
from assistant.speech.commands import load_commands  # noqa: E402
from assistant.speech.listener import SpeechListener  # noqa: E402
from assistant.speech.model import load_model  # noqa: E402
from assistant.speech.voice import Voice  # noqa: E402

from audio_helpers import conversation, write  # noqa: E402
from wer import plain_vosk_transcript, word_error_rate  # noqa: E402

ANSWERS = [
    "He cancelled our dinner plans at the last minute and did not say why.",
    "That he does not want to spend time with me any more.",
    "My father often cancelled on me when I was a child.",
    "I needed him to tell me why and to plan another evening.",
    "I will go for a walk with my sister tomorrow.",
]
SHARED = ROOT.parent / "shared" / "speech"


def run_loop(model, commands, script: str, wav: Path, data: Path) -> tuple[str, float]:
    """The project's loop in-process (no speech output): stored answers joined, seconds taken."""
    audio = read_wav(wav)
    start = time.perf_counter()
    listener = SpeechListener(WavSource(audio), model, commands)
    journal = Journal(data)
    Session(
        find_script(script, DIALOGS_DIR),
        listener,
        Voice([], NullSink(), show=lambda t: None),
        journal,
        commands,
    ).run()
    seconds = time.perf_counter() - start
    text = " ".join(t["answer"] for s in journal.sessions() for t in s["turns"])
    journal.close()
    return text, seconds


def compare(model, commands, name, script, wav: Path, reference: str, tmp: Path, runs=3) -> None:
    """Both loops over the same audio, interleaved `runs` times: Vosk itself is not repeatable to
    the word between runs, so single figures differ by noise."""
    samples = read_wav(wav).samples
    audio_s = len(samples) / 16000
    ours_wer, plain_wer, ours_s, plain_s = [], [], [], []
    for run in range(runs):
        start = time.perf_counter()
        plain = plain_vosk_transcript(model, samples)
        plain_s.append(time.perf_counter() - start)
        ours, seconds = run_loop(model, commands, script, wav, tmp / f"{name}-{run}")
        ours_s.append(seconds)
        ours_wer.append(word_error_rate(reference, ours))
        plain_wer.append(word_error_rate(reference, plain))

    def wer(values: list[float]) -> str:
        return f"{sum(values) / runs:.3f} ({min(values):.3f}-{max(values):.3f})"

    print(
        f"{name:16s} {audio_s:5.1f} s audio | WER loop {wer(ours_wer)}  plain {wer(plain_wer)}"
        f" | best time loop {min(ours_s):.2f} s (RTF {min(ours_s) / audio_s:.3f})"
        f"  plain {min(plain_s):.2f} s (RTF {min(plain_s) / audio_s:.3f})"
        f"  ratio {min(ours_s) / min(plain_s):.2f}"
    )


def main() -> None:
    start = time.perf_counter()
    model = load_model()
    print(f"model load: {time.perf_counter() - start:.2f} s")
    commands = load_commands(DIALOGS_DIR / "commands.yaml")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        parts: list[str | float] = [1.0]
        for answer in ANSWERS:
            parts += [answer, 4.0]
        evening = write(tmp / "evening.wav", conversation(parts))
        compare(model, commands, "espeak evening", "evening", evening, " ".join(ANSWERS), tmp)
        for name in ("polar", "dagon"):
            if (SHARED / f"{name}.wav").exists():
                reference = (SHARED / f"{name}.txt").read_text()
                compare(
                    model,
                    commands,
                    f"{name} (journal)",
                    "journal",
                    SHARED / f"{name}.wav",
                    reference,
                    tmp,
                )
        if (SHARED / "digits.wav").exists():
            digits = "one zero zero zero one nine oh two one oh zero one eight zero three"
            compare(
                model, commands, "digits (journal)", "journal", SHARED / "digits.wav", digits, tmp
            )

        runs = []
        for i in range(3):
            start = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "assistant",
                    "evening",
                    "--audio-in",
                    str(evening),
                    "--audio-out",
                    str(tmp / f"out{i}.wav"),
                    "--data-dir",
                    str(tmp / f"cli{i}"),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            runs.append(time.perf_counter() - start)
            assert done.returncode == 0, done.stderr
        exported = subprocess.run(
            [sys.executable, "-m", "assistant", "export", "--data-dir", str(tmp / "cli0")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        answers = len(json.load(io.StringIO(exported.stdout))["sessions"][0]["turns"])
        audio_s = len(read_wav(evening).samples) / 16000
        print(
            f"CLI `reflect evening --audio-in --audio-out`, {answers} answers, {audio_s:.1f} s of"
            f" answers: {min(runs):.2f} s best of 3 ({', '.join(f'{r:.2f}' for r in runs)})"
        )


if __name__ == "__main__":
    main()
