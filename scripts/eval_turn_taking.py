#!/usr/bin/env python3
"""Turn-taking on the project's test set of answers with thinking pauses (tests/support/turn_set.py:
espeak-ng speech made now, and excerpts of ../shared/speech with their pauses lengthened).
Prints figures; not a test (tests/flows/test_turn_taking.py holds the assertions).

    .venv/bin/python scripts/eval_turn_taking.py [--repeats 3] [--voice espeak-ng]
        [--speeds 0.85,1.0,1.2] [--part tune|report|all] [--listen early_end_probability=0.5]

The set: the written answers spoken by `--voice` at each speed, the human recordings with
lengthened pauses and the natural ones as they are (REFLECT_SHARED_SPEECH points at them from a
git worktree); `--part` tunes on one half and reports on the other (turn_set.py).

1. The turn model alone: at every pause inside an answer (after the speech and 0.2 s of its
   quiet, as the listener feeds it), how often it says "complete" at the listener's threshold,
   which would cut in if nothing else held it back; and at the true ends, how often it lets an
   answer end early. Per source and per kind of pause.
2. A whole session of these answers on the shared clock (tests/support/turn_run.py, the simulated
   person): answers stored split (must be 0), answers cut in on and joined, how each ended,
   and in audio time the end of speech to the next question's first sound.
3. The cost: the listener's CPU real-time factor with the VAD and the turn model against the
   listener of before (partial transcripts, silence only), on the same audio, interleaved.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from assistant.audio.duplex import FileDuplex  # noqa: E402
from assistant.audio.wav import Audio  # noqa: E402
from assistant.base.settings import DIALOGS_DIR, ListenSettings  # noqa: E402
from assistant.events import EndOfInput  # noqa: E402
from assistant.speech.commands import load_commands  # noqa: E402
from assistant.speech.endpoint import PauseRules, Silence  # noqa: E402
from assistant.speech.listener import SpeechListener  # noqa: E402
from assistant.speech.model import load_model  # noqa: E402
from assistant.speech.smart_turns import speech_with_trailing_quiet, turn_taking  # noqa: E402
from assistant.speech.turn_model import TurnModel  # noqa: E402

from audio_helpers import RATE, silence  # noqa: E402
from person import listen_overrides  # noqa: E402
from turn_run import run_turns  # noqa: E402
from turn_set import generated, human, natural, report_part, tune_part  # noqa: E402

THRESHOLD = ListenSettings().early_end_probability


def model_alone(answers, threshold: float = THRESHOLD) -> None:
    model = TurnModel()
    inside: dict[str, list[bool]] = {}
    ends: dict[str, list[bool]] = {}
    at_pauses: list[float] = []
    at_ends: list[float] = []
    for a in answers:
        source = a.name.split()[0]
        for p in a.pauses:
            before = a.audio[: int(p.at_s * RATE)]
            heard = speech_with_trailing_quiet(np.concatenate([before, silence(0.7)]))
            at_pauses.append(model.probability(heard))
            inside.setdefault(f"{source}, {p.kind}", []).append(at_pauses[-1] >= threshold)
        heard = speech_with_trailing_quiet(np.concatenate([a.audio, silence(0.7)]))
        at_ends.append(model.probability(heard))
        ends.setdefault(source, []).append(at_ends[-1] >= threshold)
    print("   the model's probability of a finished turn (quartiles):")
    for name, values in (("at pauses", at_pauses), ("at true ends", at_ends)):
        if values:
            q = np.quantile(values, [0.25, 0.5, 0.75])
            print(f"     {name:12s} {q[0]:.2f} / {q[1]:.2f} / {q[2]:.2f} over {len(values)}")
    for t in (0.3, 0.5, 0.7, 0.8, 0.9):
        cut = sum(v >= t for v in at_pauses)
        early = sum(v >= t for v in at_ends)
        print(f"     p >= {t:.1f}: complete at {cut} of {len(at_pauses)} pauses, "
              f"{early} of {len(at_ends)} true ends")  # fmt: skip
    threshold_text = threshold
    print(f"1. The turn model alone (complete at p >= {threshold_text}):")
    total = [x for v in inside.values() for x in v]
    print(f"   pauses inside answers it would cut in on: {sum(total)} of {len(total)}")
    for kind, v in sorted(inside.items()):
        print(f"     {kind:28s} {sum(v)} of {len(v)}")
    total = [x for v in ends.values() for x in v]
    print(f"   true ends it would end early: {sum(total)} of {len(total)}")
    for source, v in sorted(ends.items()):
        print(f"     {source:28s} {sum(v)} of {len(v)}")


def session(answers, vosk_model, commands, listen: dict[str, float | bool]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        audio = [a.audio for a in answers]
        run = run_turns(Path(tmp), audio, vosk_model, commands, **listen)
    split = len(run.turns) - len(answers)
    joined = sum(1 for s in run.said if s.cut_in)
    ends = Counter(line.split(" after")[0].removeprefix("turn: ") for line in run.explained)
    waits = [(s.next_sound - s.end) / RATE for s in run.said if s.next_sound is not None]
    print(f"\n2. One session of {len(answers)} answers ({run.status}):")
    print(f"   stored turns {len(run.turns)}; answers split: {max(split, 0)}")
    print(f"   answers cut in on by the next question, then joined: {joined}")
    print(f"   how the answers (and joined parts) ended: {dict(ends)}")
    judgements = run.detector.rules[-1].judgements  # SmartTurn's
    model_ms = [j.verdict.features_ms + j.verdict.model_ms for j in judgements
                if j.verdict is not None]  # fmt: skip
    median_ms = f", median {statistics.median(model_ms):.0f} ms" if model_ms else ""
    print(f"   turn model calls {len(model_ms)}{median_ms}")
    print(
        f"   end of speech to the next sound (audio time, no synthesis): median "
        f"{statistics.median(waits):.2f} s, p95 {np.quantile(waits, 0.95):.2f} s, "
        f"max {max(waits):.2f} s over {len(waits)}"
    )
    inside = [(a, s) for a, s in zip(answers, run.said, strict=False) if a.pauses]
    thinking = [(p, s) for a, s in inside for p in a.pauses if 1.5 <= p.length_s <= 2.5]
    started = sum(
        1 for p, s in thinking
        if any(s.start + p.at_s * RATE <= c < s.start + (p.at_s + p.length_s) * RATE
               for c in s.cut_in)
    )  # fmt: skip
    print(f"   pauses of 1.5-2.5 s the assistant started speaking inside: {started} of "
          f"{len(thinking)}")  # fmt: skip


def listener_cpu(audio: np.ndarray, vosk_model, commands, smart: bool) -> float:
    vad, turns = turn_taking() if smart else (None, PauseRules(Silence()))
    listener = SpeechListener(
        FileDuplex(Audio(audio, RATE), None, 640), vosk_model, commands, turns=turns, vad=vad
    )
    cpu = time.process_time()
    while not isinstance(listener.listen(ListenSettings()), EndOfInput):
        pass
    return (time.process_time() - cpu) / (len(audio) / RATE)


def cost(answers, vosk_model, commands, repeats: int) -> None:
    audio = np.concatenate([np.concatenate([a.audio, silence(3.5)]) for a in answers])
    rows: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for smart in (False, True):
            rows[smart].append(listener_cpu(audio, vosk_model, commands, smart))
    before, after = statistics.median(rows[False]), statistics.median(rows[True])
    print(
        f"\n3. Listener CPU real-time factor on {len(audio) / RATE:.0f} s of these answers "
        f"(median of {repeats}, interleaved):"
    )
    print(f"   before (silence only) {before:.3f}; with VAD and turn model {after:.3f}; "
          f"ratio {after / before:.2f}")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3, help="0: no cost figures")
    ap.add_argument("--voice", default="espeak-ng", help="the voice the written answers speak in")
    ap.add_argument("--speeds", default="1.0", help="speaking rates, times each row's")
    ap.add_argument("--part", choices=("tune", "report", "all"), default="all")
    ap.add_argument("--listen", action="append", default=[], help="KEY=VALUE, a listen setting")
    args = ap.parse_args()
    listen = listen_overrides(args.listen)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f}")
    speeds = tuple(float(x) for x in args.speeds.split(","))
    answers = generated(args.voice, speeds) + human() + natural()
    answers = {"tune": tune_part, "report": report_part}.get(args.part, list)(answers)
    pauses = sum(len(a.pauses) for a in answers)
    print(f"test set ({args.part}, {args.voice} at {speeds}): {len(answers)} answers, "
          f"{pauses} pauses; listen {listen or 'as default'}")  # fmt: skip
    vosk_model = load_model()
    commands = load_commands(DIALOGS_DIR / "commands.yaml")
    model_alone(answers, listen.get("early_end_probability", THRESHOLD))
    session(answers, vosk_model, commands, listen)
    if args.repeats:
        cost(answers, vosk_model, commands, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
