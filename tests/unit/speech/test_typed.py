"""The typed listener: one line is one answer, or, for long answers, lines until an empty line,
a closing phrase on its own line, a command on its own line, or the end of input."""

from __future__ import annotations

import io

from assistant.base.settings import ListenSettings
from assistant.events import Answer, Command, EndOfInput, NoAnswer
from assistant.speech.typed import TypedListener

SHORT, LONG = ListenSettings(), ListenSettings(long_answer=True)


def heard(text: str, commands, settings: ListenSettings = SHORT) -> list:
    listener = TypedListener(io.StringIO(text), commands)
    events = []
    while not isinstance(event := listener.listen(settings), EndOfInput):
        events.append(event)
    return events


def test_one_line_is_one_answer_and_commands_closing_phrases_stand_alone(commands):
    assert heard("I was tired\n\nskip\nthat's all\nrepeat please\n", commands) == [
        Answer("I was tired"),
        NoAnswer(0.0),
        Command("skip", "skip"),
        Answer("", closed=True),
        Command("repeat", "repeat please"),
    ]


def test_a_long_answer_runs_until_a_closing_phrase_on_its_own_line(commands):
    text = "I was tired\nI'm done with guessing\nthat's all\nnext\n"
    assert heard(text, commands, LONG) == [
        Answer("I was tired\nI'm done with guessing", closed=True),
        Answer("next"),
    ]


def test_a_long_answer_ends_at_an_empty_line_a_command_or_the_end_of_input(commands):
    assert heard("one\ntwo\n\nthree\nstop\nfour", commands, LONG) == [
        Answer("one\ntwo"),
        Answer("three"),
        Command("stop", "stop"),  # it ended the answer, then counts
        Answer("four"),
    ]
