"""Each end rule decides on a hand-made turn (times in seconds on the audio clock); the listeners
ask them in the documented order. The real recognisers are exercised in test_listener_audio.py."""

from __future__ import annotations

import numpy as np

from assistant.base.settings import ListenSettings
from assistant.events import Command
from assistant.speech.endpoint import (
    OVER_AUDIO,
    TYPED,
    ClosingPhrase,
    CommandAlone,
    CommandAtOnce,
    CommandWhilePaused,
    Continuation,
    InputOver,
    PauseRules,
    Silence,
    UtteranceClosed,
    answer_rules,
    first_end,
    paused_rules,
)
from assistant.speech.smart_turns import SmartTurn
from assistant.speech.turn_model import TurnVerdict
from assistant.speech.turns import HeardTurn, TurnEnd

#: The rules' mechanics, at fixed settings (the shipped ones are tuned elsewhere).
S = ListenSettings(end_silence_s=3.0, early_end=True)
SKIP = Command("skip", "skip")


def said(*utterances: tuple[str, float], last_voice_s: float | None = None, **kw) -> HeardTurn:
    """A turn whose free text closed these utterances, each (text, start), 0.3 s a word."""
    turn = HeardTurn(**kw)
    for text, start in utterances:
        words = [
            {"word": w, "start": start + 0.3 * i, "end": start + 0.3 * (i + 1)}
            for i, w in enumerate(text.split())
        ]
        turn.add_final({"text": text, "result": words})
    if last_voice_s is not None:
        turn.last_voice_s = last_voice_s
    return turn


def test_a_continuation_with_no_words_ends_after_the_end_silence() -> None:
    rule = Continuation()
    assert rule.decide(HeardTurn(10.0, continues=True), 12.9, S) is None
    assert rule.decide(HeardTurn(10.0, continues=True), 13.0, S) is TurnEnd.CONTINUATION
    assert rule.decide(HeardTurn(10.0), 13.0, S) is None  # not a continuation: Silence decides
    assert rule.decide(said(("and then", 10.1), since_s=10.0, continues=True), 13.0, S) is None


def test_a_closing_phrase_said_alone_ends_the_answer() -> None:
    rule = ClosingPhrase()
    turn = said(("I was tired", 1.0), ("that's all", 3.0))
    turn.closing = (3.0, 3.6)
    assert rule.decide(turn, 3.7, S) is TurnEnd.CLOSING_PHRASE
    assert turn.answer(closed=True, before_s=turn.closing[0] - 0.3).text == "I was tired"


def test_a_closing_phrase_waits_for_the_free_text_then_keeps_more_words() -> None:
    rule = ClosingPhrase()
    turn = said(("I was tired", 1.0), ("that's all", 3.0))
    turn.closing = (3.0, 3.6)
    turn.partial = "actually one more"  # still speaking: not yet judged
    assert rule.decide(turn, 3.7, S) is None and turn.closing is not None
    turn.add_final({"text": "actually", "result": [{"word": "actually", "start": 4.0, "end": 4.4}]})
    assert rule.decide(turn, 4.5, S) is None
    assert turn.closing is None  # judged: part of the answer, not asked again


def test_a_closing_phrase_at_the_end_of_a_sentence_is_the_answer() -> None:
    turn = said(("I told him I'm done", 1.0))  # one utterance: it starts before the phrase
    turn.closing = (1.9, 2.5)
    assert ClosingPhrase().decide(turn, 3.0, S) is None


def test_a_command_alone_waits_for_the_free_text_and_counts_its_words() -> None:
    rule = CommandAlone()
    alone = said(("cape", 1.0), pending=SKIP)
    assert rule.decide(alone, 2.0, S) == SKIP
    busy = HeardTurn(pending=SKIP, partial="cape")
    assert rule.decide(busy, 2.0, S) is None and busy.pending == SKIP
    sentence = said(("skip the part where we argued", 1.0), pending=SKIP)
    assert rule.decide(sentence, 3.0, S) is None
    assert sentence.pending is None  # part of a sentence: dropped


def test_over_audio_a_command_counts_at_once() -> None:
    assert CommandAtOnce().decide(HeardTurn(pending=SKIP, partial="skip"), 1.0, S) == SKIP
    assert CommandAtOnce().decide(HeardTurn(), 1.0, S) is None


