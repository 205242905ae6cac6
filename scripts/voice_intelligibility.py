#!/usr/bin/env python3
"""How well each voice is understood: every prompt of a script (dialogs/evening.yaml by default:
intro, prompts, reprompts, outro) rendered by the neural voice and by espeak-ng at the same
rate, transcribed by the project's Vosk model; the word error rate of each is printed, with
the help lines' numbers the safety flow says digit by digit ("988", "1-800-799-7233",
"116 123") and how long each voice takes to say the prompts (the pace --rate asks for).

    .venv/bin/python scripts/voice_intelligibility.py [--script evening] [--rate 150]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from assistant.audio.wav import resample, to_int16  # noqa: E402
from assistant.base.settings import DIALOGS_DIR  # noqa: E402
from assistant.dialog.script import find_script  # noqa: E402
from assistant.speech.model import load_model  # noqa: E402
from assistant.speech.voice import spoken  # noqa: E402
from assistant.speech.voices import render_with  # noqa: E402

from wer import plain_vosk_transcript, word_error_rate  # noqa: E402

VOICES = ("joe", "espeak")
QUIET_S = 0.4  # before and after each rendering: the gap between prompts
#: What the safety flow says, and the words a listener must hear in it.
NUMBERS = (
    ("Call 988 now.", "call nine eight eight now"),
    ("Call 1-800-799-7233.", "call one eight zero zero seven nine nine seven two three three"),
    ("Call 116 123.", "call one one six one two three"),
)


def prompts(name: str) -> list[str]:
    script = find_script(name, DIALOGS_DIR)
    texts = [script.intro]
    for state in script.states.values():
        texts += [state.prompt, state.reprompt]
    texts.append(script.outro)
    return [t for t in texts if t and t.strip()]


def heard(model, text: str, voice: str, rate: int) -> tuple[str, float]:
    """What Vosk heard of `text` said by `voice`, and how long the speech was (s)."""
    audio = render_with(spoken(text), voice, rate)
    samples = to_int16(resample(audio.samples / 32768.0, audio.rate_hz, 16_000))
    quiet = np.zeros(int(QUIET_S * 16_000), dtype=np.int16)  # as around a prompt in a session
    return plain_vosk_transcript(model, np.concatenate([quiet, samples, quiet])), audio.duration_s


def corpus_wer(pairs: list[tuple[str, str]]) -> float:
    words = sum(len(ref.split()) for ref, _ in pairs)
    errors = sum(word_error_rate(ref, hyp) * len(ref.split()) for ref, hyp in pairs)
    return errors / max(1, words)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--script", default="evening")
    ap.add_argument("--rate", type=int, default=150, help="words per minute")
    ap.add_argument("--verbose", action="store_true", help="print every transcript")
    args = ap.parse_args()
    model = load_model()
    texts = prompts(args.script)
    words = sum(len(spoken(t).split()) for t in texts)
    print(f"{len(texts)} prompts of {args.script}.yaml ({words} words), at {args.rate} wpm")
    for voice in VOICES:
        pairs, seconds = [], 0.0
        for text in texts:
            hyp, duration = heard(model, text, voice, args.rate)
            pairs.append((spoken(text), hyp))
            seconds += duration
            if args.verbose:
                print(f"  {voice}: {hyp}")
        numbers = [(ref, heard(model, text, voice, args.rate)[0]) for text, ref in NUMBERS]
        print(f"{voice:7s} WER {corpus_wer(pairs):.3f}   help-line numbers WER "
              f"{corpus_wer(numbers):.3f}   {seconds:.1f} s of speech "
              f"({words / seconds * 60:.0f} words a minute with its pauses)")  # fmt: skip
        for ref, hyp in numbers:
            print(f"        {ref!r} heard as {hyp!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
