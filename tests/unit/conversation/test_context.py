"""What an activity works with (conversation/context.py): saying, reviewing, the farewell after a
concern, and the breathing parts read when first needed."""

from __future__ import annotations

from scripted import command, context, questions_script, with_safety

from assistant.breathe.patterns import DEFAULT_PATTERN, find_pattern
from assistant.breathe.texts import load_breathe_texts
from assistant.conversation.context import Breathing
from assistant.dialog.outcomes import Choice


def test_say_tells_the_listener_the_voice_is_done_and_says_nothing_empty(tmp_path):
    r = context(questions_script(tmp_path), [])
    r.ctx.say("")
    assert r.voice.said == [] and r.listener.calls == []
    r.ctx.say("Hello.")
    assert r.voice.said == ["Hello."] and r.listener.calls == ["spoke"]


def test_without_safeguards_nothing_is_reviewed_and_no_farewell_said(tmp_path):
    r = context(questions_script(tmp_path), [])
    listen = r.ctx.first_state.listen
    assert r.ctx.review("I want to die.", listen) is None
    assert not r.ctx.flagged("I want to die.") and not r.ctx.noticed
    assert r.ctx.farewell(stopped=False) is False and r.voice.said == []


def test_with_safeguards_a_concern_is_reviewed_flagged_and_bid_farewell(tmp_path):
    r = with_safety(context(questions_script(tmp_path), [command("continue")]))
    listen = r.ctx.first_state.listen
    assert r.ctx.review("a late reply", listen) is None
    assert r.ctx.flagged("I want to die.") and not r.ctx.flagged("a late reply")
    assert r.ctx.review("I want to die.", listen) is Choice.CONTINUE
    assert r.ctx.noticed
    said = len(r.voice.said)
    assert r.ctx.farewell(stopped=False) is True and len(r.voice.said) > said


def test_the_first_state_and_the_replies(tmp_path):
    r = context(questions_script(tmp_path), [])
    assert r.ctx.first_state.name == "first"
    assert r.ctx.replies is r.ctx.commands.replies


def test_breathing_parts_are_the_defaults_unless_given():
    pattern, texts = Breathing().parts()
    assert pattern.name == DEFAULT_PATTERN and texts == load_breathe_texts()
    box = find_pattern("box")
    assert Breathing(box).parts()[0] is box
