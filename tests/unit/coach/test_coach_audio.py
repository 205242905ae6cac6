"""Coaching on real speech: espeak-ng says an attempt, the real Vosk model writes it out with word
times, and the coaching reads pace and findings from that."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.coach.analyse import assess
from assistant.coach.findings import Kind, ReplyKind
from assistant.coach.rules import load_coaching

from audio_helpers import RATE, silence, speak

PAUSE_S = 2.0  # between sentences: longer than the long pause the pace leaves out


@pytest.fixture(scope="module")
def rules():
    return load_coaching(DIALOGS_DIR / "coaching.yaml")


def recognise(model, samples: np.ndarray) -> tuple[str, list[dict]]:
    """The transcript and word times, fed to a KaldiRecognizer in 0.25 s blocks as a live
    microphone would."""
    from vosk import KaldiRecognizer

    rec = KaldiRecognizer(model, RATE)
    rec.SetWords(True)
    words: list[dict] = []
    step = RATE // 4
    for i in range(0, len(samples), step):
        if rec.AcceptWaveform(samples[i : i + step].tobytes()):
            words += json.loads(rec.Result()).get("result", [])
    words += json.loads(rec.FinalResult()).get("result", [])
    return " ".join(w["word"] for w in words), words


def attempt(sentences: list[str], wpm: int) -> tuple[np.ndarray, float, int]:
    """The sentences spoken with pauses between them; the seconds of speech and its words."""
    spoken = [speak(s, wpm=wpm) for s in sentences]
    parts = [silence(0.5)]
    for chunk in spoken:
        parts += [chunk, silence(PAUSE_S)]
    voiced = sum(len(c) for c in spoken) / RATE
    words = sum(len(s.split()) for s in sentences)
    return np.concatenate(parts), voiced, words


@pytest.mark.parametrize("wpm", [130, 190])
def test_pace_matches_words_over_voiced_time(model, rules, wpm):
    sentences = [
        "Sometimes I worry that we are drifting apart.",
        "I would like us to have dinner together on Fridays.",
        "It would mean a lot to me.",
    ]
    samples, voiced_s, words = attempt(sentences, wpm)
    text, times = recognise(model, samples)
    said = assess(text, rules, times)
    expected = words * 60 / voiced_s
    print(f"\n{wpm} wpm asked: pace {said.pace_wpm:.0f}, words/voiced {expected:.0f}: {text!r}")
    assert said.pace_wpm == pytest.approx(expected, rel=0.10)
    assert said.sentences == 3  # read from the pauses


def test_blaming_attempt_is_quoted_and_gets_a_defensive_reply(model, rules):
    samples, _, _ = attempt(["You never listen to me.", "It is your fault."], 150)
    text, times = recognise(model, samples)
    said = assess(text, rules, times)
    blame = [f.words for f in said.of(Kind.BLAME)]
    print(f"\n{text!r}: {blame}")
    assert "you never listen to me" in blame
    assert said.reply is ReplyKind.DEFENSIVE


def test_gentle_attempt_gets_credit_and_an_open_reply(model, rules):
    sentences = ["I get scared when you are late.", "Could you send me a quick message?"]
    samples, _, _ = attempt(sentences, 150)
    text, times = recognise(model, samples)
    said = assess(text, rules, times)
    print(f"\n{text!r}: {[f.kind.value for f in said.findings]}")
    assert said.has(Kind.I_STATEMENT) and said.has(Kind.FEELING) and said.has(Kind.REQUEST)
    assert not said.has(Kind.BLAME)
    assert said.reply is ReplyKind.OPEN
