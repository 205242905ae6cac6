"""safety/rules.py: a compiled rule keeps its regular expressions as text until first needed, and
so does a softener; checked on the real rules of dialogs/safety.yaml and on hand-made ones."""

from __future__ import annotations

import re

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.rule_file import load_rules
from assistant.safety.rules import CATEGORIES, Level, Rule, Softener

RULES = load_rules(DIALOGS_DIR / "safety.yaml")


def by_source(source: str) -> Rule:
    return next(rule for rule in RULES.rules if rule.source == source)


def test_categories_and_levels():
    assert CATEGORIES == ("self-harm", "abuse", "eating")
    assert Level("ask") is Level.ASK and Level("help") is Level.HELP
    assert {rule.category for rule in RULES.rules} == set(CATEGORIES)
    assert {rule.level for rule in RULES.rules} == {Level.ASK, Level.HELP}


def test_a_phrase_rule_compiles_its_regex_on_first_use_only():
    rule = Rule("self-harm", "test", Level.HELP, "rather be dead", 1, r"rather be dead", None, 3)
    assert "regex" not in rule.__dict__
    assert rule.regex.search("i would rather be dead").group(0) == "rather be dead"
    assert rule.regex is rule.regex  # compiled once, then kept
    assert rule.then is None  # not a near rule


def test_a_real_phrase_rule_matches_through_fillers():
    rule = by_source("rather be dead")
    assert (rule.category, rule.family, rule.level) == ("self-harm", "wish-to-be-dead", Level.HELP)
    assert rule.anchors == frozenset({"rather"}) and rule.line is not None
    assert rule.regex.search("i would rather really be dead")  # a filler inside the phrase
    assert not rule.regex.search("i would rather be deadline driven")  # a whole word only


def test_a_near_rule_has_its_second_phrase_and_distance():
    rule = next(rule for rule in RULES.rules if rule.then_pattern and "{my} life" in rule.source)
    assert rule.within > 0 and rule.span > rule.within
    assert isinstance(rule.then, re.Pattern) and rule.then.search("it is my life")


def test_ask_rules_are_weaker_signs():
    ask = [rule for rule in RULES.rules if rule.level is Level.ASK]
    assert ask and {rule.category for rule in ask} <= set(CATEGORIES)
    assert any(rule.source == "urge to jump/step" for rule in ask)


def test_a_softener_compiles_each_side_when_first_needed():
    softener = Softener(r"haha|lol", None, 10, everywhere=False)
    assert "after" not in softener.__dict__
    assert softener.after.search("he'll kill me, haha") and softener.before is None
    only_before = Softener(None, r"in the film", 12, everywhere=True)
    assert only_before.after is None and only_before.before.search("in the film he said")


def test_real_softeners():
    jokes = RULES.softeners["jokes"]
    assert jokes.after.search("lol") and jokes.before is None and not jokes.everywhere
    assert any(rule.softened_by for rule in RULES.rules)
    named = {name for rule in RULES.rules for name in rule.softened_by}
    assert named <= set(RULES.softeners)


def test_whose_concern_patterns():
    assert RULES.me.search("my") and not RULES.me.search("myth")  # whole words
    assert RULES.others.search("she said") and not RULES.others.search("i said")
    assert RULES.actors.search("he hit me")
    assert RULES.actor_categories <= set(CATEGORIES)
