"""Loading dialogs/safety.yaml into Rules: its sections read through base/datafile.Reader and its
phrases compiled by base/phrase_compiler (each regular expression compiled when first needed).
Every mistake names the file, line, key and fix."""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.base.datafile import Lines, Reader, line_of, load_yaml, unknown_keys
from assistant.base.phrase_compiler import (
    EDGE_BEFORE,
    PhraseCompiler,
    Piece,
    Style,
    read_spellings,
)
from assistant.safety.rules import CATEGORIES, Level, Rule, Rules, Softener

TOP_KEYS = {
    "spellings", "common_words", "slots", "actors", "gaps", "people", "reporting", "negation",
    "softeners", "categories",
}  # fmt: skip
OPTIONAL_KEYS = {"spellings", "common_words"}
GAPS_KEYS = {"words", "never_across", "fillers"}
REPORTING_KEYS = {"window", "verbs", "stop", "actor_categories"}
NEGATION_KEYS = {
    "cues", "except", "between", "scope", "unless_followed_by", "hypothetical", "threat_verbs",
}  # fmt: skip
PEOPLE_KEYS = {"me", "others"}
CATEGORY_KEYS = {"families", "except"}
FAMILY_KEYS = {"note", "phrases", "near", "patterns", "ask", "softened_by"}
ASK_KEYS = {"phrases", "near", "patterns"}
SOFTENER_KEYS = {"after", "before", "within", "everywhere"}
NEAR_KEYS = {"first", "then", "within"}
FAMILY_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
#: Lists keep the file's order; a lazy gap leaves the negation it holds next to what it negates.
SAFETY_STYLE = Style(by_words=False, lazy_gaps=True, patterns_key="patterns")


