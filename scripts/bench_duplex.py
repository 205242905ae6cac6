#!/usr/bin/env python3
"""Through a private virtual sound card (tests/support/pulse.py), a simulated person answers N
questions with the answers of the turn-taking test set (tests/support/turn_set.py: thinking
pauses of 1.5-3 s inside them; espeak-ng speech and, where ../shared/speech exists, human
recordings), each as soon as the question has been spoken. Prints, per turn and as median / 95th
percentile, the time from the end of the person's speech to the next question's first sound; the
quiet the turn rule waited and the turn model's time (from --show-turns lines), and the decision
to the first sound (from when that line appears: saving, the safety check, synthesis of the
first sentence, output latency); and how many answers were stored whole.

    .venv/bin/python scripts/bench_duplex.py [--turns 20] [--echo] [--smart-off]
        [--voice espeak-ng] [--speeds 0.85,1.15] [--part tune|report|all] [--listen KEY=S]

The answers: the written ones spoken by `--voice` at each speed, the human recordings with
lengthened pauses and the natural ones as they are (turn_set.py; REFLECT_SHARED_SPEECH points
at ../shared/speech from a git worktree); `--part` picks the half a rule was tuned on or the
other. It also counts the pauses of 1.5-2.5 s inside answers in which the assistant began to
speak (heard at the speaker).

With --barge-in, "skip" is said over each question (1 s into its sound; "stop" over the last) and
it prints the time from the end of the command (heard on the microphone) to the question's last
sound, per question and as median / 95th percentile: the barge-in in real time, which the test
asserts on the audio clock (tests/flows/test_duplex_wav.py) and checks here only as a cut.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from assistant.base.settings import DIALOGS_DIR, ListenSettings  # noqa: E402

from audio_helpers import conversation, write  # noqa: E402
from child import reflect  # noqa: E402
from person import listen_overrides, question_script  # noqa: E402
from pulse import MIC, Child, PulseServer  # noqa: E402
from turn_set import generated, human, natural, report_part, tune_part  # noqa: E402

TURN_LINE = re.compile(r"turn: (\w[\w ]*) after ([\d.]+) s of quiet(?:.*? in (\d+) ms)?")


class StderrTail:
    """The child's --show-turns lines, each with the time it appeared (polled every 5 ms): the
    moment an answer was decided to have ended."""

    def __init__(self, path: Path) -> None:
        self.lines: list[tuple[float, str]] = []
        self._path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        seen = 0
        while not self._stop.is_set():
            text = self._path.read_text(errors="replace") if self._path.exists() else ""
            if len(text) > seen:
                now = time.monotonic()
                complete = text[seen:].rsplit("\n", 1)[0] if "\n" in text[seen:] else ""
                for line in complete.splitlines():
                    if "turn:" in line:
                        self.lines.append((now, line))
                seen += len(complete) + (1 if complete else 0)
            time.sleep(0.005)

    def since(self, at: float) -> list[tuple[float, str]]:
        return [(t, line) for t, line in self.lines if t >= at]

    def stop(self) -> None:
        self._stop.set()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


@contextlib.contextmanager
def sound_card(tmp: Path, dialogs: Path, echo: bool) -> Iterator[tuple]:
    """A private sound card (an echo room with `echo`), a journal that has given its first-run
    notice, and the speaker and microphone recorded: (pulse, env, journal, speaker, mic)."""
    with PulseServer() as pulse:
        if echo:
            pulse.echo_room()
        env = {**pulse.env, "REFLECT_DIALOGS_DIR": str(dialogs)}
        data = tmp / "journal"
        reflect("bench", "--typed", "--silent", "--data-dir", str(data), env=env)  # the notice
        speaker = pulse.record(tmp / "speaker.wav")
        mic = pulse.record(tmp / "mic.wav", device=f"{MIC}.monitor")
        try:
            yield pulse, env, data, speaker, mic
        finally:
            speaker.stop()
            mic.stop()


#: A question long enough to be cut well inside it (about 3.7 s at 200 words a minute), one
#: sentence: a cut question is one stretch of sound.
LONG_QUESTION = "In question {n} think of a moment when you felt unsure, and tell me about it."


def barge_in(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="reflect-bench-"))
    dialogs = tmp / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    states = "".join(
        f'    - {{name: q{i}, prompt: "{LONG_QUESTION.format(n=i + 1)}"}}\n'
        for i in range(args.turns)
    )
    dests = [f"q{i}" for i in range(1, args.turns)] + ["end"]
    moves = "".join(
        f"    - {{trigger: next, source: q{i}, dest: {dest}}}\n" for i, dest in enumerate(dests)
    )
    (dialogs / "bench.yaml").write_text(
        "description: barge-in run\nintro: Hello.\noutro: Thank you.\nmachine:\n  initial: q0\n"
        f"  states:\n{states}    - {{name: end, final: true}}\n  transitions:\n{moves}"
    )
    skip = write(tmp / "skip.wav", conversation([0.2, "skip", 0.3]))
    stop = write(tmp / "stop.wav", conversation([0.2, "stop", 0.3]))
    cuts = []
    with sound_card(tmp, dialogs, args.echo) as (pulse, env, data, speaker, mic):
        child = Child(["bench", "--data-dir", str(data), "--rate", "200"], env, tmp / "err")
        try:
            at = next_line(child, "» In question 1 ")
            for turn in range(args.turns):
                last = turn + 1 == args.turns
                onset = speaker.wait_for_sound(since=at, sounded_s=1.0)
                sent = time.monotonic()
                pulse.play(stop if last else skip)
                at = next_line(child, "» Stopping here" if last else f"» In question {turn + 2} ")
                said = [r for r in mic.loud_runs(since=sent - 0.05) if r[1] - r[0] < 1.5]
                question = speaker.loud_runs(since=onset - 0.01, gap_s=0.2)
                cut = question[0][1] + speaker.block_s - (said[0][1] + mic.block_s)
                cuts.append(cut)
                print(
                    f"question {turn + 1:2d}: cut {cut:.3f} s after the command ended", flush=True
                )
        finally:
            child.stop()
    room = "echo room" if args.echo else "clean room"
    print(
        f"{room}, barge-in over {len(cuts)} questions, the command's end to the question's last "
        f"sound: median {statistics.median(cuts):.3f} s, p95 {pct(cuts, 0.95):.3f} s, "
        f"worst {max(cuts):.3f} s"
    )
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def next_line(child: Child, start: str, timeout_s: float = 40) -> float:
    """When the child printed the next line starting with `start`."""
    while True:
        at, line = child.next_line(timeout_s)
        if line is None:
            shown = "\n".join(child.transcript)
            raise SystemExit(
                f"reflect ended while waiting for {start!r}:\n{shown}\n{child.stderr()}"
            )
        if line.startswith(start):
            return at


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--echo", action="store_true", help="loop the speaker into the microphone")
    ap.add_argument(
        "--smart-off", action="store_true", help="early_end: false (only the end silence)"
    )
    ap.add_argument(
        "--barge-in", action="store_true", help="say skip over each question: how soon it stops"
    )
    ap.add_argument("--voice", default="espeak-ng", help="the voice the written answers speak in")
    ap.add_argument("--speeds", default="0.85,1.15", help="speaking rates, times each row's")
    ap.add_argument("--part", choices=("tune", "report", "all"), default="report")
    ap.add_argument("--listen", action="append", default=[], help="KEY=VALUE, a listen setting")
    args = ap.parse_args()
    if args.barge_in:
        return barge_in(args)
    tmp = Path(tempfile.mkdtemp(prefix="reflect-bench-"))
    dialogs = tmp / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    listen = listen_overrides(args.listen)
    end_silence_s = listen.pop("end_silence_s", ListenSettings().end_silence_s)
    text = question_script(args.turns, end_silence_s, **listen)
    if args.smart_off:
        text = text.replace("listen: {", "listen: {early_end: false, ")
    (dialogs / "bench.yaml").write_text(text)
    speeds = tuple(float(x) for x in args.speeds.split(","))
    answers = generated(args.voice, speeds) + human() + natural()
    answers = {"tune": tune_part, "report": report_part}.get(args.part, list)(answers)
    rule = f"end silence {end_silence_s} s, listen {listen or 'as default'}"
    print(f"{args.part} part, {args.voice} at {speeds}: {len(answers)} answers; {rule}")
    inside, thinking, unexplained = 0, 0, 0
    wavs = [write(tmp / f"a{i}.wav", a.audio) for i, a in enumerate(answers)]
    rows = []
    with sound_card(tmp, dialogs, args.echo) as (pulse, env, data, speaker, mic):
        err = tmp / "err"
        child = Child(["bench", "--data-dir", str(data), "--rate", "200", "--show-turns"], env, err)
        tail = StderrTail(err)
        try:
            at = next_line(child, "» Question 1.")
            for turn in range(args.turns):
                speaker.wait_for_quiet(since=at, quiet_s=0.6, min_loud_s=1.0, timeout_s=25)
                sent = time.monotonic()
                pulse.play(wavs[turn % len(wavs)])  # returns once played to the end
                said = mic.loud_runs(since=sent - 0.05)
                end = said[-1][1] + mic.block_s
                begun = said[0][0]
                deadline = time.monotonic() + 12
                nxt = None
                while nxt is None and time.monotonic() < deadline:
                    runs = [r for r in speaker.loud_runs(since=end) if r[0] >= end]
                    nxt = runs[0][0] if runs else None
                    time.sleep(0.02)
                if nxt is None:
                    raise SystemExit(f"no next prompt after turn {turn + 1}\n{child.stderr()}")
                at = nxt
                time.sleep(0.1)
                answer = answers[turn % len(answers)]
                sounds = [r[0] for r in speaker.loud_runs(since=begun) if r[0] < end]
                for pause in answer.pauses:
                    if 1.5 <= pause.length_s <= 2.5:
                        a = begun + pause.at_s
                        thinking += 1
                        inside += any(a <= t < a + pause.length_s for t in sounds)
                decided = [(t, line) for t, line in tail.since(sent) if t <= nxt + 0.05]
                if not decided:  # the next sound was not a question after an ended answer
                    lines = "; ".join(child.transcript[-3:])
                    print(
                        f"turn {turn + 1:2d}: a sound {nxt - end:.2f} s after the answer, "
                        f"with no answer ended before it (last lines: {lines})",
                        flush=True,
                    )
                    unexplained += 1
                    continue
                decided_at, line = decided[-1]
                how, quiet, model_ms = TURN_LINE.search(line).groups()  # type: ignore[union-attr]
                quiet_s = float(quiet)
                # only an early end waits for the model; otherwise it was asked long before
                model_s = int(model_ms) / 1000 if model_ms and how == "early" else 0.0
                total = nxt - end
                start_s = nxt - decided_at  # the decision to the first sound
                rows.append((total, quiet_s, model_s, start_s, how))
                print(
                    f"turn {turn + 1:2d}: {total:.2f} s; quiet waited {quiet_s:.2f} ({how}), "
                    f"model {model_s:.3f}, decision to first sound {start_s:.3f}",
                    flush=True,
                )
        finally:
            tail.stop()
            child.stop()
        done = reflect("export", "--format", "json", "--data-dir", str(data), env=env)
        sessions = json.loads(done.stdout)["sessions"]
    stored = len(sessions[-1]["turns"]) if sessions else 0
    room = "echo room" if args.echo else "clean room"
    early = listen.get("early_end", ListenSettings().early_end) and not args.smart_off
    rule = "VAD + turn model" if early else f"VAD, end silence {end_silence_s} s only"
    print(f"{room}, {rule}, {len(rows)} turns, end of speech to the next question's first sound:")
    cols = list(zip(*rows, strict=True))
    for name, col in (("total", cols[0]), ("quiet waited", cols[1]), ("turn model", cols[2]),
                      ("decision to sound", cols[3])):  # fmt: skip
        print(
            f"  {name:13s} median {statistics.median(col):.3f} s, p95 {pct(list(col), 0.95):.3f} s"
        )
    early = sum(1 for r in rows if r[4] == "early")
    print(f"  pauses of 1.5-2.5 s the assistant began to speak inside: {inside} of {thinking}")
    print(f"  turns with a sound after the answer but no ended answer before it: {unexplained}")
    print(f"  ended early {early} of {len(rows)}; stored turns {stored} for {args.turns} answers")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
