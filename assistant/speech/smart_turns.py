"""An earlier end of answer: after a short pause (`early_end_after_s`), the answer ends when Smart
Turn judges the turn complete (`early_end_probability`) and the words neither stop mid-clause
("... and because") nor ask for time. Otherwise the base rule, SilenceTurns, decides. The model
is asked once per pause, not once per frame."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.settings import ListenSettings
from assistant.speech.turn_model import TurnModel, TurnVerdict
from assistant.speech.turn_text import TurnWords
from assistant.speech.turns import SilenceTurns, TurnEnd, TurnView
from assistant.speech.vad import VoiceActivity


class TurnJudge(Protocol):
    def verdict(self, samples: np.ndarray) -> TurnVerdict:
        """How likely the audio so far (16 kHz int16) is a finished turn."""


@dataclass(frozen=True)
class Judgement:
    """One pause judged: when, what the model said, and whether the answer ended there."""

    at_s: float
    pause_s: float
    verdict: TurnVerdict | None  # None: the words alone kept the turn open (mid-clause, holding)
    ended: bool


def turn_taking() -> tuple[VoiceActivity, SmartTurns]:
    """The listener's voice activity detector and turn detector, models loaded (a missing model
    is a ModelMissingError with the fix)."""
    return VoiceActivity(), SmartTurns(TurnModel())


class SmartTurns:
    def __init__(self, judge: TurnJudge, words: TurnWords | None = None) -> None:
        self._judge = judge
        self._base = SilenceTurns(words)
        self._judged_for: float | None = None  # last_voice_s of the pause already judged
        self.judgements: list[Judgement] = []  # kept for benchmarks and tests

    def decide(
        self, turn: TurnView, now_s: float, settings: ListenSettings, *, asked: bool
    ) -> TurnEnd | None:
        ended = self._base.decide(turn, now_s, settings, asked=asked)
        last = turn.last_voice_s
        if ended is not None or not settings.early_end or not turn.text or last is None:
            return ended
        pause_s = now_s - last
        if pause_s < settings.early_end_after_s or self._judged_for == last:
            return None
        self._judged_for = last
        words = self._base.words
        if words.ends_mid_clause(turn.text) or words.asks_for_time(turn.text):
            self.judgements.append(Judgement(now_s, pause_s, None, False))
            return None
        verdict = self._judge.verdict(turn.audio() if turn.audio else np.zeros(0, np.int16))
        complete = verdict.probability >= settings.early_end_probability
        self.judgements.append(Judgement(now_s, pause_s, verdict, complete))
        return TurnEnd.EARLY if complete else None
