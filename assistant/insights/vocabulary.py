"""dialogs/themes.yaml: the triggers, themes and worries looked for, and the rehearsals they point
to. Every mistake is one line naming the file, the line, the key and the fix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.coach.rehearsal import rehearsal_paths
from assistant.insights.words import lemma, tokens

#: How many other words may stand between two words of a term.
TERM_GAP_WORDS = 2
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
TOP_KEYS = {"language", "rehearsals", "themes", "worries"}
LANGUAGE_KEYS = {"absolutist", "i_words", "you_words"}
THEME_KEYS = {"name", "kind", "label", "rehearsal", "terms"}
WORRIES_KEYS = {"states", "cues", "list"}
WORRY_KEYS = {"name", "label", "rehearsal", "terms"}


class Kind(Enum):
    TRIGGER = "trigger"
    THEME = "theme"


@dataclass(frozen=True)
class Term:
    """A word or a few words; each word as the set of forms it matches (itself, its lemma)."""

    text: str
    forms: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, text: str) -> Term:
        return cls(text, tuple(frozenset({w, lemma(w)}) for w in tokens(text)))

    def ends(self, words: Sequence[str], lems: Sequence[str]) -> list[int]:
        """Where the term ends in the words (index after its last word), each match once."""
        out = []
        for start, (word, lem) in enumerate(zip(words, lems, strict=True)):
            if word not in self.forms[0] and lem not in self.forms[0]:
                continue
            at = start + 1
            for forms in self.forms[1:]:
                window = range(at, min(at + TERM_GAP_WORDS + 1, len(words)))
                at = next((i + 1 for i in window if words[i] in forms or lems[i] in forms), -1)
                if at < 0:
                    break
            if at >= 0:
                out.append(at)
        return out


@dataclass(frozen=True)
class Topic:
    """A trigger, a theme or a worry: what is looked for, and the rehearsal it points to."""

    name: str
    label: str
    terms: tuple[Term, ...]
    rehearsal: str
    kind: Kind | None = None  # None for a worry

    def found(self, words: Sequence[str], lems: Sequence[str]) -> bool:
        return any(term.ends(words, lems) for term in self.terms)


@dataclass(frozen=True)
class Vocabulary:
    rehearsals: dict[str, str]
    themes: tuple[Topic, ...]
    worry_states: frozenset[str]
    worry_cues: tuple[Term, ...]
    worries: tuple[Topic, ...]
    absolutist: frozenset[str]  # words counted by the language measures, as tokens() reads them
    i_words: frozenset[str]
    you_words: frozenset[str]


def load_vocabulary(path: Path) -> Vocabulary:
    data = load_yaml(path)
    r = Reader(path)
    unknown_keys(r, data, TOP_KEYS, "")
    for key in sorted(TOP_KEYS):
        if key not in data:
            raise r.error(data, key, key, "missing; see the comments in the file")
    rehearsals = r.mapping(data, "rehearsals", "rehearsals")
    if not rehearsals:
        raise r.error(data, "rehearsals", "rehearsals", "expected name: what is practised")
    abouts = {name: r.text(rehearsals, name, f"rehearsals.{name}") for name in rehearsals}
    scripts = rehearsal_paths(path.parent / "rehearsals")  # every name pointed to must exist
    for name in rehearsals:
        if scripts and name not in scripts:
            raise r.error(
                rehearsals, name, f"rehearsals.{name}",
                f"no such rehearsal; use one of {', '.join(scripts)} (dialogs/rehearsals/)",
            )  # fmt: skip
    worries = r.mapping(data, "worries", "worries", WORRIES_KEYS)
    language = r.mapping(data, "language", "language", LANGUAGE_KEYS, required=LANGUAGE_KEYS)

    def words(key: str) -> frozenset[str]:
        return frozenset(r.phrases(language, key, f"language.{key}", noun="word"))

    return Vocabulary(
        rehearsals=abouts,
        themes=_topics(r, data, "themes", THEME_KEYS, set(rehearsals)),
        worry_states=frozenset(_terms(r, worries, "states", "worries.states")),
        worry_cues=tuple(Term.of(c) for c in _terms(r, worries, "cues", "worries.cues")),
        worries=_topics(r, worries, "list", WORRY_KEYS, set(rehearsals), "worries.list"),
        absolutist=words("absolutist"),
        i_words=words("i_words"),
        you_words=words("you_words"),
    )


def _terms(r: Reader, container: dict, key: str, keypath: str) -> list[str]:
    """A list of words or a few words each, as written."""
    items = r.strings(container, key, keypath)
    for i, item in enumerate(items):
        if not tokens(item):
            raise r.error(items, i, f"{keypath}[{i}]", "expected a word or a few words")
    return [str(item) for item in items]


def _topics(
    r: Reader,
    container: dict,
    key: str,
    allowed: set[str],
    rehearsals: set[str],
    keypath: str = "",
) -> tuple[Topic, ...]:
    keypath = keypath or key
    items = container.get(key)
    if not isinstance(items, list) or not items:
        raise r.error(container, key, keypath, "expected a list of entries")
    out: list[Topic] = []
    for i, item in enumerate(items):
        at = f"{keypath}[{i}]"
        if not isinstance(item, dict):
            raise r.error(items, i, at, "expected name, label, rehearsal and terms")
        unknown_keys(r, item, allowed, at)
        for field in sorted(allowed):
            if field not in item:
                raise r.error(items, i, f"{at}.{field}", "missing")
        name = item["name"]
        if not isinstance(name, str) or not _NAME.match(name):
            raise r.error(item, "name", f"{at}.name", "use lower-case letters and hyphens")
        if any(topic.name == name for topic in out):
            raise r.error(item, "name", f"{at}.name", f"{name!r} is used twice")
        label = r.text(item, "label", f"{at}.label", problem="expected a few words")
        rehearsal = r.choice(item, "rehearsal", f"{at}.rehearsal", sorted(rehearsals))
        kind = None
        if "kind" in allowed:
            kind = Kind(r.choice(item, "kind", f"{at}.kind", [k.value for k in Kind]))
        terms = tuple(Term.of(t) for t in _terms(r, item, "terms", f"{at}.terms"))
        out.append(Topic(name, label, terms, rehearsal, kind))
    return tuple(out)
