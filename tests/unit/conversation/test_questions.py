"""The script's question loop (conversation/questions.py) on a scripted listener: what is asked,
what is saved, and how a continued answer and the goodbye are joined."""

from __future__ import annotations

import pytest
from scripted import COMMANDS, REPLIES, Over, command, context, questions_script, with_safety

from assistant.base.settings import DIALOGS_DIR
from assistant.conversation.questions import OpenAnswer, Progress, Questions
from assistant.dialog.machine import Dialog
from assistant.dialog.outcomes import Status
from assistant.events import Answer, EndOfInput, NoAnswer
from assistant.speech.commands import load_commands

FIRST, SECOND = "First question?", "Second question?"


def run(tmp_path, events, *, rating=False):
    r = context(questions_script(tmp_path, rating=rating), events)
    status = Questions().run(r.ctx)
    return status, r


def test_asks_each_question_saves_each_answer_and_says_goodbye(tmp_path):
    status, r = run(tmp_path, [Answer("a late reply"), Answer("that he left")])
    assert status is Status.COMPLETED
    assert r.voice.said == ["Hello.", FIRST, SECOND, "Goodbye."]
    assert r.recorded.turns == [
        ("first", FIRST, "a late reply", None),
        ("second", SECOND, "that he left", None),
    ]
    assert r.voice.prepared == [FIRST, SECOND, "Goodbye."]  # rendered ahead


def test_a_silence_asks_once_more_then_moves_on(tmp_path):
    status, r = run(tmp_path, [NoAnswer(20.0), NoAnswer(20.0), Answer("fine")])
    assert status is Status.COMPLETED
    assert r.voice.said[:5] == ["Hello.", FIRST, "First once more?", REPLIES["movingon"], SECOND]
    assert r.recorded.answers == [("second", "fine")]


def test_an_answer_after_the_reprompt_is_not_asked_again(tmp_path):
    _, r = run(tmp_path, [NoAnswer(20.0), Answer("one"), Answer("two")])
    assert r.voice.said == ["Hello.", FIRST, "First once more?", SECOND, "Goodbye."]
    assert r.recorded.answers == [("first", "one"), ("second", "two")]


def test_that_is_all_alone_moves_on_and_keeps_no_turn(tmp_path):
    status, r = run(tmp_path, [Answer("", closed=True), Answer("two")])
    assert status is Status.COMPLETED and r.recorded.answers == [("second", "two")]


def test_the_end_of_input_interrupts(tmp_path):
    status, r = run(tmp_path, [Answer("one"), EndOfInput()])
    assert status is Status.INTERRUPTED and "Goodbye." not in r.voice.said


def test_skip_then_back_asks_the_first_question_again(tmp_path):
    _, r = run(tmp_path, [command("skip"), command("back"), Answer("one"), Answer("two")])
    assert r.voice.said == ["Hello.", FIRST, SECOND, FIRST, SECOND, "Goodbye."]
    assert r.recorded.answers == [("first", "one"), ("second", "two")]


def test_back_at_the_first_question_says_so(tmp_path):
    _, r = run(tmp_path, [command("back"), Answer("one"), Answer("two")])
    assert r.voice.said[:4] == ["Hello.", FIRST, REPLIES["first"], FIRST]


def test_continue_when_not_paused_listens_again_without_asking(tmp_path):
    _, r = run(tmp_path, [command("continue"), Answer("one"), Answer("two")])
    assert r.voice.said == ["Hello.", FIRST, SECOND, "Goodbye."]
    assert r.listener.calls.count("listen") == 3


def test_stop_ends_the_session_with_the_stop_reply(tmp_path):
    status, r = run(tmp_path, [Answer("one"), command("stop")])
    assert status is Status.STOPPED and r.voice.said[-1] == REPLIES["stopped"]


def test_an_answer_that_goes_on_is_joined_and_the_question_asked_again(tmp_path):
    events = [Answer("he was late"), Answer("and did not call", continues=True), Answer("two")]
    _, r = run(tmp_path, events)
    assert r.recorded.answers == [("first", "he was late and did not call"), ("second", "two")]
    assert r.voice.said == ["Hello.", FIRST, SECOND, SECOND, "Goodbye."]
    assert r.listener.calls.count("arm") == 2  # before each asking after a saved answer


