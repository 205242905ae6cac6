"""Words of an answer: tokens in lower case, contractions opened, and their lemmas (simplemma).

Lemmas let a vocabulary entry match its inflections ("reply" matches "replied", "replies") without
listing each one. simplemma is a dictionary lookup, so a few irregular forms keep their surface
form ("left", "cancelled"); a term then matches a word by its lemma or by the word itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_IRREGULAR_NOT = {"won't": ["will", "not"], "can't": ["can", "not"], "shan't": ["shall", "not"]}
_SUFFIXES = {"'m": "am", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would"}


def tokens(text: str) -> list[str]:
    """Lower-case words, with "didn't" as "did not" and "i'm" as "i am"; "'s" is dropped."""
    out: list[str] = []
    for word in _WORD.findall(text.lower().replace("\u2019", "'")):
        if word in _IRREGULAR_NOT:
            out += _IRREGULAR_NOT[word]
        elif word.endswith("n't"):
            out += [word[:-3], "not"]
        elif "'" in word:
            base, _, tail = word.partition("'")
            out.append(base)
            if f"'{tail}" in _SUFFIXES:
                out.append(_SUFFIXES[f"'{tail}"])
        else:
            out.append(word)
    return out


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").lower()


def lemmas(words: list[str]) -> list[str]:
    return [lemma(word) for word in words]
