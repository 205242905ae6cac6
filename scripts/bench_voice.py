#!/usr/bin/env python3
"""The voice's time here: what a hanging pyttsx3 costs a session before the espeak-ng program
takes over (one bounded wait, then nothing), and how long each synthesiser takes to render one
prompt.

The test (tests/unit/speech/test_voice.py) checks that the fallback happens once and that the
session never waits for the hanging engine; this measures the wall-clock cost, which a test
cannot assert on a loaded machine.

    .venv/bin/python scripts/bench_voice.py [--timeout-s 0.5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from assistant.audio.sinks import WavSink  # noqa: E402
from assistant.base.settings import VoiceSettings  # noqa: E402
from assistant.speech.voice import EspeakCliSynth, Pyttsx3Synth, Voice  # noqa: E402

from hanging_tts import HangingEngine  # noqa: E402

TEXT = "What happened today that stirred up a feeling of insecurity, even a small one?"


def hanging_fallback_s(timeout_s: float) -> float:
    """Two prompts said with a pyttsx3 engine whose runAndWait never returns."""
    import pyttsx3

    engine = HangingEngine()
    real_init = pyttsx3.init
    pyttsx3.init = lambda *a, **k: engine
    settings = VoiceSettings(synth_timeout_s=timeout_s)
    with tempfile.TemporaryDirectory() as tmp:
        voice = Voice(
            [Pyttsx3Synth(settings), EspeakCliSynth(settings)],
            WavSink(Path(tmp) / "out.wav"),
            show=lambda text: None,
            warn=lambda text: None,
        )
        try:
            started = time.perf_counter()
            voice.say(TEXT)
            voice.say("And a second prompt.")
            return time.perf_counter() - started
        finally:
            engine.release.set()
            voice.close()
            pyttsx3.init = real_init


def render_s(synth, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        synth.render(TEXT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout-s", type=float, default=0.5, help="the synthesis time bound")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    espeak = EspeakCliSynth(VoiceSettings())
    print(f"espeak-ng program renders one prompt in {render_s(espeak, args.repeats):.3f} s")
    pyttsx3 = Pyttsx3Synth(VoiceSettings())
    try:
        print(f"pyttsx3 renders one prompt in {render_s(pyttsx3, args.repeats):.3f} s")
    finally:
        pyttsx3.close()
    spent = hanging_fallback_s(args.timeout_s)
    print(
        f"a hanging pyttsx3 ({args.timeout_s:g} s bound): two prompts rendered and written "
        f"in {spent:.2f} s (one bounded wait, then the espeak-ng program)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
