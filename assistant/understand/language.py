"""Is an answer mostly in English? The safety check reads English only, so an answer mostly in
another language is told so plainly (with the help line) instead of being passed in silence.

The English words are those of the training corpus that at least two of its authors used (so
one author's Tagalog or Spanish asides are not among them); the training script writes them.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.understand.encoder import spoken_form

__all__ = ["Lexicon"]

#: Mostly another language: at least this share of its words is not English...
FOREIGN_SHARE = 0.6
#: ...in an answer of at least this many words ("ok", "tired" are too short to tell).
MIN_WORDS = 2


class Lexicon:
    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)

    def foreign(self, text: str) -> bool:
        """Mostly words that are not English (numbers and one-letter words are not counted)."""
        words = [w for w in spoken_form(text).split() if len(w) > 1 and not w.isdigit()]
        if len(words) < MIN_WORDS:
            return False
        unknown = sum(w not in self.words for w in words)
        return unknown / len(words) >= FOREIGN_SHARE
