"""An earlier end of answer, one of the pause rules (speech/endpoint.py): after a short pause
(`early_end_after_s`), the answer ends when Smart Turn judges the turn complete
(`early_end_probability`) and the words neither stop mid-clause ("... and because") nor ask for
time. Otherwise `Silence`, asked before it, decides at the end silence. The model is asked once
per pause, not once per frame; speech/turn_model.py runs it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from assistant.base.errors import ModelMissingError
from assistant.base.settings import ListenSettings
from assistant.speech.endpoint import PauseRules, Silence
from assistant.speech.onnx_models import INSTALL_HINT, TURN_MODEL_PATH
from assistant.speech.turn_model import TurnModel, TurnVerdict
from assistant.speech.turn_text import TurnWords, default_turn_words
from assistant.speech.turns import HeardTurn, TurnEnd
from assistant.speech.vad import VoiceActivity

#: Quiet kept after the speech in what the model hears: as pipecat feeds it (its VAD stops about
#: 0.2 s after speech), not the whole pause waited. The model is sensitive to it (one sentence
#: here: 0.39 complete with 0.16 s, 0.93 with 0.20 s), so the end is found in the audio itself
#: and the verdict is the mean over three lengths around 0.2 s.
TRAILING_S = (0.15, 0.2, 0.25)
#: The model is asked this long into a pause (after the longest trailing quiet), so its time is
#: spent while the pause runs on to early_end_after_s, not after it.
JUDGE_AFTER_S = 0.3
_BLOCK = 160  # 10 ms
_VOICED_SHARE = 0.05  # of the loudest block's RMS: quieter blocks after the speech are its end


def speech_with_trailing_quiet(
    samples: np.ndarray, trailing_s: float = 0.2, rate_hz: int = 16_000
) -> np.ndarray:
    """The samples up to the end of the last loud stretch plus `trailing_s` of what follows."""
    whole = len(samples) // _BLOCK * _BLOCK
    if not whole:
        return samples
    blocks = samples[:whole].astype(np.float32).reshape(-1, _BLOCK)
    rms = np.sqrt((blocks**2).mean(axis=1))
    loud = np.flatnonzero(rms > max(300.0, _VOICED_SHARE * float(rms.max())))
    if not len(loud):
        return samples
    return samples[: (loud[-1] + 1) * _BLOCK + int(trailing_s * rate_hz)]


def judged(judge: TurnJudge, samples: np.ndarray) -> TurnVerdict:
    """The mean verdict over the trailing lengths (their times added up)."""
    verdicts = [judge.verdict(speech_with_trailing_quiet(samples, t)) for t in TRAILING_S]
    return TurnVerdict(
        float(np.mean([v.probability for v in verdicts])),
        sum(v.features_ms for v in verdicts),
        sum(v.model_ms for v in verdicts),
    )


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


def turn_taking(report: Callable[[str], None] | None = None) -> tuple[VoiceActivity, PauseRules]:
    """The listener's voice activity detector and pause rules, models loaded (a missing model
    is a ModelMissingError with the fix). `report` gets a line on how each answer ended."""
    return VoiceActivity(), PauseRules(Silence(), SmartTurn(_LazyModel()), report=report)


class _LazyModel:
    """Smart Turn, loaded when first asked: a session that never ends early (half duplex, a
    journal entry) never pays for it (0.2-0.4 s and its memory). Its file is checked now."""

    def __init__(self) -> None:
        if not TURN_MODEL_PATH.is_file():
            raise ModelMissingError(
                f"the Smart Turn model {TURN_MODEL_PATH} is missing; {INSTALL_HINT}"
            )
        self._model: TurnModel | None = None

    def verdict(self, samples: np.ndarray) -> TurnVerdict:
        if self._model is None:
            self._model = TurnModel()
        return self._model.verdict(samples)


class SmartTurn:
    """The early end, asked after `Silence` (speech/endpoint.py) has not ended the turn."""

    def __init__(self, judge: TurnJudge, words: TurnWords | None = None) -> None:
        self._judge = judge
        self.words = words or default_turn_words()
        self._judged_for: float | None = None  # last_voice_s of the pause already judged
        self.judgements: list[Judgement] = []  # kept for benchmarks and tests

    def note(self, turn: HeardTurn) -> str:
        """For the line on how a turn ended: the model's last verdict on this pause."""
        last = self.judgements[-1] if self.judgements else None
        if not last or last.at_s < (turn.last_voice_s or 0.0):
            return ""
        if last.verdict is None:
            return "; the words kept it open"
        v = last.verdict
        return (
            f"; turn model {v.probability:.2f} in {v.features_ms + v.model_ms:.0f} ms"
            f" (features {v.features_ms:.0f}, model {v.model_ms:.0f})"
        )

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> TurnEnd | None:
        last = turn.last_voice_s
        if not settings.early_end or not turn.text or last is None:
            return None
        pause_s = now_s - last
        if pause_s < JUDGE_AFTER_S:
            return None
        if self._judged_for != last:  # a new pause: judge it now, decide once it is long enough
            self._judged_for = last
            if self._held_open(turn):
                self.judgements.append(Judgement(now_s, pause_s, None, False))
            else:
                audio = turn.audio(now_s) if turn.audio else np.zeros(0, np.int16)
                self.judgements.append(Judgement(now_s, pause_s, judged(self._judge, audio), False))
        judgement = self.judgements[-1]
        if pause_s < settings.early_end_after_s or judgement.ended or judgement.verdict is None:
            return None
        if judgement.verdict.probability < settings.early_end_probability:
            return None
        if self._held_open(turn):  # the transcript has grown since (the recogniser lags)
            return None
        self.judgements[-1] = replace(judgement, ended=True)
        return TurnEnd.EARLY

    def _held_open(self, turn: HeardTurn) -> bool:
        """The words say the turn goes on: mid-clause, or a request for time."""
        return self.words.ends_mid_clause(turn.text) or turn.holds_floor(self.words)
