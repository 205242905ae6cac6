#!/usr/bin/env python3
"""Through a private virtual sound card (tests/pulse.py), a simulated person answers N questions
as soon as each has been spoken; prints, per turn and as median / 95th percentile, the time from
the end of the person's speech to the next question's first sound, split into the silence waited
(speech end to the answer being saved, which includes the script's end silence) and the rest
(saved to the first sound: safety check, synthesis, output latency).

    .venv/bin/python scripts/bench_duplex.py [--turns 20] [--echo]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from assistant.settings import DIALOGS_DIR  # noqa: E402

from audio_helpers import conversation, write  # noqa: E402
from conftest import reflect  # noqa: E402
from pulse import MIC, Child, PulseServer  # noqa: E402

ANSWERS = [
    "Yesterday my partner did not reply to my text messages.",
    "I just needed some reassurance and a little patience.",
    "A long walk with my sister would have helped me.",
    "I felt left out when they made plans without me.",
]


def script(turns: int) -> str:
    states = "\n".join(
        f"    - {{name: q{i}, prompt: Question {i + 1}. What else comes to mind about it?}}"
        for i in range(turns)
    )
    moves = "\n".join(
        f"    - {{trigger: next, source: q{i}, dest: {f'q{i + 1}' if i + 1 < turns else 'end'}}}"
        for i in range(turns)
    )
    return (
        "description: latency bench\nintro: Hello.\noutro: Thank you.\n"
        "listen: {end_silence_s: 3.0}\nmachine:\n  initial: q0\n  states:\n"
        f"{states}\n    - {{name: end, final: true}}\n  transitions:\n{moves}\n"
    )


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--echo", action="store_true", help="loop the speaker into the microphone")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="reflect-bench-"))
    dialogs = tmp / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    (dialogs / "bench.yaml").write_text(script(args.turns))
    wavs = [write(tmp / f"a{i}.wav", conversation([0.2, a, 0.3])) for i, a in enumerate(ANSWERS)]
    rows = []
    with PulseServer() as pulse:
        if args.echo:
            pulse.echo_room()
        env = {**pulse.env, "REFLECT_DIALOGS_DIR": str(dialogs)}
        data = tmp / "journal"
        reflect("bench", "--typed", "--silent", "--data-dir", str(data), env=env)  # the notice
        speaker = pulse.record(tmp / "speaker.wav")
        mic = pulse.record(tmp / "mic.wav", device=f"{MIC}.monitor")
        child = Child(["bench", "--data-dir", str(data), "--rate", "200"], env, tmp / "err")
        try:
            for turn in range(args.turns):
                while True:
                    at, line = child.next_line(40)
                    if line is None:
                        raise SystemExit(f"reflect ended early:\n{child.stderr()}")
                    if line.startswith(f"» Question {turn + 1}."):
                        break
                speaker.wait_for_quiet(since=at, quiet_s=0.6, min_loud_s=1.0, timeout_s=25)
                sent = time.monotonic()
                pulse.play(wavs[turn % len(wavs)])
                while True:
                    saved, line = child.next_line(20)
                    if line is None or line.startswith("  you:"):
                        break
                said = mic.loud_runs(since=sent - 0.05)
                end = said[-1][1] + mic.block_s
                deadline = time.monotonic() + 10
                nxt = None
                while nxt is None and time.monotonic() < deadline:
                    runs = speaker.loud_runs(since=saved)
                    nxt = runs[0][0] if runs else None
                    time.sleep(0.02)
                if nxt is None:
                    raise SystemExit("no next prompt")
                rows.append((nxt - end, saved - end, nxt - saved))
                print(f"turn {turn + 1:2d}: {nxt - end:.2f} s = silence waited {saved - end:.2f}"
                      f" + the rest {nxt - saved:.2f}", flush=True)  # fmt: skip
        finally:
            child.stop()
            speaker.stop()
            mic.stop()
    total, waited, rest = (list(col) for col in zip(*rows, strict=True))
    room = "echo room" if args.echo else "clean room"
    print(f"{room}, {len(rows)} turns, end of speech to the next question's first sound:")
    for name, col in (("total", total), ("silence waited", waited), ("the rest", rest)):
        print(f"  {name:15s} median {statistics.median(col):.2f} s, p95 {pct(col, 0.95):.2f} s")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
