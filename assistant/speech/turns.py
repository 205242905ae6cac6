"""The end-of-answer rule, in one place, behind a small interface: both the listener's answer loop
and its paused loop ask it. Today's rule is silence; a voice activity detector and a turn model can
replace it without touching the loops."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from assistant.settings import ListenSettings


class TurnEnd(Enum):
    SILENCE = "silence"  # quiet long enough after the last word
    LENGTH = "length"  # the length cap, at a pause
    NO_ANSWER = "no answer"  # nothing at all was said


@dataclass(frozen=True)
class TurnView:
    """What the listener has heard of one turn, in seconds on the audio clock."""

    listening_since_s: float
    started: bool  # any word, or words in progress
    busy: bool  # the recogniser is inside an utterance
    last_voice_s: float | None
    first_word_s: float | None


class TurnDetector(Protocol):
    def decide(
        self, turn: TurnView, now_s: float, settings: ListenSettings, *, asked: bool
    ) -> TurnEnd | None:
        """Whether the turn has ended now (`asked`: a question is waiting for its answer, so a
        long silence means no answer)."""


class SilenceTurns:
    """An answer ends after `end_silence_s` of quiet, long enough for a thinking pause."""

    def decide(
        self, turn: TurnView, now_s: float, settings: ListenSettings, *, asked: bool
    ) -> TurnEnd | None:
        if not turn.started:
            waited = now_s - turn.listening_since_s
            return TurnEnd.NO_ANSWER if asked and waited >= settings.no_answer_s else None
        quiet_s = now_s - (turn.last_voice_s if turn.last_voice_s is not None else now_s)
        if quiet_s >= settings.end_silence_s:
            return TurnEnd.SILENCE
        since = turn.listening_since_s if asked else (turn.first_word_s or now_s)
        if now_s - since >= settings.max_answer_s and not turn.busy:
            return TurnEnd.LENGTH
        return None