def test_while_paused_the_command_waits_for_its_words_to_close_or_the_input_to_end() -> None:
    rule = CommandWhilePaused()
    cont = Command("continue", "continue")
    assert rule.decide(HeardTurn(pending=cont, partial="continue"), 1.0, S) is None
    assert rule.decide(HeardTurn(pending=cont, partial="continue", input_over=True), 1.0, S) == cont
    assert rule.decide(said(("continue", 0.5), pending=cont), 1.0, S) == cont


def test_the_input_over_and_the_first_utterance_over_timed_audio() -> None:
    assert InputOver().decide(HeardTurn(input_over=True), 1.0, S) is TurnEnd.INPUT_OVER
    assert InputOver().decide(HeardTurn(), 1.0, S) is None
    assert UtteranceClosed().decide(said(("stop breathing", 1.0)), 2.0, S) is TurnEnd.UTTERANCE
    assert UtteranceClosed().decide(HeardTurn(partial="stop"), 2.0, S) is None


def test_silence_ends_an_answer_and_nothing_said_is_no_answer_only_when_asked() -> None:
    rule = Silence()
    assert rule.decide(HeardTurn(0.0), 19.9, S) is None
    assert rule.decide(HeardTurn(0.0), 20.0, S) is TurnEnd.NO_ANSWER
    assert rule.decide(HeardTurn(0.0, asked=False), 60.0, S) is None  # paused: nobody waits
    answer = said(("I was sad", 1.0), last_voice_s=2.0)
    assert rule.decide(answer, 4.75, S) is None
    assert rule.decide(answer, 5.0, S) is TurnEnd.SILENCE


def test_holding_the_floor_as_the_grammar_heard_it() -> None:
    rule = Silence()
    turn = said(("lately think", 1.0), last_voice_s=2.0)  # the free text misheard it
    turn.holding_s = 2.0  # the grammar heard "let me think" alone
    assert rule.decide(turn, 31.0, S) is None  # no reprompt while the floor is held
    assert rule.decide(turn, 32.0, S) is TurnEnd.SILENCE  # its words are not only holding
    assert rule.decide(HeardTurn(0.0, asked=False), 32.0, S) is None


def test_the_length_cap_ends_at_a_pause() -> None:
    capped = ListenSettings(max_answer_s=10.0)
    talking = said(("on and on", 1.0), last_voice_s=10.0)
    talking.partial = "and on"
    assert Silence().decide(talking, 10.5, capped) is None  # mid-utterance: waits
    talking.add_final({"text": "and on", "result": []})
    assert Silence().decide(talking, 10.5, capped) is TurnEnd.LENGTH


class Judge:
    def verdict(self, samples: np.ndarray) -> TurnVerdict:
        return TurnVerdict(0.95, 2.0, 3.0)


def test_pause_rules_ask_silence_first_and_report_each_end() -> None:
    lines: list[str] = []
    rules = PauseRules(Silence(), SmartTurn(Judge()), report=lines.append)
    turn = said(("that was hard", 1.0), last_voice_s=2.0, audio=lambda end: np.zeros(8, np.int16))
    assert rules.decide(turn, 2.5, S) is None  # judged, not yet long enough
    assert rules.decide(turn, 2.75, S) is TurnEnd.EARLY
    assert lines == [
        "turn: early after 0.75 s of quiet; turn model 0.95 in 15 ms (features 6, model 9)"
    ]
    quiet = PauseRules(Silence(), report=lines.append)
    assert quiet.decide(said(("fine", 1.0), last_voice_s=1.5), 4.5, S) is TurnEnd.SILENCE
    assert lines[-1] == "turn: silence after 3.00 s of quiet"


def test_the_rules_are_asked_in_order() -> None:
    pause = PauseRules(Silence())
    assert [type(r) for r in answer_rules(pause)] == [
        Continuation, ClosingPhrase, CommandAlone, InputOver, PauseRules
    ]  # fmt: skip
    assert [type(r) for r in paused_rules(pause)] == [CommandWhilePaused, InputOver, PauseRules]
    assert [type(r) for r in OVER_AUDIO] == [CommandAtOnce, UtteranceClosed, InputOver]
    assert [type(r) for r in TYPED] == [ClosingPhrase, CommandAlone, InputOver]
    # a closing phrase heard as the input ends is still a closed answer, not cut short
    turn = said(("I was tired", 1.0), ("that's all", 3.0), input_over=True)
    turn.closing = (3.0, 3.6)
    assert first_end(answer_rules(pause), turn, 3.7, S) is TurnEnd.CLOSING_PHRASE
