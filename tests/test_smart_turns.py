from assistant.settings import ListenSettings
from assistant.speech.smart_turns import SmartTurns
from assistant.speech.turn_text import default_turn_words
from assistant.speech.turns import TurnEnd, TurnView


def _view(last_voice_s: float) -> TurnView:
    return TurnView(0.0, True, False, last_voice_s, 0.5)


def test_ends_early_once_per_pause_and_not_mid_clause() -> None:
    calls: list[int] = []

    def prob() -> float:
        calls.append(1)
        return 0.9

    text = ["I felt calm today"]
    det = SmartTurns(prob, lambda: text[0], default_turn_words())
    s = ListenSettings()
    assert det.decide(_view(2.0), 2.3, s, asked=True) is None
    assert det.decide(_view(2.0), 2.8, s, asked=True) is TurnEnd.SILENCE
    text[0] = "I felt calm because"
    det2 = SmartTurns(prob, lambda: text[0], default_turn_words())
    assert det2.decide(_view(2.0), 2.8, s, asked=True) is None
    assert det2.decide(_view(2.0), 2.9, s, asked=True) is None
    assert len(calls) == 1
