"""The commands inside a session, the pause, and following the safety flow's choice
(conversation/commands.py), on a scripted listener."""

from __future__ import annotations

import pytest
from scripted import REPLIES, At, command, context, questions_script, with_safety

from assistant.conversation.breathing import SAID_WHILE_BREATHING
from assistant.conversation.commands import PAUSED_STATE, follow, on_command, pause, stop
from assistant.dialog.outcomes import Choice, Next, Status
from assistant.events import Answer, EndOfInput

LATER = 10_000.0  # seconds: after any breathing exercise on the scripted clock


class Place:
    def __init__(self, first: bool = False) -> None:
        self.first, self.moves = first, []

    def move_on(self) -> None:
        self.moves.append("on")

    def go_back(self) -> bool:
        self.moves.append("back")
        return not self.first


def setup(tmp_path, events):
    r = context(questions_script(tmp_path), events)
    return r, r.ctx.script.states["first"]


@pytest.mark.parametrize(
    ("name", "step", "moves"),
    [("skip", Next.ASK, ["on"]), ("back", Next.ASK, ["back"]), ("repeat", Next.ASK, []),
     ("continue", Next.LISTEN, [])],
)  # fmt: skip
def test_commands_that_move_in_the_script(tmp_path, name, step, moves):
    r, state = setup(tmp_path, [])
    place = Place()
    assert on_command(r.ctx, command(name), place, state) is step
    assert place.moves == moves and r.voice.said == []


def test_back_at_the_first_question_says_there_is_nothing_before(tmp_path):
    r, state = setup(tmp_path, [])
    assert on_command(r.ctx, command("back"), Place(first=True), state) is Next.ASK
    assert r.voice.said == [REPLIES["first"]]


def test_stop_says_so_and_never_that_something_is_saved_when_nothing_was(tmp_path):
    r, state = setup(tmp_path, [])
    assert on_command(r.ctx, command("stop"), Place(), state) is Status.STOPPED
    assert r.voice.said == [REPLIES["stopped_empty"]]  # as the closing note: nothing kept
    r.ctx.record(state.name, state.prompt, Answer("a late reply"))
    assert on_command(r.ctx, command("stop"), Place(), state) is Status.STOPPED
    assert r.voice.said[-1] == REPLIES["stopped"]


def test_stop_after_a_concern_says_where_help_is_instead(tmp_path):
    r, state = setup(tmp_path, [command("stop")])
    with_safety(r)
    assert r.ctx.review("I want to die.", state.listen) is Choice.STOP
    said = len(r.voice.said)
    assert stop(r.ctx) is Status.STOPPED
    assert REPLIES["stopped"] not in r.voice.said[said:] and r.voice.said[said:]


def test_a_pause_saves_what_is_said_and_resumes_on_continue(tmp_path):
    r, state = setup(tmp_path, [Answer("I'm making tea"), Answer(" "), command("continue")])
    assert pause(r.ctx, state) is Next.ASK
    assert r.voice.said == [REPLIES["paused"], REPLIES["resumed"]]
    assert r.recorded.turns == [(PAUSED_STATE, REPLIES["paused"], "I'm making tea", None)]
    assert r.listener.calls.count("wait") == 3


def test_a_pause_ends_with_stop_or_the_end_of_input(tmp_path):
    r, state = setup(tmp_path, [command("stop")])
    assert pause(r.ctx, state) is Status.STOPPED
    r, state = setup(tmp_path, [EndOfInput()])
    assert pause(r.ctx, state) is Status.INTERRUPTED


def test_breathe_while_paused_breathes_then_asks_to_go_on(tmp_path):
    r, state = setup(tmp_path, [command("breathe"), At(LATER, command("continue"))])
    assert pause(r.ctx, state) is Next.ASK
    assert r.voice.said[0] == REPLIES["paused"]
    assert r.voice.said[-2:] == [REPLIES["go_on"], REPLIES["resumed"]]
    [(kind, _, _, extra)] = r.recorded.turns
    assert kind == "breathing" and extra["breathing"].ended == "completed"


def test_the_breathe_command_breathes_at_once_then_pauses(tmp_path):
    r, state = setup(tmp_path, [At(5.0, Answer("my shoulders hurt")), At(LATER, command("stop"))])
    assert on_command(r.ctx, command("breathe"), Place(), state) is Status.STOPPED
    assert r.recorded.answers[0] == ("breathing", "my shoulders hurt")
    assert r.recorded.turns[0][1] == SAID_WHILE_BREATHING
    assert r.recorded.turns[1][3]["breathing"].ended == "completed"  # said, not a concern
    assert REPLIES["go_on"] in r.voice.said and REPLIES["paused"] not in r.voice.said


def test_following_the_safety_flows_choice(tmp_path):
    r, state = setup(tmp_path, [command("continue")])
    assert follow(r.ctx, None, state) is Next.ASK
    assert follow(r.ctx, Choice.CONTINUE, state) is Next.ASK
    assert follow(r.ctx, Choice.INTERRUPTED, state) is Status.INTERRUPTED
    assert follow(r.ctx, Choice.STOP, state) is Status.STOPPED
    assert follow(r.ctx, Choice.PAUSE, state) is Next.ASK  # paused, then "continue"
    assert REPLIES["paused"] in r.voice.said
