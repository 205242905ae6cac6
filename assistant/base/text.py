"""The one text normaliser: every phrase, command, rule and word list is compared in these forms."""

from __future__ import annotations

import re
import unicodedata


def normalize(text: str) -> str:
    """Lower case, accents folded ("contestó" -> "contesto", not "contest"), apostrophes kept,
    other punctuation and extra spaces dropped. The safety rules need the apostrophes ("don't"
    -> "do not"); phrases are compared by phrase_key."""
    text = text.lower().replace("\u2019", "'")
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def phrase_key(text: str) -> str:
    """The one form in which whole phrases (commands, closing phrases, replies in the safety
    flow) are compared, when loaded and when heard: normalized, without apostrophes, since
    people type "im done" as often as "I'm done"."""
    return normalize(text).replace("'", "")


#: Contractions after apostrophes are kept by the normaliser: "don't" -> "do not".
NOT_STEMS = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}
SUFFIXES = (("'m", "am"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"))
#: Only these take 's as "is"; on other words it is a possessive ("my sister's husband").
IS_AFTER = frozenset(
    {"he", "she", "it", "that", "there", "what", "who", "where", "here", "how", "everyone"}
    | {"everything", "nothing", "someone"}
)


def expand_word(word: str, spellings: dict[str, str]) -> list[str]:
    """One normalised word as the words rules are written in: "i'm" -> ["i", "am"]."""
    if word in spellings:
        return spellings[word].split()
    if "'" not in word:  # most words: nothing to do
        return [word]
    word = word.strip("'")
    if not word:
        return []
    if word in spellings:
        return spellings[word].split()
    if word.endswith("n't") and len(word) > 3:
        stem = word[:-3]
        return [NOT_STEMS.get(stem, stem), "not"]
    for suffix, full in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return [word[: -len(suffix)], full]
    if word.endswith("'s") and word[:-2] in IS_AFTER:
        return [word[:-2], "is"]
    if word == "let's":
        return ["let", "us"]
    return [word]


def to_words(text: str, spellings: dict[str, str]) -> list[str]:
    """Lower case, no punctuation, contractions spelled out: what every rule is matched on."""
    text = text.replace("\u2018", "'").replace("\u02bc", "'")
    words = []
    for raw in normalize(text).split():
        if "'" in raw or raw in spellings:
            words.extend(expand_word(raw, spellings))
        else:
            words.append(raw)
    return words


def plain_words(text: str) -> list[str]:
    """to_words without possessives ("my sister's car" -> my sister car): the words counted and
    lemmatised by the insights, where "sister's" is the word "sister"."""
    return [w[:-2] if w.endswith("'s") else w for w in to_words(text, {})]


def plural(count: int, one: str, many: str = "") -> str:
    """"1 minute", "2 minutes": the count with its noun (`many` where adding an s is wrong)."""
    return f"{count:g} {one if count == 1 else many or one + 's'}"
