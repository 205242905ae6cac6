"""Matching the phrases of dialogs/coaching.yaml (compiled by base/phrase_compiler) one sentence
at a time, on the words the safety rules see too: lower case, no punctuation, contractions
spelled out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.base.phrase_compiler import PhraseCompiler, Style
from assistant.base.text import to_words

SENTENCE_END = re.compile(r"[.!?;:\n]+")
#: Longer phrases are tried first, so a quote holds the most that was said; a ... gap takes as
#: many words as it can, up to the words that start another clause.
COACH_STYLE = Style(by_words=True, lazy_gaps=False)

Span = tuple[int, int]


def sentences(text: str, spellings: dict[str, str]) -> list[str]:
    """Each sentence of `text` as plain words joined by single spaces (empty ones left out)."""
    out = (" ".join(to_words(part, spellings)) for part in SENTENCE_END.split(text))
    return [s for s in out if s]


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class Matcher:
    """Any of a group's phrases, less the matches that overlap one of its exceptions."""

    regex: re.Pattern[str]
    excepts: re.Pattern[str] | None = None

    def spans(self, words: str) -> list[Span]:
        found = [m.span() for m in self.regex.finditer(words)]
        if not found or self.excepts is None:
            return found
        # every start position, so one exception cannot hide another that overlaps it
        cancel = [m.span(1) for m in re.finditer(f"(?=({self.excepts.pattern}))", words)]
        return [s for s in found if not any(overlaps(s, c) for c in cancel if c[0] != c[1])]

    def first(self, words: str) -> str | None:
        spans = self.spans(words)
        return words[spans[0][0] : spans[0][1]] if spans else None


def compiled(comp: PhraseCompiler, container: dict, key: str, keypath: str) -> re.Pattern[str]:
    """Any phrase of the list at `key`, as whole words."""
    return comp.compile(comp.alternative(container, key, keypath), (container, key, keypath))


def matcher(comp: PhraseCompiler, group: dict, keypath: str, key: str = "phrases") -> Matcher:
    """A group's phrases and (optional) `except` phrases."""
    excepts = None
    if "except" in group:
        excepts = compiled(comp, group, "except", f"{keypath}.except")
    return Matcher(compiled(comp, group, key, f"{keypath}.{key}"), excepts)
