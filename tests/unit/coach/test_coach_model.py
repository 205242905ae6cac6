"""The coach's labels with the learned text model (assistant/coach/understood.py): what phrase
rules missed, and where a label only the model found quotes the attempt."""

from __future__ import annotations

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.coach.analyse import assess
from assistant.coach.findings import Kind, StartUp
from assistant.coach.rules import load_coaching
from assistant.coach.understood import COMBINE, LABELS


@pytest.fixture(scope="module")
def rules():
    return load_coaching(DIALOGS_DIR / "coaching.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "I guess I just don't matter to you",
        "must be nice to have so much free time",
        "thanks for finally noticing i exist",
    ],
)
def test_indirect_blame_and_sarcasm_are_blame(rules, text):
    found = assess(text, rules)
    blame = [f for f in found.findings if f.kind is Kind.BLAME]
    assert blame and found.start_up is StartUp.HARSH, text
    assert blame[0].words.lower().startswith(text.lower().split()[0])  # quoted from the attempt


def test_a_kind_request_stays_soft(rules):
    found = assess("i feel lonely when you're away, could you call me before bed", rules)
    assert not found.has(Kind.BLAME) and not found.has(Kind.FAUX_FEELING)
    assert found.has(Kind.REQUEST) and found.has(Kind.FEELING)
    assert found.start_up is StartUp.SOFT


def test_the_rules_quote_stays_where_they_found_the_words(rules):
    """The words a coach quotes back ("never") are the rules' own, model or not."""
    with_model = [f.words for f in assess("You never listen to me.", rules).findings
                  if f.kind is Kind.BLAME]  # fmt: skip
    assert with_model == ["you never listen to me"]


def test_every_label_has_a_way_to_combine():
    assert set(COMBINE) == set(LABELS)
    assert set(COMBINE.values()) <= {"model", "rules or model"}
