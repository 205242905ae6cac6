"""Answers with thinking pauses inside them, for turn-taking: none may be split into two stored
answers. Written for this project: speech made at test time by a voice named (espeak-ng by
default, through the project's Synthesizer protocol, so a neural voice is one switch: add it to
VOICES), at several rates and speakers; excerpts of the human recordings in ../shared/speech
with their natural pauses lengthened; and the natural ones as they are (the MFA clips, with real
fillers and pauses; LibriSpeech, read). Each pause is marked as between sentences, mid-clause,
holding the floor, reading or natural.

`tune_part` / `report_part` split any list of answers in two, so a rule tuned on one part is
reported on the other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from assistant.audio.wav import read_wav, resample, to_int16
from assistant.base.settings import VoiceSettings
from assistant.speech.vad import VadSettings, speech_segments
from assistant.speech.voice import EspeakCliSynth, Pyttsx3Synth, Synthesizer
from assistant.speech.voices import guide_synths, partner_synths

from audio_helpers import RATE, silence
from paths import SHARED_SPEECH

BETWEEN, MID, HOLDING, READING = "between sentences", "mid-clause", "holding", "reading"
NATURAL = "natural"
#: The voices the set can be rendered with, by name. Each row's speaker (an espeak-ng variant)
#: is passed as VoiceSettings.voice to espeak-ng only; another voice speaks as its default.
VOICES: dict[str, Callable[[VoiceSettings], Synthesizer]] = {
    "espeak-ng": EspeakCliSynth,
    "pyttsx3": Pyttsx3Synth,
    "joe": lambda settings: guide_synths(replace(settings, voice_name="joe"))[0],
    "joe-partner": lambda settings: partner_synths(replace(settings, voice_name="joe"))[0],
}
#: A pause in a natural recording counts from this long (s).
NATURAL_PAUSE_S = 0.4


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
    (["I felt left out because", 2.5, "they made plans and did not invite me."], "en-us", 140),
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


def rendered(text: str, synth: Synthesizer) -> np.ndarray:
    """`text` spoken by `synth` at 16 kHz, its own leading and trailing silence trimmed (so the
    gaps added are the gaps the listener hears)."""
    audio = synth.render(text)
    samples = audio.samples
    if audio.rate_hz != RATE:
        samples = to_int16(resample(samples / 32768.0, audio.rate_hz, RATE))
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples


def generated(voice: str = "espeak-ng", speeds: tuple[float, ...] = (1.0,)) -> list[TurnAnswer]:
    """The written answers spoken by the voice named, once at each speed (times the row's rate)."""
    if voice not in VOICES:
        raise ValueError(f"no voice {voice!r}; the set knows {', '.join(VOICES)}")
    out = []
    rows = [(parts, who, round(wpm * k)) for k in speeds for parts, who, wpm in GENERATED]
    for i, (parts, who, wpm) in enumerate(rows):
        speaker = who if voice == "espeak-ng" else ""
        synth = VOICES[voice](VoiceSettings(rate_wpm=wpm, voice=speaker))
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
                chunk = rendered(part, synth)
            chunks.append(chunk)
            at += len(chunk)
        out.append(TurnAnswer(f"generated {i + 1}", np.concatenate(chunks), tuple(pauses)))
        close = getattr(synth, "close", None)
        if close:
            close()
    return out


def natural(lengthen_s: float = 2.0) -> list[TurnAnswer]:
    """The recordings of people speaking freely or reading one utterance, as they are (their
    own pauses from NATURAL_PAUSE_S), and the MFA clips once more with their longest pause
    lengthened to `lengthen_s` (a thinking pause in real, hesitant speech). Empty without
    ../shared."""
    out = []
    names = sorted(p.stem for p in SHARED_SPEECH.glob("mfa_clip_*.wav"))
    names += sorted(p.stem for p in SHARED_SPEECH.glob("ls_*.wav"))
    for name in names:
        samples = read_wav(SHARED_SPEECH / f"{name}.wav", RATE).samples
        segments = speech_segments(samples, VadSettings(min_silence_ms=96))
        if not segments:
            continue
        first, last = segments[0][0], segments[-1][1]
        clip = samples[int(first * RATE) : int(last * RATE)]
        gaps = [
            (b[0] - a[1], a[1] - first)
            for a, b in pairwise(segments)
            if b[0] - a[1] >= NATURAL_PAUSE_S
        ]
        pauses = tuple(Pause(at, length, NATURAL) for length, at in gaps)
        out.append(TurnAnswer(f"natural {name}", clip, pauses))
        if name.startswith("mfa_clip") and gaps:
            length, at = max(gaps)
            cut = int(at * RATE)
            longer = np.concatenate(
                [clip[:cut], silence(lengthen_s), clip[cut + int(length * RATE) :]]
            )
            lengthened = Pause(at, lengthen_s, NATURAL)
            moved = lengthen_s - length
            rest = tuple(p if p.at_s < at else Pause(p.at_s + moved, p.length_s, p.kind)
                         for p in pauses if p.at_s != at)  # fmt: skip
            out.append(TurnAnswer(f"natural {name} longer", longer, (lengthened, *rest)))
    return out


def tune_part(answers: list[TurnAnswer]) -> list[TurnAnswer]:
    """Every other answer, from the first: the part a rule is tuned on."""
    return answers[::2]


def report_part(answers: list[TurnAnswer]) -> list[TurnAnswer]:
    """The other answers: the part a tuned rule is reported on."""
    return answers[1::2]


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
