"""safety/replies.py: how the safety flow reads a choice and the replies "I'm fine", "yes" (safe)
and "not ok", with the real phrase lists of dialogs/support.yaml."""

from __future__ import annotations

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import CATEGORIES
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.speech.commands import load_commands

SUPPORT = load_support(
    DIALOGS_DIR / "support.yaml",
    CATEGORIES,
    reserved_phrases(load_commands(DIALOGS_DIR / "commands.yaml")),
)
CHOOSING = SUPPORT.choosing
REPLIES = SUPPORT.replies


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("Breathe", "breathe"),
        ("lets breathe", "breathe"),  # typed without the apostrophe
        ("Yes.", "breathe"),
        ("Keep going!", "continue"),
        ("Take a break", "pause"),
        ("I want to stop", "stop"),
        ("stop, I have the pills here", None),  # a choice word with more after it is an answer
        ("maybe", None),
        ("", None),
    ],
)
def test_a_choice_is_the_whole_reply(text, choice):
    assert CHOOSING.choice_of(text) == choice


def test_every_choice_is_offered():
    assert set(CHOOSING.choices.values()) == {"breathe", "continue", "pause", "stop"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'm fine, really", "fine"),
        ("im okay", "fine"),
        ("It's nothing.", "fine"),
        ("Never mind", "taken_back"),
        ("never mind, I'm fine", "taken_back"),  # taken back is checked first
        ("I was joking, I'm ok", "taken_back"),
        ("I'm not ok", None),
        ("fine weather today", None),
    ],
)
def test_the_kind_of_im_fine(text, kind):
    assert REPLIES.fine_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "safe"),
    [("yes", True), ("Yes, I'm safe.", True), ("I am", True), ("yes but", False), ("no", False)],
)
def test_says_safe_only_as_a_whole_reply(text, safe):
    assert REPLIES.says_safe(text) is safe


@pytest.mark.parametrize(
    ("text", "unsafe", "mentions"),
    [
        ("No", True, False),  # the whole reply answers the question
        ("I'm not sure, no", False, False),
        ("I'm not ok", True, True),
        ("I need help", True, True),
        ("the pills are right here", True, True),
        ("no problem, that was helpful", False, False),  # "help" inside "helpful"
        ("I don't know", True, False),
        ("I'm fine now", False, False),
    ],
)
def test_unsafe_as_a_whole_reply_or_anywhere(text, unsafe, mentions):
    assert REPLIES.says_unsafe(text) is unsafe
    assert REPLIES.mentions_unsafe(text) is mentions
