"""The second blind safety set (290 answers in spoken style, written by a helper who never saw
the rules or any model), scored with the rules and the learned text model once both were frozen
(commit 17f918f), with scripts/score_safety_set.py. It is held out: never tune on it. These
bounds are the figures of that one scoring, so a change that makes the check worse on unseen
wording fails here.

Measured then: rules alone recall 90/147 = 0.612, false alarms 23/143 = 0.161; rules plus the
text model (as the session uses them) recall 133/147 = 0.905, false alarms 23/143 = 0.161 (the
MiniLM nearest-examples layer before it: 109/147 = 0.741, 26/143 = 0.182). The issue's false
alarm target (0.10) is not met.
Re-scored (NOT blind) after the short answers of corpus/author_d: recall 135/147 = 0.918,
false alarms 25/143 = 0.175; the bounds are these. In the e2e tier: it encodes 290 answers."""

from __future__ import annotations

import pytest
import yaml

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import load_safety
from assistant.safety.understood import UnderstoodCheck

from paths import DATA

ITEMS = yaml.safe_load((DATA / "safety_blind2.yaml").read_text())["items"]
NAMES = {"self_harm": "self-harm", "abuse": "abuse", "eating": "eating"}


@pytest.fixture(scope="module")
def check() -> UnderstoodCheck:
    return UnderstoodCheck(load_safety(DIALOGS_DIR / "safety.yaml"))


def test_the_set_is_what_was_scored():
    assert len(ITEMS) == 290
    assert sum(i["category"] == "ordinary" for i in ITEMS) == 143


def test_blind2_recall_and_false_alarms_stay_at_their_measured_level(check):
    concerning = [i for i in ITEMS if i["category"] != "ordinary"]
    caught = sum(
        any(c.category == NAMES[i["category"]] for c in check.check_all(i["text"]))
        for i in concerning
    )
    alarms = sum(bool(check.check_all(i["text"])) for i in ITEMS if i["category"] == "ordinary")
    assert caught >= 135, f"recall {caught}/{len(concerning)} (was 135/147)"
    assert alarms <= 25, f"false alarms {alarms}/143 (was 25/143)"