def load_rules(path: Path) -> Rules:
    """Load and compile the rules; a file already loaded (same size and time) is not compiled
    again, since compiling takes about half a second."""
    try:
        stat = path.stat()
    except OSError:
        return _load_rules(path)  # let load_yaml report it
    return _cached(path.resolve(), path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _cached(resolved: Path, path: Path, mtime_ns: int, size: int) -> Rules:
    return _load_rules(path)


def _load_rules(path: Path) -> Rules:
    data = load_yaml(path)
    r = Reader(path)
    unknown_keys(r, data, TOP_KEYS, "")
    for key in sorted(TOP_KEYS - OPTIONAL_KEYS):
        if key not in data:
            raise r.error(data, key, key, "missing; see the comments in dialogs/safety.yaml")
    spellings = read_spellings(r, data, "spellings", "spellings", optional=True)
    common: frozenset[str] = frozenset()
    if "common_words" in data:  # only speed: which of a rule's words it is looked up by
        common = frozenset(r.phrases(data, "common_words", "common_words", noun="word"))
    comp = _compiler(r, data, spellings, common)
    softeners = _softeners(r, data, comp)
    rules, excepts, notes = _categories(r, data, comp, softeners)
    people = r.mapping(data, "people", "people", PEOPLE_KEYS)
    reporting = r.mapping(data, "reporting", "reporting", REPORTING_KEYS)
    negation = r.mapping(data, "negation", "negation", NEGATION_KEYS)
    others = r.strings(people, "others", "people.others")
    _check_fillers(r, data["gaps"], comp.fillers, negation)
    actors = "|".join(f"{{{a}}}" for a in sorted(comp.actors))
    hypothetical = None
    if "hypothetical" in negation:
        hypothetical = comp.alternation(negation, "hypothetical", "negation.hypothetical")
    return Rules(
        path=path,
        spellings=spellings,
        rules=tuple(rules),
        excepts=excepts,
        me=comp.alternation(people, "me", "people.me"),
        others=comp.alternation(people, "others", "people.others"),
        reporters=comp.alternation(reporting, "verbs", "reporting.verbs", others),
        actors=comp.compile(
            EDGE_BEFORE + comp.pattern(actors, (data, "actors", "actors")),
            (data, "actors", "actors"),
        ),
        actor_categories=_category_list(
            r, reporting, "actor_categories", "reporting.actor_categories"
        ),
        window=r.number(reporting, "window", "reporting.window", 1, 20, whole=True),
        stop=frozenset(comp.words(reporting, "stop", "reporting.stop")),
        subjects=frozenset(comp.words(data["gaps"], "never_across", "gaps.never_across")),
        cues=comp.alternation(negation, "cues", "negation.cues"),
        cue_excepts=comp.alternation(negation, "except", "negation.except")
        if "except" in negation
        else None,
        between=frozenset(comp.words(negation, "between", "negation.between")),
        scope=r.number(negation, "scope", "negation.scope", 0, 8, whole=True),
        kept_by=comp.alternation(negation, "unless_followed_by", "negation.unless_followed_by")
        if "unless_followed_by" in negation
        else None,
        hypothetical=hypothetical,
        # with hypothetical cues, the verbs that make "if" a threat rather than a supposition
        threat_verbs=frozenset(comp.words(negation, "threat_verbs", "negation.threat_verbs"))
        if hypothetical is not None
        else frozenset(),
        softeners=softeners,
        notes=notes,
    )


def _compiler(
    r: Reader, data: Lines, spellings: dict[str, str], common: frozenset[str]
) -> PhraseCompiler:
    """The compiler with the file's slots, actor slots, gap and fillers."""
    comp = PhraseCompiler(r, spellings, SAFETY_STYLE, common)
    slots = comp.add_slots(data, "slots", "slots")
    actors = r.strings(data, "actors", "actors")
    for i, name in enumerate(actors):
        comp.slot(name, (actors, i, f"actors[{i}]"))
        comp.actors.add(name)
    gaps = r.mapping(data, "gaps", "gaps", GAPS_KEYS)
    across = comp.words(gaps, "never_across", "gaps.never_across")
    comp.set_gap(r.number(gaps, "words", "gaps.words", 1, 8, whole=True), across)
    if "fillers" in gaps:
        fillers = comp.plain_phrases(gaps, "fillers", "gaps.fillers")
        for i, filler in enumerate(fillers):
            if set(filler.split()) & set(across):
                raise r.error(
                    gaps["fillers"],
                    i,
                    f"gaps.fillers[{i}]",
                    f"{filler!r} is in never_across; a filler is skipped inside phrases, remove it",
                )
        comp.set_fillers(fillers)
    for name in slots:  # report mistakes in unused slots too
        comp.slot(name, (slots, name, f"slots.{name}"))
    return comp


@dataclass(frozen=True)
class _Kind:
    """What every rule of one family (and level) shares."""

    category: str
    family: str
    level: Level
    softened_by: tuple[str, ...]

    def rule(self, source: str, line: int | None, piece: Piece, **near: Any) -> Rule:
        return Rule(
            self.category,
            self.family,
            self.level,
            source,
            line,
            piece.regex,
            piece.needs,
            piece.words,
            softened_by=self.softened_by,
            **near,
        )


def _phrases(comp: PhraseCompiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    phrases = comp.reader.strings(spec, "phrases", f"{keypath}.phrases")
    rules = []
    for i, text in enumerate(phrases):
        piece = comp.phrase(text, (phrases, i, f"{keypath}.phrases[{i}]"), groups=True)
        rules.append(kind.rule(text, line_of(phrases, i), piece))  # checked words: compiles
    return rules


def _near(comp: PhraseCompiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    r = comp.reader
    near = spec.get("near", [])
    if not isinstance(near, list):
        raise r.error(spec, "near", f"{keypath}.near", "expected a list of pairs")
    rules = []
    for i, pair in enumerate(near):
        at = (near, i, f"{keypath}.near[{i}]")
        if not isinstance(pair, dict):
            raise r.error(*at, "expected {first: phrase, then: phrase, within: words}")
        unknown_keys(r, pair, NEAR_KEYS, at[2])
        for key in ("first", "then"):  # phrases with {slots}: not read as text with placeholders
            if not isinstance(pair.get(key), str) or not pair[key].strip():
                raise r.error(pair, key, f"{at[2]}.{key}", "expected a phrase")
        first = comp.phrase(pair["first"], (pair, "first", f"{at[2]}.first"), groups=True)
        then = comp.phrase(pair["then"], (pair, "then", f"{at[2]}.then"), groups=True)
        within = r.number(pair, "within", f"{at[2]}.within", 1, 30, whole=True)
        span = Piece(first.regex, first.needs, first.words + within + then.words)
        source = f"{pair['first']} ... {pair['then']}"
        rules.append(
            kind.rule(source, line_of(near, i), span, then_pattern=then.regex, within=within)
        )
    return rules


def _patterns(comp: PhraseCompiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    patterns = spec.get("patterns", [])
    if not isinstance(patterns, list):
        raise comp.reader.error(spec, "patterns", f"{keypath}.patterns", "expected a list")
    rules = []
    for i, text in enumerate(patterns):
        at = (patterns, i, f"{keypath}.patterns[{i}]")
        if not isinstance(text, str) or not text.strip():
            raise comp.reader.error(*at, "expected a regular expression (text)")
        regex = comp.pattern(text, at)  # checked here: a pattern is written by hand
        rules.append(kind.rule(text, line_of(patterns, i), Piece(regex, None, 0)))
    return rules


def _rules_of(comp: PhraseCompiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    """The phrases, near pairs and patterns of one level of a family (at least one rule)."""
    if not any(key in spec for key in ("phrases", "near", "patterns")):
        raise comp.reader.error(spec, None, keypath, "has no rules; add phrases, near or patterns")
    rules = _phrases(comp, kind, spec, keypath) if "phrases" in spec else []
    return rules + _near(comp, kind, spec, keypath) + _patterns(comp, kind, spec, keypath)


def _family(
    comp: PhraseCompiler, category: str, name: str, spec: Any, keypath: str, softeners: dict
) -> tuple[list[Rule], str]:
    r = comp.reader
    if not isinstance(spec, dict):
        raise r.error(spec, None, keypath, f"expected a mapping with {sorted(FAMILY_KEYS)}")
    unknown_keys(r, spec, FAMILY_KEYS, keypath)
    note = r.text(
        spec, "note", f"{keypath}.note", problem="missing; say which instrument item it covers"
    )
    softened_by: list[str] = []
    if "softened_by" in spec:
        items = r.strings(spec, "softened_by", f"{keypath}.softened_by")
        for i, soft in enumerate(items):
            if soft not in softeners:
                known = ", ".join(sorted(softeners)) or "none"
                raise r.error(
                    items,
                    i,
                    f"{keypath}.softened_by[{i}]",
                    f"unknown softener {soft!r}; softeners are {known}",
                )
        softened_by = items
    help_kind = _Kind(category, name, Level.HELP, tuple(softened_by))
    rules = []
    if any(key in spec for key in ("phrases", "near", "patterns")) or "ask" not in spec:
        rules = _rules_of(comp, help_kind, spec, keypath)
    if "ask" in spec:
        ask = r.mapping(spec, "ask", f"{keypath}.ask", ASK_KEYS)
        ask_kind = dataclasses.replace(help_kind, level=Level.ASK)
        rules += _rules_of(comp, ask_kind, ask, f"{keypath}.ask")
    return rules, note


def _categories(
    r: Reader, data: Lines, comp: PhraseCompiler, softeners: dict
) -> tuple[list[Rule], dict, dict[str, str]]:
    categories = data["categories"]
    if not isinstance(categories, dict):
        raise r.error(data, "categories", "categories", f"expected a mapping of {CATEGORIES}")
    for name in categories:
        if name not in CATEGORIES:
            raise r.error(
                categories,
                name,
                f"categories.{name}",
                f"unknown category; categories are {', '.join(CATEGORIES)}",
            )
    rules: list[Rule] = []
    excepts = {}
    notes: dict[str, str] = {}
    for name in CATEGORIES:
        if name not in categories:
            raise r.error(data, "categories", f"categories.{name}", "missing; add its rules")
        keypath = f"categories.{name}"
        spec = r.mapping(categories, name, keypath, CATEGORY_KEYS)
        families = spec.get("families")
        if not isinstance(families, dict) or not families:
            raise r.error(
                spec, "families", f"{keypath}.families", "expected family: {note, phrases, ...}"
            )
        for family, body in families.items():
            at = f"{keypath}.families.{family}"
            if not isinstance(family, str) or not FAMILY_NAME.match(family):
                raise r.error(families, family, at, "family names are lower-case words and -")
            if family in notes:
                raise r.error(families, family, at, "a family of this name exists; rename it")
            found, notes[family] = _family(comp, name, family, body, at, softeners)
            rules += found
        # left uncompiled (like the phrases): only needed once a phrase of the category matches
        excepts[name] = (
            comp.alternative(spec, "except", f"{keypath}.except") if "except" in spec else None
        )
    return rules, excepts, notes


def _checked(comp: PhraseCompiler, spec: dict, key: str, keypath: str) -> str | None:
    """The regex source of a softener's word list, left uncompiled (made of checked words)."""
    if key not in spec:
        return None
    return comp.alternative(spec, key, f"{keypath}.{key}", fill=False)


def _softeners(r: Reader, data: Lines, comp: PhraseCompiler) -> dict[str, Softener]:
    table = data["softeners"]
    if not isinstance(table, dict):
        raise r.error(data, "softeners", "softeners", "expected name: {after, within}")
    out = {}
    for name, spec in table.items():
        keypath = f"softeners.{name}"
        spec = r.mapping(table, name, keypath, SOFTENER_KEYS)
        if "after" not in spec and "before" not in spec:
            raise r.error(table, name, keypath, "give the words: after, before or both")
        out[name] = Softener(
            _checked(comp, spec, "after", keypath),
            _checked(comp, spec, "before", keypath),
            r.number(spec, "within", f"{keypath}.within", 1, 30, whole=True),
            r.flag(spec, "everywhere", f"{keypath}.everywhere", default=False),
        )
    return out


def _category_list(r: Reader, parent: dict, key: str, keypath: str) -> frozenset[str]:
    names = r.strings(parent, key, keypath)
    for i, name in enumerate(names):
        if name not in CATEGORIES:
            raise r.error(
                names,
                i,
                f"{keypath}[{i}]",
                f"unknown category {name!r}; categories are {', '.join(CATEGORIES)}",
            )
    return frozenset(names)


def _check_fillers(r: Reader, gaps: dict, fillers: list[str], negation: dict) -> None:
    """A filler is skipped inside phrases, so a negation cue as a filler would hide it."""
    cues = {cue for cue in r.strings(negation, "cues", "negation.cues") if " " not in cue}
    for i, filler in enumerate(fillers):
        if cues & set(filler.split()):
            raise r.error(
                gaps["fillers"],
                i,
                f"gaps.fillers[{i}]",
                f"{filler!r} is a negation cue; a filler is skipped inside phrases, remove it",
            )
