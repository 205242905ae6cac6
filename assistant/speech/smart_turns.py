"""An earlier end of answer: after a short pause, Smart Turn and the transcript may end the turn;
otherwise the script's end silence (SilenceTurns) decides. Not yet wired into the listener."""

from __future__ import annotations

from collections.abc import Callable

from assistant.settings import ListenSettings
from assistant.speech.turn_text import TurnWords
from assistant.speech.turns import SilenceTurns, TurnEnd, TurnView


class SmartTurns:
    """Asks `complete_probability` once per pause (keyed by the last voice time), not per frame."""

    def __init__(
        self,
        complete_probability: Callable[[], float],
        transcript: Callable[[], str],
        words: TurnWords,
        short_pause_s: float = 0.7,
        threshold: float = 0.8,
    ) -> None:
        self._probability = complete_probability
        self._transcript = transcript
        self._words = words
        self._short_pause_s = short_pause_s
        self._threshold = threshold
        self._asked_for: float | None = None  # last_voice_s of the pause already judged
        self._fallback = SilenceTurns()

    def decide(
        self, turn: TurnView, now_s: float, settings: ListenSettings, *, asked: bool
    ) -> TurnEnd | None:
        ended = self._fallback.decide(turn, now_s, settings, asked=asked)
        if ended is not None or not turn.started or turn.busy or turn.last_voice_s is None:
            return ended
        if now_s - turn.last_voice_s < self._short_pause_s or self._asked_for == turn.last_voice_s:
            return None
        self._asked_for = turn.last_voice_s
        if self._words.ends_mid_clause(self._transcript()):
            return None
        return TurnEnd.SILENCE if self._probability() >= self._threshold else None
