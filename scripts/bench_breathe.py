#!/usr/bin/env python3
"""How long a five-minute breathing exercise takes to plan and lay out, per built-in pattern:
the schedule (with a slower, a faster and a words-back request on the way), the cues rendered
with the espeak-ng program, and the cues and tones placed on the audio clock and mixed.

The test (tests/unit/breathe/test_breathe_schedule.py) checks where the cues land, sample for
sample; this says how long the work takes here, which a test cannot assert on a loaded machine.

    .venv/bin/python scripts/bench_breathe.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from assistant.breathe.patterns import load_patterns  # noqa: E402
from assistant.breathe.schedule import RATE_HZ, Schedule, phase_tones, place_cues  # noqa: E402

from audio_helpers import speak  # noqa: E402


def plan_and_place(pattern, rendered: dict) -> float:
    """Seconds to plan five minutes with three adjustments, place the cues and mix them."""
    started = time.perf_counter()
    schedule = Schedule(pattern, minutes=5)
    schedule.slower(60 * RATE_HZ)
    schedule.faster(150 * RATE_HZ)
    schedule.words_back(200 * RATE_HZ)
    place_cues(schedule.steps, rendered, phase_tones()).mix()
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    for name, pattern in sorted(load_patterns().items()):
        started = time.perf_counter()
        rendered = {text: speak(text) for text in pattern.cue_texts()}
        render_s = time.perf_counter() - started
        times = [plan_and_place(pattern, rendered) for _ in range(args.repeats)]
        print(
            f"{name:16s} cues rendered in {render_s:.2f} s; plan, place and mix five minutes: "
            f"median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
