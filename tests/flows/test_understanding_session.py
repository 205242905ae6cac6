"""The learned text model in a typed evening (reflect evening --typed, through the flows
harness): the real rules, the real model and encoder, the real state machine and journal.

What the model must get right where phrase rules could not: the evening's own self-care answer,
a past told as resolved and a friend's story raise nothing; an indirect present-tense plan is
caught; an answer in another language is told plainly that the check reads English only, with
the help line."""

from __future__ import annotations

from assistant.base.settings import DIALOGS_DIR
from assistant.dialog.script import find_script
from assistant.safety.resources import Resources
from assistant.safety.respond import load_safeguards

from flows import run_typed

SAFEGUARDS = load_safeguards(DIALOGS_DIR)
SUPPORT = SAFEGUARDS.support
EVENING = find_script("evening", DIALOGS_DIR)
PROMPTS = [state.prompt for state in EVENING.states.values() if state.prompt]
ENGLISH_ONLY = SUPPORT.help.fill(SUPPORT.english_only, Resources())


def evening(answers: list[str], data_dir):
    done = run_typed(EVENING, answers, data_dir=data_dir, first_run=False)
    return done.said.texts(), done.session


ORDINARY = [
    "he didn't text back for hours and i got in my head about it",
    "that he's losing interest",
    "my parents split up when i was nine",
    "just to hear that he still cares",
]


def test_look_alikes_in_an_evening_raise_nothing(data_dir):
    """The self-care answer the evening's last question invites (the old learned layer asked
    about abuse), a past told as resolved, and a sister's story (the rules raise abuse, about
    someone else; the model reads it as someone else's and lowers it). A past the rules read
    as a clear sign of the speaker's own ("I used to cut") still gets the help: the model never
    lowers those (tests/unit/safety/test_safety_understood.py)."""
    answers = [
        ORDINARY[0],
        "a few years back i was in a really dark place but i got help and i'm doing well now",
        "my sister said her husband checks her phone all the time, i worry about her",
        ORDINARY[3],
        "Go for a walk and call my sister.",
        "six",
    ]
    said, session = evening(answers, data_dir)
    assert all(prompt in said for prompt in PROMPTS[:6]), said  # no question left out
    assert session["status"] == "completed", said
    assert session["safety"] == [] and session.get("concerns", []) == []
    assert ENGLISH_ONLY not in said


def test_an_indirect_plan_in_the_present_is_caught(data_dir):
    plan = "i've been saving up my tablets in a drawer and i think this weekend is the time"
    said, session = evening([ORDINARY[0], plan, "yes", "stop"], data_dir)
    assert session["safety"] == ["self-harm"], said
    assert session["concerns"][0]["category"] == "self-harm"


def test_an_answer_in_another_language_is_told_the_check_reads_english_only(data_dir):
    answers = ["quiero morirme", *ORDINARY[1:], "call my sister", "six"]
    said, session = evening(answers, data_dir)
    assert said[said.index(PROMPTS[0]) + 1] == ENGLISH_ONLY
    assert "988" in ENGLISH_ONLY and "English" in ENGLISH_ONLY
    assert said.count(ENGLISH_ONLY) == 1  # the English answers after it are read as usual
    assert session["safety"] == []
