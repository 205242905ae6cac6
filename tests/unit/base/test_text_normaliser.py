"""base/text: the one normaliser every phrase, command, rule and word list is compared in."""

from __future__ import annotations

import pytest

from assistant.base.text import normalize, phrase_key, plain_words, to_words

SPELLINGS = {"im": "i am", "dont": "do not", "kms": "kill myself"}


def test_normalize_keeps_apostrophes_and_drops_other_punctuation():
    assert normalize("  I\u2019m DONE, really!  ") == "i'm done really"
    assert normalize("self-care... 100%") == "self care 100"


def test_phrase_key_also_drops_apostrophes():
    assert phrase_key("I'm fine.") == phrase_key("im fine") == "im fine"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I'm sure", ["i", "am", "sure"]),
        ("I won't, can't and don't", ["i", "will", "not", "can", "not", "and", "do", "not"]),
        ("im sure it's fine", ["i", "am", "sure", "it", "is", "fine"]),
        ("my sister's husband", ["my", "sister's", "husband"]),  # a possessive stays
        ("let's go", ["let", "us", "go"]),
        ("kms", ["kill", "myself"]),
        ("\u2018quoted\u2019 words", ["quoted", "words"]),
    ],
)
def test_to_words_spells_contractions_out(text, words):
    assert to_words(text, SPELLINGS) == words


def test_plain_words_drop_the_possessive_s():
    assert plain_words("My sister's car isn't here") == ["my", "sister", "car", "is", "not", "here"]
