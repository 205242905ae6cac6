"""How the rules and the text model decide together (assistant/safety/understood.decide), on
readings set by hand, and the real check on the answers the issue names."""

from __future__ import annotations

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import Concern, Level, load_safety
from assistant.safety.understood import MODEL_FAMILY, Reading, UnderstoodCheck, decide

T = {"raise": 0.5, "raise_short": 0.8, "help_sure": 0.9, "context": 0.5, "urgent": 0.5}
NONE = {"self-harm": 0.0, "abuse": 0.0, "eating": 0.0}
ASK = Concern("self-harm", reported=False, level=Level.ASK, family="burden")
HELP = Concern("self-harm", reported=False, level=Level.HELP, family="intent")
LONG = 12  # words: long enough to tell a past or someone else's story


def reading(context: float = 0.0, urgent: float = 0.0, **found: float) -> Reading:
    return Reading({**NONE, **{k.replace("_", "-"): v for k, v in found.items()}}, urgent, context)


def test_context_lowers_a_rules_concern_the_model_does_not_find():
    assert decide([ASK], reading(context=0.6), T, LONG) == []
    reported = Concern("abuse", reported=True, level=Level.HELP)  # a friend's story
    assert decide([reported], reading(context=0.6), T, LONG) == []


def test_a_short_answer_is_never_lowered_as_context():
    """The context head read "I'm just a burden" (four words) as context."""
    assert decide([ASK], reading(context=0.9), T, 4) == [ASK]


def test_a_rules_clear_sign_about_the_speaker_is_never_lowered():
    assert decide([HELP], reading(context=1.0), T, LONG) == [HELP]


def test_a_concern_the_model_finds_is_never_lowered():
    """A present-tense plan: the category head finds it, whatever the context head says."""
    kept = decide([HELP], reading(context=0.9, self_harm=0.8), T, LONG)
    assert kept == [HELP] and kept[0].family == "intent"


def test_without_context_the_rules_stand():
    assert decide([ASK, HELP], reading(context=0.2), T, LONG) == [HELP, ASK]


def test_the_model_raises_what_the_rules_have_no_words_for():
    asked = decide([], reading(eating=0.7, urgent=0.2), T, LONG)
    assert asked == [Concern("eating", reported=False, level=Level.ASK)]
    assert asked[0].family == MODEL_FAMILY
    helped = decide([], reading(abuse=0.95, urgent=0.9), T, LONG)
    assert helped == [Concern("abuse", reported=False, level=Level.HELP)]


def test_a_model_only_concern_is_help_only_when_the_model_is_sure_of_a_long_answer():
    """Weak evidence asks first: urgent, but the category head under `help_sure`."""
    asked = decide([], reading(abuse=0.7, urgent=0.9), T, LONG)
    assert asked == [Concern("abuse", reported=False, level=Level.ASK)]


def test_a_short_answer_needs_the_model_surer_and_never_gets_help_from_it():
    """ "That I do not matter." (five words): over `raise`, under `raise_short`: nothing."""
    assert decide([], reading(self_harm=0.7, urgent=0.9), T, 5) == []
    sure = decide([], reading(self_harm=0.99, urgent=0.99), T, 5)
    assert sure == [Concern("self-harm", reported=False, level=Level.ASK)]


@pytest.fixture(scope="module")
def check() -> UnderstoodCheck:
    return UnderstoodCheck(load_safety(DIALOGS_DIR / "safety.yaml"))


@pytest.mark.parametrize(
    "text",
    [
        "Go for a walk and call my sister.",
        "go for a walk and call my sister",
        "i'm just going to have a bath and an early night",
        "this commute is literally killing me",
    ],
)
def test_look_alikes_raise_nothing(check, text):
    assert check.check_all(text) == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i want to die", "self-harm"),
        ("he grabbed me by the throat last night", "abuse"),
        ("i haven't eaten in three days and i make myself sick if i do eat", "eating"),
    ],
)
def test_clear_signs_are_caught(check, text, category):
    assert check.check(text).category == category


def test_another_language_raises_no_concern_but_is_noticed(check):
    assert check.check_all("quiero morirme") == [] and check.foreign("quiero morirme")
