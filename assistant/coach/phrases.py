"""Phrases of dialogs/coaching.yaml compiled to regular expressions over plain words.

A phrase is words, a/b choices of single words, {slots} and ... gaps (a few words, never across
the words that start another clause). Text is matched one sentence at a time, as the words the
safety rules see: lower case, no punctuation, contractions spelled out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.base.datafile import Where
from assistant.base.errors import BadScriptError
from assistant.base.text import to_words

GAP = "..."
SLOT = re.compile(r"^\{([a-z][a-z_]*)\}$")
PLAIN = re.compile(r"^[a-z0-9'\u2019-]+$")
EDGE_BEFORE = r"(?<![a-z0-9'])"
EDGE_AFTER = r"(?![a-z0-9'])"
SENTENCE_END = re.compile(r"[.!?;:\n]+")

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


class PhraseCompiler:
    """Turns the phrase lists of one file into Matchers; mistakes are one-line file:line errors."""

    def __init__(self, where: Where, spellings: dict[str, str], slots: Any) -> None:
        self.where = where
        self.spellings = spellings
        self.slots = slots if isinstance(slots, dict) else {}
        self.memo: dict[str, str] = {}
        self.gap = ""

    def set_gap(self, words: int, never_across: list[str]) -> None:
        stop = "|".join(sorted((re.escape(w) for w in never_across), key=len, reverse=True))
        word = f"(?!(?:{stop}) )[a-z0-9']+ " if stop else "[a-z0-9']+ "
        self.gap = f"(?:{word}){{0,{words}}}"

    def fail(self, container: Any, key: Any, keypath: str, message: str) -> BadScriptError:
        return self.where.error(container, key, keypath, message)

    def slot(self, name: str, at: tuple[Any, Any, str]) -> str:
        if name not in self.slots:
            known = ", ".join(f"{{{s}}}" for s in self.slots) or "none"
            raise self.fail(*at, f"unknown slot {{{name}}}; slots are {known}")
        if name not in self.memo:
            self.memo[name] = "(?!)"  # a slot naming itself matches nothing rather than looping
            items = self.strings(self.slots, name, f"slots.{name}")
            self.memo[name] = self.alternation(items, f"slots.{name}", edges=False)
        return self.memo[name]

    def token(self, token: str, at: tuple[Any, Any, str]) -> str:
        slot = SLOT.match(token)
        if slot:
            return self.slot(slot.group(1), at)
        if "{" in token or "}" in token:
            raise self.fail(*at, f"{token!r}: write a slot on its own, as {{name}}")
        choices = token.split("/")
        if not all(choices):
            raise self.fail(*at, f"{token!r} has an empty choice; write a/b/c")
        out = []
        for choice in choices:
            if not PLAIN.match(choice.lower()):
                raise self.fail(*at, f"{choice!r} is not a plain word; use letters, ' and -")
            out.append(re.escape(" ".join(to_words(choice, self.spellings))))
        return "(?:" + "|".join(sorted(out, key=len, reverse=True)) + ")"

    def phrase(self, text: str, at: tuple[Any, Any, str], edges: bool = True) -> str:
        tokens = text.split()
        if not tokens:
            raise self.fail(*at, "empty phrase; write some words or remove the entry")
        if GAP in (tokens[0], tokens[-1]):
            raise self.fail(*at, "a ... gap must stand between two words, not at an end")
        out, sep = "", ""
        for token in tokens:
            if token == GAP:
                out += " " + self.gap
                sep = ""
                continue
            out += sep + self.token(token, at)
            sep = " "
        return EDGE_BEFORE + out + EDGE_AFTER if edges else out

    def alternation(self, items: list[str], keypath: str, edges: bool = True) -> str:
        order = sorted(range(len(items)), key=lambda i: len(items[i].split()), reverse=True)
        parts = [self.phrase(items[i], (items, i, f"{keypath}[{i}]"), edges) for i in order]
        return "(?:" + "|".join(parts) + ")"

    def strings(self, parent: Any, key: str, keypath: str, required: bool = True) -> list[str]:
        value = parent.get(key) if isinstance(parent, dict) else None
        if value is None and not required:
            return []
        if not isinstance(value, list) or not value:
            raise self.fail(parent, key, keypath, "expected a list of phrases (at least one)")
        for i, item in enumerate(value):
            if isinstance(item, bool):
                raise self.fail(
                    value, i, f"{keypath}[{i}]", "YAML read this word as true/false; quote it"
                )
            if not isinstance(item, str) or not item.strip():
                raise self.fail(value, i, f"{keypath}[{i}]", "expected a phrase (text)")
        return value

    def matcher(self, parent: dict, keypath: str, key: str = "phrases") -> Matcher:
        regex = self.compile(
            self.alternation(self.strings(parent, key, f"{keypath}.{key}"), f"{keypath}.{key}"),
            parent,
            key,
            keypath,
        )
        excepts = self.strings(parent, "except", f"{keypath}.except", required=False)
        return Matcher(
            regex,
            self.compile(self.alternation(excepts, f"{keypath}.except"), parent, "except", keypath)
            if excepts
            else None,
        )

    def compile(self, source: str, parent: Any, key: Any, keypath: str) -> re.Pattern[str]:
        try:
            return re.compile(source)
        except re.error as exc:  # only a mistake in this module can get here
            raise self.fail(parent, key, keypath, f"could not compile: {exc}") from None
