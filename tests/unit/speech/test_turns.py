"""The turn as heard (HeardTurn) and what the phrases in it mean (Phrases, said_alone), on hand-made
recogniser results."""

from __future__ import annotations

import pytest

from assistant.events import Command
from assistant.speech.turn_text import default_turn_words
from assistant.speech.turns import HeardTurn, Phrases, said_alone


def w(word: str, start: float, end: float) -> dict:
    return {"word": word, "start": start, "end": end}


@pytest.fixture
def phrases(commands) -> Phrases:
    return Phrases(commands, default_turn_words())


def test_hiss_closed_as_one_long_word_is_not_speech() -> None:
    turn = HeardTurn()
    turn.add_final({"text": "huh", "result": [w("huh", 0.0, 20.0)]})
    assert not turn.words and turn.last_voice_s is None
    turn.add_final({"text": "i was", "result": [w("i", 21.0, 21.2), w("was", 21.2, 21.5)]})
    assert turn.closed_text() == "i was" and turn.segment_start_s == 21.0
    assert turn.last_voice_s == 21.5


def test_voice_and_partials_move_where_the_person_was_last_heard() -> None:
    turn = HeardTurn()
    assert turn.set_partial("i was", 1.0)  # no detector: a changed partial is speech
    assert turn.last_voice_s == 1.0 and turn.busy and turn.text == "i was"
    assert not turn.set_partial("i was", 2.0) and turn.last_voice_s == 1.0
    turn.voice(2.5)
    turn.voice_ended(2.2)  # the detector knows a little later where the speech ended
    assert turn.last_voice_s == 2.2


def test_the_answer_keeps_words_before_a_point_and_outside_what_was_passed_over() -> None:
    turn = HeardTurn(continues=True)
    turn.add_final({"result": [w("i", 1.0, 1.2), w("skip", 1.5, 1.8), w("went", 2.5, 2.8)]})
    turn.passed_over.append((1.2, 2.1))
    answer = turn.answer()
    assert answer.text == "i went" and (answer.start_s, answer.end_s) == (1.0, 2.8)
    assert answer.continues
    assert turn.answer(before_s=2.0).text == "i"
    assert turn.answer(closed=True, before_s=0.5).closed


def test_a_phrase_is_said_alone_only_with_nothing_right_next_to_it() -> None:
    assert said_alone([w("skip", 1.0, 1.4)]) == ("skip", 1.0, 1.4)
    assert said_alone([w("[unk]", 0.0, 0.4), w("skip", 1.0, 1.4)]) == ("skip", 1.0, 1.4)
    assert said_alone([w("[unk]", 0.5, 0.9), w("skip", 1.0, 1.4)]) is None
    assert said_alone([w("[unk]", 0.0, 0.4)]) is None


def test_the_grammar_notes_a_command_only_before_any_answer_words(phrases: Phrases) -> None:
    turn = HeardTurn()
    phrases.answering(turn, {"result": [w("skip", 1.0, 1.4)]})
    assert turn.pending == Command("skip", "skip") and turn.grammar == "skip"
    later = HeardTurn()
    later.add_final({"result": [w("i", 0.2, 0.4), w("was", 0.4, 0.6)]})
    phrases.answering(later, {"result": [w("skip", 1.0, 1.4)]})
    assert later.pending is None


def test_the_grammar_notes_closing_phrases_and_requests_for_time(phrases: Phrases) -> None:
    turn = HeardTurn()
    phrases.answering(turn, {"result": [w("that's", 3.0, 3.3), w("all", 3.3, 3.6)]})
    assert turn.closing == (3.0, 3.6)
    phrases.answering(
        turn, {"result": [w("let", 5.0, 5.2), w("me", 5.2, 5.3), w("think", 5.3, 5.6)]}
    )
    assert turn.holding_s == 5.6 and turn.holding
    turn.add_final({"result": [w("well", 7.0, 7.3)]})
    assert turn.holding is False  # words came after it


def test_paused_continue_counts_with_speech_after_it_other_commands_are_passed_over(
    phrases: Phrases,
) -> None:
    names = ("continue", "stop")
    turn = HeardTurn(asked=False)
    phrases.paused(turn, {"result": [w("continue", 1.0, 1.5), w("[unk]", 1.6, 3.0)]}, names)
    assert turn.pending == Command("continue", "continue") and turn.pending_at_s == 1.0
    passed = HeardTurn(asked=False)
    phrases.paused(passed, {"result": [w("skip", 1.0, 1.4)]}, names)
    assert passed.pending is None and passed.passed_over == [pytest.approx((0.7, 1.7))]
    sentence = HeardTurn(asked=False)  # "I don't want to continue"
    phrases.paused(sentence, {"result": [w("[unk]", 0.2, 0.9), w("continue", 1.0, 1.5)]}, names)
    assert sentence.pending is None


def test_a_typed_line_is_one_unit_said_alone(phrases: Phrases) -> None:
    first = HeardTurn()
    phrases.line(first, "skip", 0)
    assert first.pending == Command("skip", "skip") and len(first.words) == 1
    later = HeardTurn()
    phrases.line(later, "I was tired", 0)
    phrases.line(later, "that's all", 1)
    assert later.pending is None and later.closing == (1.0, 1.0)
    assert later.closed_text(before_s=1.0 - 0.3) == "I was tired"
