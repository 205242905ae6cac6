"""Answers with thinking pauses inside them, for turn-taking: none may be split into two stored
answers. Written for this project: espeak-ng speech made at test time (several voices and
rates), and excerpts of the human recordings in ../shared/speech with their natural pauses
lengthened. Each pause is marked as between sentences or mid-clause."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.audio.wav import read_wav
from assistant.speech.vad import VadSettings, speech_segments

from audio_helpers import RATE, silence, speak, speak_as
from paths import SHARED_SPEECH

BETWEEN, MID, HOLDING, READING = "between sentences", "mid-clause", "holding", "reading"


@dataclass(frozen=True)
class Pause:
    at_s: float  # where the silence begins, in the answer
    length_s: float
    kind: str


@dataclass(frozen=True)
class TurnAnswer:
    name: str
    audio: np.ndarray
    pauses: tuple[Pause, ...]

    @property
    def seconds(self) -> float:
        return len(self.audio) / RATE


#: (parts, voice, rate): a float is a thinking pause; the kind is read from the text before it.
GENERATED: list[tuple[list[str | float], str, int]] = [
    (["I waited for his message all evening.", 2.0, "In the end I went to bed feeling small."],
     "en-us", 150),
    (["I felt left out because", 2.5, "they made plans without asking me."], "en-us", 140),
    (["When she came home late", 1.5, "I did not say anything at all."], "en-gb", 160),
    (["I think what I really needed was", 3.0, "a little more time with him."], "en-us", 130),
    (["It was fine.", 2.5, "Actually, no, it was not fine at all."], "en-us+f3", 150),
    (["We argued about money again, and", 2.0, "I said things that I regret now."],
     "en-gb", 150),
    (["My sister called me", 1.5, "and that helped a lot, more than I expected."],
     "en-us+f3", 160),
    (["I don't know.", 3.0, "Maybe I was just tired, and a bit scared."], "en-us", 140),
    (["He said he would call.", 2.0, "He didn't.", 2.5, "So I called him instead."],
     "en-us", 150),
    (["Hold on, let me think.", 6.0, "I wanted him to ask me how my day was."], "en-us", 150),
]  # fmt: skip


def generated(voice: str | None = None) -> list[TurnAnswer]:
    """`voice`: every answer said by that voice of the assistant's (speech/voices.py, e.g.
    "joe") at its rate, in place of the espeak-ng voices listed."""
    out = []
    for i, (parts, lang, wpm) in enumerate(GENERATED):
        chunks, pauses, at = [], [], 0
        for j, part in enumerate(parts):
            if isinstance(part, float):
                before = str(parts[j - 1]).rstrip()
                kind = (
                    HOLDING
                    if "let me think" in before.lower()
                    else (BETWEEN if before.endswith(".") else MID)
                )
                pauses.append(Pause(at / RATE, part, kind))
                chunk = silence(part)
            else:
                chunk = speak(part, wpm, lang) if voice is None else speak_as(part, voice, wpm)
            chunks.append(chunk)
            at += len(chunk)
        out.append(TurnAnswer(f"generated {i + 1}", np.concatenate(chunks), tuple(pauses)))
    return out


def human(pause_s: tuple[float, ...] = (2.0, 3.0, 1.5, 2.5)) -> list[TurnAnswer]:
    """Excerpts of up to 12 s from each recording, cut at a natural pause; the two longest
    pauses inside each are lengthened (in turn) to `pause_s`. Empty without ../shared."""
    out = []
    k = 0
    # Where the excerpts start, as shares of each recording. Dagon is a suicide note (the
    # safety check rightly answers most of it, which is not what this set is about); its
    # middle is not.
    for name, shares in (("polar", (0.0, 0.5)), ("dagon", (0.5,))):
        path = SHARED_SPEECH / f"{name}.wav"
        if not path.exists():
            continue
        samples = read_wav(path, RATE).samples
        segments = speech_segments(samples, VadSettings(min_silence_ms=96))  # every small gap
        for share in shares:
            start = next(a for a, _ in segments if a >= segments[-1][1] * share)
            inside = [s for s in segments if start <= s[0] and s[1] <= start + 12.0]
            gaps = sorted(
                ((inside[i + 1][0] - inside[i][1], i) for i in range(len(inside) - 1)),
                reverse=True,
            )[:2]
            chunks, pauses, at = [], [], 0
            cursor = start
            for _, i in sorted(gaps, key=lambda g: g[1]):
                end = inside[i][1]
                chunk = samples[int(cursor * RATE) : int(end * RATE)]
                chunks += [chunk, silence(pause_s[k % len(pause_s)])]
                at += len(chunk)
                pauses.append(Pause(at / RATE, pause_s[k % len(pause_s)], READING))
                at += len(chunks[-1])
                cursor = inside[i + 1][0]
                k += 1
            chunks.append(samples[int(cursor * RATE) : int(inside[-1][1] * RATE)])
            out.append(TurnAnswer(f"{name} {len(out) + 1}", np.concatenate(chunks), tuple(pauses)))
    return out
