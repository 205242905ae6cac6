#!/usr/bin/env python3
"""The voice's time here: the neural voice against espeak-ng (load time, memory added, the time
from a prompt to its first audio, real-time factor on one thread, the first prompt after
start-up), then what a hanging pyttsx3 costs a session before the espeak-ng program takes over
(one bounded wait, then nothing), and how long each synthesiser takes to render one prompt.

The test (tests/unit/speech/test_voice.py) checks that the fallback happens once and that the
session never waits for the hanging engine; this measures the wall-clock cost, which a test
cannot assert on a loaded machine.

    .venv/bin/python scripts/bench_voice.py [--timeout-s 0.5] [--repeats 3]

Targets (issue 23): prompt to first audio, median at most 100 ms; memory added at most 120 MB;
the first prompt after start-up no later than with pyttsx3.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
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

EVENING = ROOT / "dialogs" / "evening.yaml"
#: In a fresh process, what `reflect` does in full duplex (the microphone) from its start to the
#: audio of its first prompt rendered: the voice's load begun (cli/start.py), the session's
#: modules imported, the guide's synthesiser made, the first part the Voice plays rendered (a
#: neural voice's first piece, speech/neural_voice.py; espeak-ng's first sentence).
FIRST_SENTENCE = """
import sys, time
started = time.perf_counter()
from dataclasses import replace
from assistant.base.settings import VoiceSettings
from assistant.speech import voices
voices.preload(sys.argv[1])
import assistant.cli.session
synth = voices.guide_synths(replace(VoiceSettings(), voice_name=sys.argv[1]))[0]
synth.render(getattr(synth, "parts", lambda text: [text])(sys.argv[2])[0])
print(time.perf_counter() - started)
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_sentences() -> list[str]:
    from assistant.dialog.script import load_script
    from assistant.speech.voice import sentences, spoken

    script = load_script(EVENING)
    texts = [script.intro, *(s.prompt for s in script.states.values()), script.outro]
    return [spoken(sentences(t)[0]) for t in texts if t.strip()]


def neural_vs_espeak() -> None:
    import onnxruntime  # noqa: F401  (a session has it loaded already, for the turn models)

    from assistant.speech.neural_voice import NeuralModel, NeuralSynth
    from assistant.speech.voices import BY_NAME

    path = BY_NAME["joe"].model
    assert path is not None
    before = peak_mb()
    started = time.perf_counter()
    model = NeuralModel(path)
    load_s = time.perf_counter() - started
    neural = NeuralSynth(VoiceSettings(), path, model=_ready(model))
    espeak = EspeakCliSynth(VoiceSettings())
    texts = first_sentences()
    rows = {}
    for name, synth in (("joe (neural)", neural), ("espeak-ng program", espeak)):
        synth.render("Hello.")  # warm: the first run of a model allocates its buffers
        firsts, wholes, spent, audio_s = [], [], 0.0, 0.0
        for text in texts:
            part = getattr(synth, "parts", lambda text: [text])(text)[0]  # what Voice plays first
            started = time.perf_counter()
            synth.render(part)
            firsts.append(time.perf_counter() - started)
            started = time.perf_counter()
            audio = synth.render(text)
            wholes.append(time.perf_counter() - started)
            spent += wholes[-1]
            audio_s += audio.duration_s
        rows[name] = (statistics.median(firsts), statistics.median(wholes), spent / audio_s)
    added = peak_mb() - before
    print(f"neural voice: loads in {load_s:.2f} s; peak memory added {added:.0f} MB "
          f"(load + rendering {len(texts)} prompts; target <= 120)")  # fmt: skip
    for name, (first_s, whole_s, rtf) in rows.items():
        print(f"{name:18s} prompt to first audio (the first part Voice plays rendered), median "
              f"of {len(texts)}: {first_s * 1000:.0f} ms (whole first sentence "
              f"{whole_s * 1000:.0f} ms); real-time factor, 1 thread: {rtf:.3f}")  # fmt: skip
    for sentence in ("Before we begin, one thing to know.", "What's on your mind tonight?"):
        for name in ("joe", "espeak"):
            times = [float(subprocess.run(
                [sys.executable, "-c", FIRST_SENTENCE, name, sentence], cwd=ROOT,
                capture_output=True, text=True, check=True).stdout.split()[-1])
                for _ in range(3)]  # fmt: skip
            print(f"start-up to the first audio of {sentence!r} rendered (full duplex: it "
                  f"plays as soon as it is), voice {name}: {statistics.median(times):.2f} s "
                  f"(median of 3)")  # fmt: skip
    for first_run in (False, True):
        for name in ("joe", "espeak"):
            said = "the privacy notice (first run)" if first_run else "the opening question"
            print(f"start-up to the first audio sample in --audio-out, {said}, voice {name}: "
                  f"{first_prompt_s(name, first_run):.2f} s (median of 3)")  # fmt: skip


def first_prompt_s(voice: str, first_run: bool, repeats: int = 3) -> float:
    """`reflect journal --typed --voice VOICE --audio-out` started until the first prompt's
    audio is in the file (polled), as scripts/bench_speech.py times the spoken start. Half
    duplex: a neural voice's first piece is written as soon as it is rendered, espeak-ng's whole
    prompt: on a first run the privacy notice (6 sentences), after it the opening question."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            out, data = Path(tmp) / f"first{i}.wav", str(Path(tmp) / f"d{i}")
            if not first_run:  # the notice given once, by a silent session
                subprocess.run([sys.executable, "-m", "assistant", "journal", "--typed",
                                "--silent", "--data-dir", data], cwd=ROOT, input=b"",
                               capture_output=True, check=True)  # fmt: skip
            cmd = [sys.executable, "-m", "assistant", "journal", "--typed", "--voice", voice,
                   "--audio-out", str(out), "--data-dir", data]  # fmt: skip
            started = time.perf_counter()
            quiet = subprocess.DEVNULL
            proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=quiet,
                                    stderr=quiet)  # fmt: skip
            while not (out.exists() and out.stat().st_size > 44) and proc.poll() is None:
                time.sleep(0.002)
            times.append(time.perf_counter() - started)
            proc.kill()
            proc.wait()
    return statistics.median(times)


def _ready(model):
    from assistant.base.background import Background

    return Background(lambda: model, name="bench-voice")


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
    neural_vs_espeak()
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
