"""safety/rule_file.py: dialogs/safety.yaml loaded into Rules, loaded once per version of the file,
and its mistakes named by file, line, key and fix (the real file, with one thing changed)."""

from __future__ import annotations

import os

import pytest

from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.safety.rule_file import load_rules
from assistant.safety.rules import CATEGORIES, Level

SAFETY = DIALOGS_DIR / "safety.yaml"
TEXT = SAFETY.read_text(encoding="utf-8")


def test_the_real_file_loads_every_category_and_family():
    rules = load_rules(SAFETY)
    assert rules.path == SAFETY
    assert set(rules.excepts) == set(CATEGORIES)
    families = {rule.family for rule in rules.rules}
    assert families == set(rules.notes)  # every family has its note, and rules
    assert "C-SSRS" in rules.notes["wish-to-be-dead"]
    rather = next(rule for rule in rules.rules if rule.source == "rather be dead")
    assert TEXT.splitlines()[rather.line - 1].strip() == "- rather be dead"  # its own line


def test_sections_are_read():
    rules = load_rules(SAFETY)
    assert rules.window == 6 and rules.scope == 4
    assert rules.subjects == frozenset({"i", "he", "she", "they", "we", "you", "but"})
    assert rules.actor_categories == frozenset({"abuse"})
    assert rules.hypothetical is not None and "said" in rules.threat_verbs
    assert rules.cues.search("never") and rules.cue_excepts.search("no one")
    assert set(rules.softeners) >= {"jokes", "reasons", "stories", "denials"}
    assert rules.softeners["jokes"].within == 10


def test_a_file_is_compiled_once_per_version(tmp_path):
    path = tmp_path / "safety.yaml"
    path.write_text(TEXT, encoding="utf-8")
    first = load_rules(path)
    assert load_rules(path) is first
    stat = path.stat()
    path.write_text(TEXT.replace("  words: 3\n", "  words: 4\n", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_rules(path) is not first


def test_a_missing_file_is_reported(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(BadScriptError) as caught:
        load_rules(path)
    assert str(caught.value).startswith(f"{path}: cannot read")


def test_a_family_may_name_several_softeners(tmp_path):
    text = TEXT.replace("softened_by: [resolved]", "softened_by: [resolved, jokes]", 1)  # the first
    path = tmp_path / "safety.yaml"
    path.write_text(text, encoding="utf-8")
    rules = load_rules(path)
    assert any(rule.softened_by == ("resolved", "jokes") for rule in rules.rules)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\nslots:", "\nsluts: {}\nslots:", "sluts: unknown key"),
        (
            "never softened.\n        softened_by: [resolved]",
            "never softened.\n        softened_by: [x]",
            "unknown softener 'x'",
        ),
        ("      wish-to-be-dead:\n", "      Wish_To_Die:\n", "family names are lower-case"),
        ("  self-harm:\n    families:", "  self-hurt:\n    families:", "unknown category"),
        ("  words: 3\n", "  words: 30\n", "gaps.words"),
        ("  fillers: [really,", "  fillers: [never, really,", "'never' is a negation cue"),
        ("  fillers: [really,", "  fillers: [you, really,", "'you' is in never_across"),
        ("  window: ", "  window: 99 #", "reporting.window"),
        ("  actor_categories: [", "  actor_categories: [dogs, ", "unknown category 'dogs'"),
    ],
)
def test_mistakes_name_file_line_key_and_fix(tmp_path, old, new, message):
    assert TEXT.count(old) == 1, old
    path = tmp_path / "safety.yaml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BadScriptError) as caught:
        load_rules(path)
    text = str(caught.value)
    where, _, rest = text.partition(": ")
    assert where.startswith(f"{path}:") and where.rsplit(":", 1)[1].isdigit(), text
    assert message in rest and "\n" not in text, text


def test_a_family_without_rules_is_refused(tmp_path):
    start = TEXT.index("      wish-to-be-dead:\n")
    text = TEXT[:start] + "      empty-family:\n        note: nothing\n" + TEXT[start:]
    path = tmp_path / "safety.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadScriptError, match="has no rules; add phrases, near or patterns"):
        load_rules(path)


def test_ask_rules_get_the_ask_level():
    rules = load_rules(SAFETY)
    ask = {rule.source for rule in rules.rules if rule.level is Level.ASK}
    assert "would finally be sorry" in ask and "rather be dead" not in ask
