"""Reading a spoken rating from one to ten: "seven", "about a six", "seven out of ten", "8".

A small grammar rather than a search for any number word: a rating reply is short, so besides the
number it may hold only filler ("I'd say", "about a", "maybe") and "out of ten". Anything else
("one thing is ...", "six or seven", "six and a half") is not a rating, and the question can be
asked once more.
"""

from __future__ import annotations

import re

from assistant.base.numbers import number_words
from assistant.base.text import normalize

_OUT_OF_TEN = re.compile(r"\b(?:out\s+of|outta|of|on|over)\s+(?:ten|10)\b|\s*/\s*10\b")


def parse_rating(text: str) -> int | None:
    """The rating 1..10 said in `text`, or None if it does not say exactly one. Besides its
    number a reply may hold only the rating fillers of dialogs/numbers.yaml."""
    numbers = number_words()
    said = _OUT_OF_TEN.sub(" ", text.lower())
    found: set[int] = set()
    for word in normalize(said).split():
        value = numbers.values.get(word) or (int(word) if word.isdigit() else None)
        if value is not None:
            if not 1 <= value <= 10:
                return None
            found.add(value)
        elif word not in numbers.rating_fillers:
            return None
    return found.pop() if len(found) == 1 else None
