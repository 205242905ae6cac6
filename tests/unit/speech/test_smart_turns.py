"""The pause rules (Silence, then SmartTurn) on hand-made turns: when the turn model is asked, and
what the words can veto.
The model is replaced by a judge that returns a set probability (the real model is measured
in tests/unit/speech/test_turn_model.py and on real audio in tests/flows/test_turn_taking.py)."""

import numpy as np

from assistant.base.settings import ListenSettings
from assistant.speech.endpoint import PauseRules, Silence
from assistant.speech.smart_turns import TRAILING_S, SmartTurn
from assistant.speech.turn_model import TurnVerdict
from assistant.speech.turns import HeardTurn, TurnEnd

#: The early end as a script turns it on (off by default), at a fixed end silence.
ON = ListenSettings(end_silence_s=3.0, early_end=True)


class Judge:
    def __init__(self, probability: float) -> None:
        self.probability = probability
        self.calls = 0

    def verdict(self, samples: np.ndarray) -> TurnVerdict:
        self.calls += 1
        return TurnVerdict(self.probability, 1.0, 1.0)


def _view(text: str, last_voice_s: float = 2.0) -> HeardTurn:
    """A turn that said `text` (its words closed, the first at 0.5 s)."""
    words = [{"word": w, "start": 0.5, "end": 0.5} for w in text.split()]
    return HeardTurn(
        0.0, words=words, last_voice_s=last_voice_s, audio=lambda end_s: np.zeros(8, np.int16)
    )


def _rules(judge: Judge) -> tuple[PauseRules, SmartTurn]:
    smart = SmartTurn(judge)
    return PauseRules(Silence(), smart), smart


def test_ends_early_once_per_pause_when_complete() -> None:
    judge = Judge(0.9)
    (det, smart), s = _rules(judge), ON
    assert det.decide(_view("I felt calm today"), 2.5, s) is None  # pause too short
    assert det.decide(_view("I felt calm today"), 2.75, s) is TurnEnd.EARLY
    assert judge.calls == len(TRAILING_S)  # one judgement: the mean over trailing lengths
    assert smart.judgements[-1].ended and smart.judgements[-1].verdict.probability == 0.9


def test_unsure_model_waits_for_the_end_silence_and_asks_once() -> None:
    judge = Judge(0.5)
    (det, _), s = _rules(judge), ON
    for now in (2.8, 3.0, 4.0, 4.9):
        assert det.decide(_view("I felt calm today"), now, s) is None
    assert det.decide(_view("I felt calm today"), 5.0, s) is TurnEnd.SILENCE
    assert judge.calls == len(TRAILING_S)
    # a new pause (the person spoke again) is judged again
    assert det.decide(_view("I felt calm today and", 6.0), 6.8, s) is None
    assert judge.calls == len(TRAILING_S)  # mid-clause: the words keep it open, no new call


def test_words_veto_mid_clause_and_holding() -> None:
    judge = Judge(0.99)
    s = ON
    for text in ("I felt calm because", "it was the", "well give me a minute"):
        det, _ = _rules(judge)
        assert det.decide(_view(text), 2.8, s) is None, text
    assert judge.calls == 0


def test_early_end_can_be_switched_off_per_script() -> None:
    judge = Judge(0.99)
    s = ListenSettings().merged({"early_end": False}, "journal.yaml:listen")
    assert _rules(judge)[0].decide(_view("done"), 2.8, s) is None
    assert judge.calls == 0


def test_holding_the_floor_keeps_the_question_open_without_a_reprompt() -> None:
    base, s = Silence(), ON
    assert base.decide(_view("hold on"), 2.0 + 29.0, s) is None
    assert base.decide(_view("hold on let me think"), 32.0, s) is TurnEnd.NO_ANSWER
    assert base.decide(_view("I was sad hold on"), 32.0, s) is TurnEnd.SILENCE
    assert base.decide(_view("I was sad"), 5.0, s) is TurnEnd.SILENCE


def test_probability_setting_is_checked() -> None:
    import pytest

    from assistant.base.errors import BadScriptError

    with pytest.raises(BadScriptError, match="probability"):
        ListenSettings().merged({"early_end_probability": 1.5}, "x.yaml:listen")
