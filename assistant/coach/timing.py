"""Pace and hesitation from the speech model's word times ({word, start, end} in seconds)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise

from assistant.coach.rules import HesitationSettings

#: Typed attempts have no times: their length in minutes is estimated at this pace.
TYPED_PACE_WPM = 150.0


@dataclass(frozen=True)
class WordTime:
    word: str
    start_s: float
    end_s: float


def word_times(raw: Iterable[Mapping]) -> list[WordTime]:
    """Vosk's `result` entries ({"word", "start", "end", "conf"}) as WordTimes, in order."""
    out = [WordTime(str(w["word"]).lower(), float(w["start"]), float(w["end"])) for w in raw]
    return sorted(out, key=lambda w: w.start_s)


def gaps(times: list[WordTime]) -> list[float]:
    """The silence before each word after the first."""
    return [max(b.start_s - a.end_s, 0.0) for a, b in pairwise(times)]


def voiced_s(times: list[WordTime], long_pause_s: float) -> float:
    """From the first word's start to the last word's end, less every pause longer than
    `long_pause_s` (thinking time is not speaking time)."""
    if not times:
        return 0.0
    total = times[-1].end_s - times[0].start_s
    return total - sum(g for g in gaps(times) if g > long_pause_s)


def pace_wpm(times: list[WordTime], long_pause_s: float) -> float | None:
    seconds = voiced_s(times, long_pause_s)
    return len(times) * 60.0 / seconds if times and seconds > 0 else None


def sentence_breaks(times: list[WordTime], gap_s: float, unfinished: frozenset[str]) -> list[int]:
    """Indexes of the words that start a new sentence, read from pauses (the model writes no
    punctuation): a pause of `gap_s` or more, not after a word a sentence cannot end on."""
    return [
        i + 1 for i, g in enumerate(gaps(times)) if g >= gap_s and times[i].word not in unfinished
    ]


@dataclass(frozen=True)
class Hesitation:
    fillers: dict[str, int]  # filler -> how often
    long_gaps: int  # pauses inside a sentence
    minutes: float

    @property
    def count(self) -> int:
        return sum(self.fillers.values()) + self.long_gaps

    @property
    def per_minute(self) -> float:
        return self.count / self.minutes if self.minutes > 0 else 0.0


def count_fillers(words: list[str], settings: HesitationSettings) -> dict[str, int]:
    """Fillers in a list of plain words: the model's and typed ones, "like" when it is not a
    verb or a comparison ("I would like", "feel like"), and "you know" / "I mean" when they do
    not lead into something ("you know that I love you")."""
    found: dict[str, int] = {}
    i = 0
    while i < len(words):
        word, before = words[i], words[i - 1] if i else None
        phrase = next(
            (p for p in settings.phrases if words[i : i + len(p.split())] == p.split()), None
        )
        if phrase:
            after_i = i + len(phrase.split())
            after = words[after_i] if after_i < len(words) else None
            if before not in settings.phrase_not_after and (
                after is None or after not in settings.phrase_not_followed_by
            ):
                found[phrase] = found.get(phrase, 0) + 1
                i = after_i
                continue
        if word in settings.fillers or (
            word == "like" and (before is None or before not in settings.like_not_after)
        ):
            found[word] = found.get(word, 0) + 1
        i += 1
    return found


def hesitation(
    words: list[str], times: list[WordTime] | None, settings: HesitationSettings
) -> Hesitation:
    fillers = count_fillers(words, settings)
    if not times:
        return Hesitation(fillers, 0, len(words) / TYPED_PACE_WPM)
    long_gaps = sum(
        1
        for i, g in enumerate(gaps(times))
        if g > settings.gap_s and times[i].word in settings.unfinished
    )
    return Hesitation(fillers, long_gaps, (times[-1].end_s - times[0].start_s) / 60.0)
