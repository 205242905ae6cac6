"""base/phrases.py: whole-word phrase matching for the safety flow's replies and prompts, with the
phrase lists of dialogs/support.yaml where a real list matters."""

from __future__ import annotations

import pytest

from assistant.base.datafile import load_yaml
from assistant.base.phrases import contains_phrase, phrase_pattern, whole_phrase, words
from assistant.base.settings import DIALOGS_DIR

SUPPORT = load_yaml(DIALOGS_DIR / "support.yaml")
FINE = tuple(SUPPORT["fine"]["phrases"])
UNSAFE = tuple(SUPPORT["still_unsafe"]["phrases"])


def test_words_drops_apostrophes_case_and_punctuation():
    assert words("I'm FINE, really!") == "im fine really"
    assert words("im fine") == words("I'm fine")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I'm fine.", True),
        ("im fine honestly", True),  # typed without the apostrophe
        ("Honestly, I AM FINE", True),
        ("I'm finely tuned", False),  # part of a longer word is not the phrase
        ("Time fine", False),  # "im" inside "time" is not the word "im"
        ("it's nothingness", False),
        ("all good here", True),
    ],
)
def test_contains_phrase_matches_whole_words_only(text, found):
    assert contains_phrase(FINE, text) is found


def test_contains_phrase_with_no_phrases_is_false():
    assert contains_phrase((), "anything at all") is False


def test_unsafe_phrases_anywhere_but_not_inside_words():
    assert contains_phrase(UNSAFE, "I think I need help tonight")
    assert contains_phrase(UNSAFE, "I'm NOT OK")
    assert not contains_phrase(UNSAFE, "that was helpful")  # "help" inside "helpful"
    assert not contains_phrase(UNSAFE, "the spills on the floor")  # "pills" inside "spills"


def test_phrase_pattern_prefers_the_longest_phrase():
    pattern = phrase_pattern(("not", "not ok"))
    assert pattern.search(words("I'm not OK")).group(0) == "not ok"


def test_phrase_pattern_normalises_its_phrases_and_is_cached():
    pattern = phrase_pattern(("I'm OK!", "a.b"))
    assert pattern.search(words("well im ok")).group(0) == "im ok"
    assert pattern.search(words("a.b")) and not pattern.search("axb")  # "." is not a wildcard
    assert phrase_pattern(("I'm OK!", "a.b")) is pattern


def test_whole_phrase_needs_the_whole_reply():
    safe = SUPPORT["fine"]["safe"]
    assert whole_phrase(safe, "Yes, I'm safe.") == "yes i'm safe"
    assert whole_phrase(safe, "YEP") == "yep"
    assert whole_phrase(safe, "yes but not really") is None
    assert whole_phrase(safe, "") is None


def test_whole_phrase_returns_the_key_of_a_mapping():
    choices = {"let's breathe": "breathe", "go on": "continue"}
    assert whole_phrase(choices, "lets breathe") == "let's breathe"
    assert whole_phrase(choices, "go on please") is None
