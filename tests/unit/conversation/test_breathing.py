"""Breathing inside a session (conversation/breathing.py): what is said during it is saved and
checked, a concern ends it, and the exercise is saved as a turn of its own."""

from __future__ import annotations

from scripted import At, context, questions_script, with_safety

from assistant.breathe.patterns import DEFAULT_PATTERN, find_pattern
from assistant.conversation.breathing import (
    BREAK_ROUNDS,
    SAID_WHILE_BREATHING,
    breathe,
    flow_exercise,
)
from assistant.dialog.outcomes import Choice
from assistant.events import Answer


def setup(tmp_path, events):
    r = context(questions_script(tmp_path), events)
    return r, r.ctx.script.states["first"]


def test_a_short_round_of_the_default_pattern_saved_with_what_was_said(tmp_path):
    r, state = setup(tmp_path, [At(3.0, Answer("slower")), At(6.0, Answer("it helps"))])
    done = breathe(r.ctx, state)
    assert done.choice is None and r.ctx.breathing.parts()[1].slower in r.voice.shown
    assert done.record.pattern == DEFAULT_PATTERN and done.record.rounds == BREAK_ROUNDS
    assert done.record.said == ("it helps",)  # "slower" is a request, not something said
    said, exercise = r.recorded.turns
    assert said == ("breathing", SAID_WHILE_BREATHING, "it helps", None)
    assert exercise == (
        "breathing", f"Breathing: {DEFAULT_PATTERN}", "", {"breathing": done.record}
    )  # fmt: skip
    assert r.listener.calls[-1] == "spoke"  # the listener knows the voice is done


def test_a_chosen_pattern_for_minutes(tmp_path):
    r, state = setup(tmp_path, [])
    box = find_pattern("box")
    done = breathe(r.ctx, state, box, minutes=1.0)
    assert done.record.pattern == "box" and done.record.planned_s == 64.0
    assert done.record.ended.value == "completed"


def test_a_concern_ends_the_exercise_and_the_flows_choice_is_returned(tmp_path):
    r, state = setup(tmp_path, [At(5.0, Answer("I want to die."))])
    with_safety(r)
    done = breathe(r.ctx, state)
    assert done.choice is Choice.INTERRUPTED  # the flow's question: nobody answered
    assert done.record.ended.value == "stopped" and done.record.actual_s == 5.0
    assert r.ctx.noticed


def test_the_safety_flows_exercise_saves_what_is_said_but_goes_on(tmp_path):
    r, _ = setup(tmp_path, [At(2.0, Answer("I want to die."))])
    with_safety(r)
    flow_exercise(r.ctx, "box", 1)
    said, exercise = r.recorded.turns
    assert said == ("breathing", SAID_WHILE_BREATHING, "I want to die.", None)
    assert exercise[3]["breathing"].ended == "completed"  # the flow goes on with its own
    assert not r.ctx.noticed  # not checked here: the flow that asked for it is running
    texts = r.ctx.breathing.parts()[1]
    assert texts.note not in r.voice.said and texts.done not in r.voice.said  # the flow's own
