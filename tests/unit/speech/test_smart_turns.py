"""SmartTurns on hand-made views: when the turn model is asked, and what the words can veto.
The model is replaced by a judge that returns a set probability (the real model is measured
in tests/unit/speech/test_turn_model.py and on real audio in tests/flows/test_turn_taking.py)."""

import numpy as np

from assistant.base.settings import ListenSettings
from assistant.speech.smart_turns import TRAILING_S, SmartTurns
from assistant.speech.turn_model import TurnVerdict
from assistant.speech.turns import SilenceTurns, TurnEnd, TurnView


class Judge:
    def __init__(self, probability: float) -> None:
        self.probability = probability
        self.calls = 0

    def verdict(self, samples: np.ndarray) -> TurnVerdict:
        self.calls += 1
        return TurnVerdict(self.probability, 1.0, 1.0)


def _view(text: str, last_voice_s: float = 2.0, started: bool = True) -> TurnView:
    return TurnView(
        0.0, started, False, last_voice_s, 0.5, text, lambda end_s: np.zeros(8, np.int16)
    )


def test_ends_early_once_per_pause_when_complete() -> None:
    judge = Judge(0.9)
    det, s = SmartTurns(judge), ListenSettings()
    assert det.decide(_view("I felt calm today"), 2.5, s, asked=True) is None  # pause too short
    assert det.decide(_view("I felt calm today"), 2.75, s, asked=True) is TurnEnd.EARLY
    assert judge.calls == len(TRAILING_S)  # one judgement: the mean over trailing lengths
    assert det.judgements[-1].ended and det.judgements[-1].verdict.probability == 0.9


def test_unsure_model_waits_for_the_end_silence_and_asks_once() -> None:
    judge = Judge(0.5)
    det, s = SmartTurns(judge), ListenSettings()
    for now in (2.8, 3.0, 4.0, 4.9):
        assert det.decide(_view("I felt calm today"), now, s, asked=True) is None
    assert det.decide(_view("I felt calm today"), 5.0, s, asked=True) is TurnEnd.SILENCE
    assert judge.calls == len(TRAILING_S)
    # a new pause (the person spoke again) is judged again
    assert det.decide(_view("I felt calm today and", 6.0), 6.8, s, asked=True) is None
    assert judge.calls == len(TRAILING_S)  # mid-clause: the words keep it open, no new call


def test_words_veto_mid_clause_and_holding() -> None:
    judge = Judge(0.99)
    s = ListenSettings()
    for text in ("I felt calm because", "it was the", "well give me a minute"):
        det = SmartTurns(judge)
        assert det.decide(_view(text), 2.8, s, asked=True) is None, text
    assert judge.calls == 0


def test_early_end_can_be_switched_off_per_script() -> None:
    judge = Judge(0.99)
    s = ListenSettings().merged({"early_end": False}, "journal.yaml:listen")
    assert SmartTurns(judge).decide(_view("done"), 2.8, s, asked=True) is None
    assert judge.calls == 0


def test_holding_the_floor_keeps_the_question_open_without_a_reprompt() -> None:
    base, s = SilenceTurns(), ListenSettings()
    assert base.decide(_view("hold on"), 2.0 + 29.0, s, asked=True) is None
    assert base.decide(_view("hold on let me think"), 32.0, s, asked=True) is TurnEnd.NO_ANSWER
    assert base.decide(_view("I was sad hold on"), 32.0, s, asked=True) is TurnEnd.SILENCE
    assert base.decide(_view("I was sad"), 5.0, s, asked=True) is TurnEnd.SILENCE


def test_probability_setting_is_checked() -> None:
    import pytest

    from assistant.base.errors import BadScriptError

    with pytest.raises(BadScriptError, match="probability"):
        ListenSettings().merged({"early_end_probability": 1.5}, "x.yaml:listen")
