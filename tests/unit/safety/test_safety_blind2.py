"""The second blind safety set (290 answers in spoken style, written by a helper who never saw
the rules or the learned layer), scored once, after both were frozen (commit 4b1895e), with
scripts/score_safety_set.py. It is held out: never tune on it. These bounds are the figures of
that one scoring, so a change that makes the check worse on unseen wording fails here.

Measured then: rules alone recall 90/147 = 0.612, false alarms 23/143 = 0.161; rules plus the
learned layer (as the session uses them) recall 109/147 = 0.741, false alarms 26/143 = 0.182.
The issue's target (recall 0.90, false alarms 0.05) is not met."""

from __future__ import annotations

import pytest
import yaml

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import load_safety
from assistant.safety.learned import CombinedCheck, LearnedCheck
from assistant.safety.learned_encoder import SentenceEncoder

from paths import DATA

ITEMS = yaml.safe_load((DATA / "safety_blind2.yaml").read_text())["items"]
NAMES = {"self_harm": "self-harm", "abuse": "abuse", "eating": "eating"}


@pytest.fixture(scope="module")
def combined() -> CombinedCheck:
    learned = LearnedCheck()
    # The same float32 weights the session widens per sentence, widened once: the same scores,
    # about 40 ms less a sentence over the set.
    learned._encoder = SentenceEncoder(keep_float32=True)
    return CombinedCheck(load_safety(DIALOGS_DIR / "safety.yaml"), learned)


def test_the_set_is_what_was_scored():
    assert len(ITEMS) == 290
    assert sum(i["category"] == "ordinary" for i in ITEMS) == 143


def test_blind2_recall_and_false_alarms_stay_at_their_measured_level(combined):
    concerning = [i for i in ITEMS if i["category"] != "ordinary"]
    caught = sum(
        any(c.category == NAMES[i["category"]] for c in combined.check_all(i["text"]))
        for i in concerning
    )
    alarms = sum(bool(combined.check_all(i["text"])) for i in ITEMS if i["category"] == "ordinary")
    assert caught >= 109, f"recall {caught}/{len(concerning)} (was 109/147)"
    assert alarms <= 26, f"false alarms {alarms}/143 (was 26/143)"
