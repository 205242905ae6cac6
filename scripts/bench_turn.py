#!/usr/bin/env python3
"""The cost of the turn-taking models on this machine (printed; not a test).

    .venv/bin/python scripts/bench_turn.py [--repeats N]

Prints the Silero VAD's real-time factor over espeak-ng speech (and ../shared/speech when
present), Smart Turn v3.2's time per call on 8 s of audio split into feature extraction and
the model (median of N calls after one warm-up), and the core count and load of the machine.
Both models use one onnxruntime thread, as the listener does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.audio.wav import parse_wav, read_wav  # noqa: E402
from assistant.speech.turn_model import TurnModel, log_mel_features  # noqa: E402
from assistant.speech.vad import SileroVad  # noqa: E402

RATE = 16_000
SHARED_SPEECH = ROOT.parent / "shared" / "speech"
TEXT = (
    "I keep checking my phone to see if he wrote back. I know it is silly, and I know he is "
    "busy at work, but when the evening goes quiet I start to wonder whether he still cares."
)


def espeak(text: str) -> np.ndarray:
    wav = subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", text],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return parse_wav(wav, RATE).samples


def vad_rtf(vad: SileroVad, samples: np.ndarray, chunk: int = 4000) -> tuple[float, float]:
    """(wall-clock, CPU-time) real-time factors of one pass."""
    vad.reset()
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(samples), chunk):
        vad.feed(samples[i : i + chunk])
    seconds = len(samples) / RATE
    return (time.perf_counter() - wall) / seconds, (time.process_time() - cpu) / seconds


def timed_ms(call) -> tuple[float, float]:
    """(wall-clock, CPU) milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="calls per figure (default 15)")
    args = parser.parse_args(argv)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.2f} (1 min)")
    print("(wall clock; CPU time of this process in brackets, less affected by other load)")

    speech = espeak(TEXT)
    clips = {"espeak-ng": np.concatenate([speech, speech, speech])}
    if SHARED_SPEECH.is_dir():
        for path in sorted(SHARED_SPEECH.glob("*.wav")):
            clips[path.name] = read_wav(path).samples

    start = time.perf_counter()
    vad = SileroVad()
    vad_load_ms = (time.perf_counter() - start) * 1000
    print(f"\nSilero VAD (load {vad_load_ms:.0f} ms), 4000-sample chunks, 32 ms windows:")
    for name, samples in clips.items():
        wall, cpu = zip(*(vad_rtf(vad, samples) for _ in range(3)), strict=True)
        rtf, rtf_cpu = statistics.median(wall), statistics.median(cpu)
        print(
            f"  {name:12} {len(samples) / RATE:5.1f} s  real-time factor {rtf:.4f} "
            f"[{rtf_cpu:.4f}]  {rtf * 32.0:.2f} ms per 32 ms window"
        )

    eight_s = np.concatenate([speech] * 3)[-8 * RATE :]
    start = time.perf_counter()
    turn = TurnModel()
    turn_load_ms = (time.perf_counter() - start) * 1000
    turn.verdict(eight_s)  # warm-up: the first run allocates
    features = log_mel_features(eight_s)
    calls = {
        "features (log-mel)": lambda: log_mel_features(eight_s),
        "model (onnxruntime)": lambda: turn.probability_of_features(features),
        "one call, all told": lambda: turn.probability(eight_s),
    }
    print(f"\nSmart Turn v3.2 (load {turn_load_ms:.0f} ms), 8 s of audio, {args.repeats} calls:")
    for name, call in calls.items():
        wall, cpu = zip(*(timed_ms(call) for _ in range(args.repeats)), strict=True)
        median_wall, median_cpu = statistics.median(wall), statistics.median(cpu)
        print(f"  {name:20} median {median_wall:6.1f} ms [{median_cpu:6.1f}]  min {min(wall):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
