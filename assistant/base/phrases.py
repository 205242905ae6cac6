"""Whole-word phrase matching for replies and prompts in the safety flow."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from assistant.base.text import phrase_key

#: Replies are compared without apostrophes: people type "im fine" as often as "I'm fine".
words = phrase_key


@lru_cache(maxsize=64)
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word match of any phrase in words(text)."""
    plain = sorted({words(p) for p in phrases}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p) for p in plain)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def contains_phrase(phrases: tuple[str, ...], text: str) -> bool:
    return bool(phrases) and bool(phrase_pattern(phrases).search(words(text)))


def whole_phrase(phrases: Iterable[str], text: str) -> str | None:
    """The entry of `phrases` (a set, or a dict's keys) that the whole of `text` says."""
    said = words(text)
    return next((p for p in phrases if words(p) == said), None)