@pytest.mark.parametrize("said", ["thank you", "", "  "])
def test_a_thank_you_or_nothing_is_not_joined(tmp_path, said):
    _, r = run(tmp_path, [Answer("one"), Answer(said, continues=True), Answer("two")])
    assert r.recorded.answers == [("first", "one"), ("second", "two")]


def test_a_continuation_after_a_command_is_not_joined(tmp_path):
    events = [Answer("one"), command("repeat"), Answer("more", continues=True), Answer("two")]
    _, r = run(tmp_path, events)
    assert r.recorded.answers == [("first", "one"), ("second", "two")]


def test_an_answer_that_goes_on_over_the_goodbye_is_joined_and_goodbye_said_again(tmp_path):
    events = [Answer("one"), Answer("two"), Over(Answer("and three", continues=True))]
    status, r = run(tmp_path, events)
    assert status is Status.COMPLETED
    assert r.recorded.answers == [("first", "one"), ("second", "two and three")]
    assert r.voice.said[-2:] == ["Goodbye.", "Goodbye."]
    assert r.listener.calls.count("arm last") == 2


def test_a_thank_you_over_the_goodbye_ends_it_with_one_more_goodbye(tmp_path):
    events = [Answer("one"), Answer("two"), Over(Answer("thanks bye", continues=True))]
    _, r = run(tmp_path, events)
    assert r.recorded.answers == [("first", "one"), ("second", "two")]
    assert r.voice.said[-2:] == ["Goodbye.", "Goodbye."]
    assert r.listener.calls.count("arm last") == 1  # nothing left to join


def test_a_rating_is_saved_with_its_number_and_an_unclear_one_asked_once_more(tmp_path):
    events = [Answer("one"), Answer("hard to say"), Answer("seven")]
    _, r = run(tmp_path, events, rating=True)
    assert r.voice.said == ["Hello.", FIRST, SECOND, "Second once more?", "Goodbye."]
    assert r.recorded.turns[1:] == [
        ("second", SECOND, "hard to say", None),
        ("second", SECOND, "seven", {"rating": 7}),
    ]
    assert r.listener.calls.count("arm last") == 0  # a rating does not go on


def test_progress_moves_on_and_back(tmp_path):
    progress = Progress(Dialog(questions_script(tmp_path)))
    assert not progress.go_back()
    progress.move_on("one")
    assert progress.dialog.state == "second" and progress.asked == ["first"]
    assert progress.go_back() and progress.dialog.state == "first"


def test_an_open_answer_joins_with_a_space(tmp_path):
    state = questions_script(tmp_path).states["first"]
    assert OpenAnswer(state, "he was late").joined("again").text == "he was late again"


def test_a_concern_across_the_two_parts_is_found_in_the_whole(tmp_path):
    events = [Answer("sometimes I want"), Answer("to die", continues=True), command("continue"),
              Answer("and more", continues=True), Answer("two")]  # fmt: skip
    r = with_safety(context(questions_script(tmp_path), events))
    assert Questions().run(r.ctx) is Status.COMPLETED
    # After the safety flow, what follows is not that answer: "and more" is not joined.
    assert r.recorded.answers == [("first", "sometimes I want to die"), ("second", "two")]
    assert r.ctx.noticed and "Goodbye." not in r.voice.said  # where help is, instead


def test_the_farewell_words_are_read_from_the_commands_file(tmp_path):
    assert COMMANDS.only_farewell("Thank you, bye!") and COMMANDS.only_farewell("OK, good night")
    assert not COMMANDS.only_farewell("thank you for listening")
    assert not COMMANDS.only_farewell("")
    text = (DIALOGS_DIR / "commands.yaml").read_text()
    path = tmp_path / "commands.yaml"
    path.write_text(text.replace("farewell: [", "farewell: [merci, "))
    assert load_commands(path).only_farewell("merci")
