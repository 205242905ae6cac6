"""Words of an answer: tokens as base/text reads them (lower case, contractions opened, "'s" of
a possessive dropped), and their lemmas (simplemma).

Lemmas let a vocabulary entry match its inflections ("reply" matches "replied", "replies") without
listing each one. simplemma is a dictionary lookup, so a few irregular forms keep their surface
form ("left", "cancelled"); a term then matches a word by its lemma or by the word itself.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

from assistant.base.text import plain_words

#: Lower-case words, with "didn't" as "did not", "i'm" as "i am" and "sister's" as "sister".
tokens = plain_words


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").lower()


def lemmas(words: list[str]) -> list[str]:
    return [lemma(word) for word in words]
