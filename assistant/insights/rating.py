"""Reading a spoken rating from one to ten: "seven", "about a six", "seven out of ten", "8".

A small grammar rather than a search for any number word: a rating reply is short, so besides the
number it may hold only filler ("I'd say", "about a", "maybe") and "out of ten". Anything else
("one thing is ...", "six or seven", "six and a half") is not a rating, and the question can be
asked once more.
"""

from __future__ import annotations

import re

from assistant.base.numbers import NUMBERS

#: Words a rating reply may hold besides its number.
FILLER = frozenset(
    [
        "a",
        "an",
        "about",
        "around",
        "roughly",
        "maybe",
        "probably",
        "perhaps",
        "like",
        "i",
        "i'd",
        "id",
        "i'm",
        "im",
        "would",
        "say",
        "guess",
        "think",
        "feel",
        "it",
        "it's",
        "its",
        "is",
        "so",
        "um",
        "uh",
        "er",
        "erm",
        "hmm",
        "okay",
        "ok",
        "well",
        "honestly",
        "right",
        "now",
        "today",
        "tonight",
        "just",
        "only",
        "pretty",
        "solid",
        "at",
        "least",
        "most",
        "the",
        "give",
        "to",
        "me",
        "that's",
        "thats",
        "be",
        "i'll",
        "ill",
        "go",
        "with",
        "call",
        "yeah",
        "yes",
    ]
)
_OUT_OF_TEN = re.compile(r"\b(?:out\s+of|outta|of|on|over)\s+(?:ten|10)\b|\s*/\s*10\b")
_WORD = re.compile(r"[a-z0-9']+")


def parse_rating(text: str) -> int | None:
    """The rating 1..10 said in `text`, or None if it does not say exactly one."""
    said = _OUT_OF_TEN.sub(" ", text.lower().replace("\u2019", "'"))
    found: set[int] = set()
    for word in _WORD.findall(said):
        value = NUMBERS.get(word) or (int(word) if word.isdigit() else None)
        if value is not None:
            if not 1 <= value <= 10:
                return None
            found.add(value)
        elif word not in FILLER:
            return None
    return found.pop() if len(found) == 1 else None
