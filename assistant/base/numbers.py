"""Number words, as speech recognisers write them, and the words a spoken rating may hold:
dialogs/numbers.yaml, read through the one data-file reader."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.settings import DIALOGS_DIR

NUMBERS_FILE = DIALOGS_DIR / "numbers.yaml"
TOP_KEYS = {"words", "rating_fillers"}


@dataclass(frozen=True)
class NumberWords:
    values: dict[str, int]  # "seven" -> 7
    rating_fillers: frozenset[str]  # normalized words a rating reply may hold besides its number

    def word(self, value: int) -> str:
        """`value` in words when it has one ("two"), else in digits."""
        return next((w for w, v in self.values.items() if v == value), str(value))


def load_numbers(path: Path) -> NumberWords:
    data = load_yaml(path)
    r = Reader(path)
    unknown_keys(r, data, TOP_KEYS, "")
    table = r.mapping(data, "words", "words")
    values: dict[str, int] = {}
    for word in table:
        keypath = f"words.{word}"
        value = r.number(table, word, keypath, 0, whole=True)
        if not isinstance(word, str) or not word.isalpha() or word != word.lower():
            raise r.error(table, word, keypath, "expected a number word in lower case: value")
        if value in values.values():
            raise r.error(table, word, keypath, f"{value} has a word already; remove one")
        values[word] = value
    fillers = r.phrases(data, "rating_fillers", "rating_fillers", noun="word")
    return NumberWords(values, frozenset(fillers))


@cache
def number_words() -> NumberWords:
    return load_numbers(NUMBERS_FILE)
