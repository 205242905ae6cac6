"""safety/support.py: the texts of dialogs/support.yaml filled with where help is (the user's own
lines or the defaults), the questions left out after a concern, and strong signals."""

from __future__ import annotations

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import CATEGORIES
from assistant.safety.replies import ChoiceTexts, Replies
from assistant.safety.resources import Resources
from assistant.safety.support import ANSWERING, CHOICES, PLACEHOLDERS, StrongSignals, Support
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.speech.commands import load_commands

SUPPORT = load_support(
    DIALOGS_DIR / "support.yaml",
    CATEGORIES,
    reserved_phrases(load_commands(DIALOGS_DIR / "commands.yaml")),
)
HELP = SUPPORT.help
UK = Resources("999", "Samaritans, call 116 123.", "Refuge, call 0808 2000 247")


def test_the_groups_of_the_real_file():
    assert isinstance(SUPPORT, Support)
    assert isinstance(SUPPORT.choosing, ChoiceTexts) and isinstance(SUPPORT.replies, Replies)
    assert set(SUPPORT.answering) == set(ANSWERING)
    assert set(SUPPORT.choosing.choices.values()) == set(CHOICES)
    assert set(HELP.openers) == set(CATEGORIES)
    assert all(set(variants) == {"self", "reported"} for variants in HELP.openers.values())


def test_fill_uses_the_defaults_when_nothing_is_set():
    filled = HELP.fill("Call {emergency}. {crisis} {abuse}", Resources())
    assert filled.startswith(f"Call {HELP.contacts['default_emergency']}.")
    assert HELP.contacts["default_crisis"] in filled and HELP.contacts["default_abuse"] in filled
    assert "{" not in filled


def test_fill_uses_the_users_own_lines_without_a_second_dot():
    assert HELP.fill("please call {emergency}", UK) == "please call 999"
    crisis = HELP.fill("{crisis}", UK)
    assert crisis == HELP.contacts["crisis"].replace("{crisis}", "Samaritans, call 116 123")
    assert ".." not in crisis and crisis.endswith("116 123.")


def test_braces_in_the_users_lines_are_kept_as_written():
    odd = Resources("{abuse}", "{emergency} line", "")
    filled = HELP.fill("{emergency} / {crisis}", odd)
    assert filled.startswith("{abuse} / ") and "{emergency} line" in filled


def test_what_to_do_self_reported_and_again():
    own = HELP.what_to_do(UK, category="self-harm", reported=False)
    assert own == HELP.fill(f"{HELP.contacts['self']} {{crisis}}", UK)
    assert "999" in own and "Samaritans" in own and "Refuge" not in own
    other = HELP.what_to_do(UK, category="eating", reported=True)
    assert other.startswith(HELP.fill(HELP.contacts["reported"], UK))
    abuse = HELP.what_to_do(UK, category="abuse", reported=False)
    assert "Refuge" in abuse and "Samaritans" not in abuse
    again = HELP.what_to_do(UK, category="self-harm", reported=False, again=HELP.again[0])
    assert (
        again.startswith(HELP.fill(HELP.again[0], UK)) and HELP.contacts["self"][:20] not in again
    )


@pytest.mark.parametrize(
    ("prompt", "advice", "probing"),
    [
        ("What boundary would you like to set?", True, False),
        ("Could you talk to him about it tomorrow?", True, False),
        ("Does this feeling feel familiar from your childhood?", False, True),
        ("Where does it come from, do you think?", False, True),
        ("How was your day?", False, False),
        ("Do you know someone boundless?", False, False),  # whole words only
    ],
)
def test_questions_left_out_after_a_concern(prompt, advice, probing):
    assert SUPPORT.skips.is_advice(prompt) is advice
    assert SUPPORT.skips.probes_past(prompt) is probing


def test_strong_signals_in_an_answer():
    strong = SUPPORT.strong
    found = strong.in_answer("I panicked and couldn't sleep, I'm checking all the time")
    assert found == {"panicked", "couldn't sleep", "all the time"}
    assert len(found) >= strong.min_signals
    assert strong.in_answer("A calm day, I slept well") == set()
    assert strong.in_answer("I couldnt sleep") == {"couldn't sleep"}  # typed without apostrophe


def test_strong_signals_hand_made():
    strong = StrongSignals(1, ("panic", "can't stop checking"))
    assert strong.in_answer("PANIC; I cant stop checking") == {"panic", "can't stop checking"}
    assert strong.in_answer("panicky") == set()


def test_placeholders():
    assert PLACEHOLDERS == ("emergency", "crisis", "abuse")
    assert "{" not in HELP.fill(SUPPORT.notice, Resources())
