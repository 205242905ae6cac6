"""safety/asking.py: asking first on a weaker sign, how the answer to the direct question is read
(with the real questions and answers of dialogs/support.yaml), and what the journal keeps."""

from __future__ import annotations

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.journal import records
from assistant.safety.asking import ANSWERS, Noticed, Outcome, asks_first
from assistant.safety.check import CATEGORIES, Concern, Level
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.speech.commands import load_commands

SUPPORT = load_support(
    DIALOGS_DIR / "support.yaml",
    CATEGORIES,
    reserved_phrases(load_commands(DIALOGS_DIR / "commands.yaml")),
)
ASKING = SUPPORT.asking
SELF_HARM = ASKING.questions["self-harm"]  # all is well: "no"
ABUSE = ASKING.questions["abuse"]  # all is well: "yes" (safe at home)


def test_every_category_has_its_question():
    assert set(ASKING.questions) == set(CATEGORIES)
    assert set(ASKING.answers) == set(ANSWERS)
    assert SELF_HARM.all_right == "no" and ABUSE.all_right == "yes"
    assert SELF_HARM.ask and SELF_HARM.again and ASKING.cleared


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("No.", Outcome.ALL_RIGHT),
        ("Nope, not at all", Outcome.ALL_RIGHT),
        ("I am not", Outcome.ALL_RIGHT),  # the longer "i am not" wins over "i am"
        ("I'm not, honestly", Outcome.ALL_RIGHT),
        ("I don't think so", Outcome.ALL_RIGHT),
        ("Yes", Outcome.CONFIRMED),
        ("yeah I am", Outcome.CONFIRMED),
        ("I am", Outcome.CONFIRMED),
        ("No, but sometimes I do", Outcome.UNCLEAR),  # unsure words anywhere
        ("I'm not sure", Outcome.UNCLEAR),
        ("Nothing like that", Outcome.UNCLEAR),  # "no" is not the start of "nothing"
        ("Well, no", Outcome.UNCLEAR),  # a clear answer starts the reply
        ("", Outcome.UNCLEAR),
    ],
)
def test_reading_the_answer_about_ending_ones_life(text, outcome):
    assert ASKING.reads(SELF_HARM, text) is outcome


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Yes, I feel safe", Outcome.ALL_RIGHT),
        ("I'm safe", Outcome.ALL_RIGHT),
        ("No", Outcome.CONFIRMED),
        ("I am not", Outcome.CONFIRMED),
        ("Yes, mostly", Outcome.UNCLEAR),
        ("kind of", Outcome.UNCLEAR),
    ],
)
def test_reading_the_answer_about_safety_at_home(text, outcome):
    assert ASKING.reads(ABUSE, text) is outcome


def test_only_the_own_weaker_sign_is_asked_first():
    assert asks_first(Concern("self-harm", reported=False, level=Level.ASK))
    assert not asks_first(Concern("self-harm", reported=True, level=Level.ASK))  # someone else
    assert not asks_first(Concern("self-harm", reported=False, level=Level.HELP))
    assert not asks_first(Concern("abuse", reported=False))  # HELP by default


def test_only_a_clear_all_right_is_cleared():
    assert Noticed("eating", Level.ASK, Outcome.ALL_RIGHT).cleared
    others = set(Outcome) - {Outcome.ALL_RIGHT}
    assert not any(Noticed("eating", Level.ASK, outcome).cleared for outcome in others)


def test_the_journal_keeps_the_values():
    noticed = Noticed("abuse", Level.ASK, Outcome.DISCLOSURE, reported=True)
    assert noticed.record() == records.Concern(
        category="abuse", level="ask", outcome="disclosure", reported=True
    )
    assert Noticed("self-harm", Level.HELP, Outcome.HELP).record().reported is False
    assert {outcome.value for outcome in Outcome} == {
        "help", "all-right", "confirmed", "unclear", "disclosure", "unanswered",
    }  # fmt: skip
