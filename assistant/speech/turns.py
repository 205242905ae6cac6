"""The end-of-answer rule, in one place, behind a small interface: the listener's answer loop and
its paused loop both ask it. SilenceTurns is the base rule (quiet long enough, or held open by
"give me a minute"); SmartTurns (speech/smart_turns.py) may end an answer earlier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

import numpy as np

from assistant.base.settings import ListenSettings
from assistant.speech.turn_text import TurnWords, default_turn_words


class TurnEnd(Enum):
    SILENCE = "silence"  # quiet long enough after the last word
    EARLY = "early"  # a short pause, and the turn model judged the turn complete
    LENGTH = "length"  # the length cap, at a pause
    NO_ANSWER = "no answer"  # nothing at all was said (or only "give me a minute")


@dataclass(frozen=True)
class TurnView:
    """What the listener has heard of one turn, in seconds on the audio clock."""

    listening_since_s: float
    started: bool  # any word, or words in progress
    busy: bool  # the recogniser is inside an utterance
    last_voice_s: float | None
    first_word_s: float | None
    text: str = ""  # the transcript so far, words in progress included
    #: The person's side of the last seconds up to a time (16 kHz int16), made when asked for.
    audio: Callable[[float], np.ndarray] | None = None
    #: The grammar heard a request for time as the last thing said (True), words after it
    #: (False), or none (None: the transcript alone tells).
    holding: bool | None = None


class TurnDetector(Protocol):
    def decide(
        self, turn: TurnView, now_s: float, settings: ListenSettings, *, asked: bool
    ) -> TurnEnd | None:
        """Whether the turn has ended now (`asked`: a question is waiting for its answer, so a
        long silence means no answer)."""


class SilenceTurns:
    """An answer ends after `end_silence_s` of quiet, long enough for a thinking pause; after
    "give me a minute" only after `hold_floor_s`, and then it counts as no answer when nothing
    else was said."""

    def __init__(self, words: TurnWords | None = None) -> None:
        self._words = words

    @property
    def words(self) -> TurnWords:
        if self._words is None:
            self._words = default_turn_words()
        return self._words

    def decide(
        self, turn: TurnView, now_s: float, settings: ListenSettings, *, asked: bool
    ) -> TurnEnd | None:
        if not turn.started:
            waited = now_s - turn.listening_since_s
            return TurnEnd.NO_ANSWER if asked and waited >= settings.no_answer_s else None
        quiet_s = now_s - (turn.last_voice_s if turn.last_voice_s is not None else now_s)
        holding = self.holds(turn)
        if quiet_s >= (settings.hold_floor_s if holding else settings.end_silence_s):
            if holding and asked and self.words.only_holding(turn.text):
                return TurnEnd.NO_ANSWER  # asked for time, then said nothing: ask again gently
            return TurnEnd.SILENCE
        since = turn.listening_since_s if asked else (turn.first_word_s or now_s)
        if holding:
            since = max(since, now_s - settings.hold_floor_s)  # the cap waits for the hold
        if now_s - since >= settings.max_answer_s and not turn.busy:
            return TurnEnd.LENGTH
        return None

    def holds(self, turn: TurnView) -> bool:
        """The person asked for time ("give me a minute") and has said nothing since."""
        if turn.holding is not None:
            return turn.holding
        return bool(turn.text) and self.words.asks_for_time(turn.text)
