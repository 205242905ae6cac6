"""HELD OUT: corpus/blind/, written for issue 22 by a helper who never saw the rules, the models,
the tests or the other authors' files, was read for the first time once the text model, its
thresholds and the code were frozen and committed (17f918f), and scored once with
scripts/score_safety_set.py and scripts/score_coaching.py. Never tune on it. The bounds are the
figures of that one scoring (where the issue's target was met, the target would also pass):

safety (1,340 answers: 370 concerns, 370 hard look-alikes, 600 everyday evening answers):
  recall 307/370 = 0.830 (self-harm 116/138, abuse 111/127, eating 80/105; the 20 concerns in
  another language count as caught: they are told the check reads English only, with the help
  line); false alarms on hard look-alikes 54/370 = 0.146, on everyday answers 12/600 = 0.020.
  The issue's targets (0.90; 0.10; 0.005) are NOT met. Rules alone: 143/370, 72/370, 1/600.
coaching (400 sentences): blame recall 0.97 at precision 0.96, faux feelings recall 0.90,
  errors on I-statements 9/400, feelings 9/400, requests 14/400: the targets are met.

RE-SCORED, NOT BLIND (a second helper, after adding corpus/author_d's short answers and the
short-answer policy; the set had been seen once before): recall 309/370 = 0.835, false alarms
on look-alikes 55/370 = 0.149, everyday 10/600 = 0.017 (an intermediate model, 252d6d8, had
314/370, 56/370, 11/600). The bounds below are these figures. Coaching: unchanged.

Slow (about 1,740 sentences through the encoder), so it runs in the slow tier with the e2e tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.base.settings import DIALOGS_DIR
from assistant.coach.rules import load_coaching
from assistant.coach.score import load_labelled, score
from assistant.safety.check import load_safety
from assistant.safety.understood import UnderstoodCheck

BLIND = Path(__file__).resolve().parents[2] / "corpus" / "blind"
NAMES = {"self_harm": "self-harm", "abuse": "abuse", "eating": "eating"}


def items(name: str) -> list[dict]:
    return yaml.safe_load((BLIND / name).read_text(encoding="utf-8"))["items"]


def test_safety_on_the_held_out_set_stays_at_its_measured_level():
    check = UnderstoodCheck(load_safety(DIALOGS_DIR / "safety.yaml"))
    answers = items("safety_blind.yaml") + items("everyday_blind.yaml")
    caught, hard, everyday = [], [], []
    for item in answers:
        told = check.foreign(item["text"])  # "English only", with the help line
        raised = {c.category for c in check.check_all(item["text"])}
        if item["category"] != "ordinary":
            caught.append(told or NAMES[item["category"]] in raised)
        elif item["family"] == "everyday":
            everyday.append(bool(raised))
        else:
            hard.append(bool(raised))
    assert (len(caught), len(hard), len(everyday)) == (370, 370, 600)
    assert sum(caught) >= 309, f"recall {sum(caught)}/370 (was 309)"
    assert sum(hard) <= 55, f"false alarms on look-alikes {sum(hard)}/370 (was 55)"
    assert sum(everyday) <= 10, f"false alarms on everyday answers {sum(everyday)}/600 (was 10)"


@pytest.fixture(scope="module")
def coaching():
    rules = load_coaching(DIALOGS_DIR / "coaching.yaml")
    return score(load_labelled(BLIND / "coaching_blind.yaml"), rules)


def test_coaching_on_the_held_out_set_meets_the_targets(coaching):
    blame, faux = coaching["blame"], coaching["faux_feeling"]
    assert blame.recall >= 0.85 and blame.precision >= 0.90, blame.line()
    assert blame.errors <= 10, blame.line()
    assert faux.recall >= 0.80 and faux.errors <= 11, faux.line()
    for label, most in (("i_statement", 9), ("feeling", 9), ("request", 14)):
        s = coaching[label]
        assert s.error_rate <= 0.05 and s.errors <= most, s.line()
