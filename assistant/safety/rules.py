"""Loading dialogs/safety.yaml: plain phrases with {slots}, a/b choices, ... gaps and optional
filler words, turned into word-boundary regular expressions (each compiled when first needed).
Every mistake names the file, line, key and fix."""

from __future__ import annotations

import dataclasses
import difflib
import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.base.datafile import Lines, Reader, line_of, load_yaml, unknown_keys
from assistant.base.errors import BadScriptError
from assistant.base.text import normalize, to_words

CATEGORIES = ("self-harm", "abuse", "eating")
TOP_KEYS = {
    "spellings",
    "slots",
    "actors",
    "gaps",
    "people",
    "reporting",
    "negation",
    "softeners",
    "categories",
}
GAPS_KEYS = {"words", "never_across", "fillers"}
REPORTING_KEYS = {"window", "verbs", "stop", "actor_categories"}
NEGATION_KEYS = {"cues", "except", "between", "scope", "unless_followed_by", "hypothetical"}
PEOPLE_KEYS = {"me", "others"}
CATEGORY_KEYS = {"families", "except"}
FAMILY_KEYS = {"note", "phrases", "near", "patterns", "ask", "softened_by"}
ASK_KEYS = {"phrases", "near", "patterns"}
SOFTENER_KEYS = {"after", "before", "within", "everywhere"}
FAMILY_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
NEAR_KEYS = {"first", "then", "within"}

GAP = "..."
SLOT = re.compile(r"\{([^{}]*)\}")
SLOT_NAME = re.compile(r"^[a-z][a-z_]*$")
PLAIN = re.compile(r"^[a-z0-9'\u2019-]+$")
EDGE_BEFORE = r"(?<![a-z0-9'])"
EDGE_AFTER = r"(?![a-z0-9'])"
#: At most this many filler words ("like, really") between two words of a phrase.
FILLERS_IN_A_ROW = 2
_COMMON_WORDS = """i me my myself a an the to of and in on at it is am are was were be been do
did does not no so for with he she they him her his them their you your we our this that just
really want wants wanted would will could should can going get got have has had like feel felt
know think thought time one all what when if about out up there here then now very much more some
any never always go went off back"""
#: Words too common in everyday talk to be worth indexing a rule by.
COMMON = frozenset(_COMMON_WORDS.split())
# --- compiled rules ---------------------------------------------------------------------------


class Level(enum.Enum):
    """How strong a signal is. HELP: say where help is now. ASK: a weaker sign ("I'm just a
    burden", "I can't live without him"), to be asked about directly and gently first."""

    ASK = "ask"
    HELP = "help"


@dataclass(frozen=True)
class Rule:
    """One phrase, near-pair or pattern of a category. Its regular expressions are compiled the
    first time an answer holds one of its anchor words: compiling them all at start-up took half
    a second, and most are never needed in a session."""

    category: str
    family: str  # the item of a published instrument the rule belongs to (see the file)
    level: Level
    source: str  # as written in the file, for explain()
    line: int | None
    pattern: str  # the regular expression of the phrase (of `first`, for near rules)
    anchors: frozenset[str] | None  # one of these words must be in the text; None: always try
    span: int  # the most words a match can have (with `then` and `within`, for near rules)
    then_pattern: str | None = None  # near rules: the second phrase
    within: int = 0  # near rules: most words between the two phrases
    softened_by: tuple[str, ...] = ()  # softeners (a laugh, a benign reason) that cancel it

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    @functools.cached_property
    def then(self) -> re.Pattern[str] | None:
        return None if self.then_pattern is None else re.compile(self.then_pattern)


@dataclass(frozen=True)
class Rules:
    path: Path
    spellings: dict[str, str]
    rules: tuple[Rule, ...]
    excepts: dict[str, str | None]  # per category, the regex of its idioms (compiled when needed)
    me: re.Pattern[str]  # words saying a concern is the speaker's
    others: re.Pattern[str]  # words saying it is someone else's
    reporters: re.Pattern[str]  # others, plus "told me"-style reporting before a phrase
    actors: re.Pattern[str]  # the actor slots' words: "he", "my boyfriend"
    actor_categories: frozenset[str]  # where an actor before a phrase is not whose concern it is
    window: int
    stop: frozenset[str]
    subjects: frozenset[str]  # words that start a clause (a negation before them is not theirs)
    cues: re.Pattern[str]
    cue_excepts: re.Pattern[str] | None
    between: frozenset[str]
    scope: int
    kept_by: re.Pattern[str] | None  # "since", "before": after a match, a negation does not cancel
    hypothetical: re.Pattern[str] | None  # "if he ever", "what if": not something that happened
    softeners: dict[str, Softener]  # by name: what cancels a softened family's match after it
    notes: dict[str, str]  # family -> the instrument item it covers


@dataclass(frozen=True)
class Softener:
    """Words that, soon after a match, show it was not meant: a laugh after hyperbole ("he'll
    kill me when he sees the car, haha"), a benign reason ("because I'd been drinking")."""

    after_pattern: str | None  # words after the match ("haha")
    before_pattern: str | None  # words before it ("in the film")
    within: int  # how many words away they count
    everywhere: bool  # applies to every family, not only those naming it in softened_by

    # compiled when first needed, like the rules: with their slots they took 0.8 s at start-up
    @functools.cached_property
    def after(self) -> re.Pattern[str] | None:
        return None if self.after_pattern is None else re.compile(self.after_pattern)

    @functools.cached_property
    def before(self) -> re.Pattern[str] | None:
        return None if self.before_pattern is None else re.compile(self.before_pattern)


# --- loading ----------------------------------------------------------------------------------


At = tuple[Any, Any, str]  # where a value sits: (its container, its key there, its key path)


class _Compiler:
    """Turns phrases into regular expressions, expanding {slots} (nested, checked for loops)."""

    def __init__(self, where: Reader, slots: Any, spellings: dict[str, str]) -> None:
        self.where = where
        self.slots = slots
        self.spellings = spellings
        self.memo: dict[str, Piece] = {}
        self.tokens: dict[str, Piece] = {}
        self.visiting: list[str] = []
        self.actors: set[str] = set()
        self.gap = ""  # the regex of a ... gap, set once `gaps` is read
        self.gap_words = 0
        self.filler = ""  # the regex of optional filler words between two phrase words
        self.filler_words = 0  # the most words it can take
        self.fillers: list[str] = []
        self.groups = 0

    def fail(self, at: At, message: str) -> BadScriptError:
        return self.where.error(*at, message)

    def slot(self, name: str, at: At) -> Piece:
        if not SLOT_NAME.match(name) or name not in self.slots:
            known = ", ".join(f"{{{s}}}" for s in self.slots)
            close = difflib.get_close_matches(name, list(self.slots), n=1)
            hint = f"did you mean {{{close[0]}}}? " if close else ""
            raise self.fail(at, f"unknown slot {{{name}}}; {hint}slots are {known}")
        if name not in self.memo:
            if name in self.visiting:
                loop = " -> ".join(f"{{{s}}}" for s in [*self.visiting, name])
                raise self.fail(at, f"slots refer to each other in a loop ({loop}); break it")
            self.visiting.append(name)
            self.memo[name] = self._slot(name)
            self.visiting.pop()
        return self.memo[name]

    def _slot(self, name: str) -> Piece:
        items = self.where.strings(self.slots, name, f"slots.{name}")
        alternatives = []
        # longest first, so "my best friend" is preferred to "my"
        for i in sorted(range(len(items)), key=lambda i: len(items[i]), reverse=True):
            here = (items, i, f"slots.{name}[{i}]")
            if GAP in items[i].split():
                raise self.fail(here, "a slot entry cannot contain a ... gap")
            pieces = [self.token(t, here) for t in items[i].split()]
            plain = [p.plain for p in pieces]
            alternatives.append(
                Piece(
                    " ".join(p.regex for p in pieces),
                    _best_anchor([p.needs for p in pieces if p.needs]),
                    sum(p.words for p in pieces),
                    None if None in plain else " ".join(plain),  # type: ignore[arg-type]
                )
            )
        return _choice(alternatives)

    def literal(self, text: str, at: At) -> list[str]:
        if not PLAIN.match(text.lower()):
            raise self.fail(
                at,
                f"{text!r} is not a plain word; phrases are words, {{slots}}, a/b choices and "
                "... gaps (regular expressions go under patterns)",
            )
        return to_words(text, self.spellings)

    def affix(self, text: str, token: str, at: At) -> str:
        """Letters glued to a slot, kept as written: the 's of "{relative}'s"."""
        if "{" in text or "}" in text:
            raise self.fail(at, f"{token!r}: unmatched brace; write slots as {{name}}")
        if text and not PLAIN.match(text.lower()):
            raise self.fail(at, f"{token!r}: only letters and ' may be joined to a slot")
        return re.escape(text.lower().replace("\u2019", "'"))

    def token(self, token: str, at: At) -> Piece:
        """One phrase token: a word (or words, "can't"), a/b choice, {slot} or "{slot}'s".
        Remembered, since the same choices ("hit/hits/hitting") recur in many phrases."""
        if token not in self.tokens:
            self.tokens[token] = self._token(token, at)
        return self.tokens[token]

    def _token(self, token: str, at: At) -> Piece:
        if "/" in token:
            choices = token.split("/")
            if not all(choices):
                raise self.fail(at, f"{token!r} has an empty choice; write a/b/c")
            return _choice([self.token(c, at) for c in choices])
        if "{" in token or "}" in token:
            regex, last, slots = "", 0, []
            for m in SLOT.finditer(token):
                slots.append(self.slot(m.group(1), at))
                regex += self.affix(token[last : m.start()], token, at) + slots[-1].regex
                last = m.end()
            regex += self.affix(token[last:], token, at)
            affixed = regex != slots[0].regex if len(slots) == 1 else True
            needs = None if affixed else slots[0].needs  # "{relative}'s": its words change
            return Piece(regex, needs, max(s.words for s in slots))
        words = self.literal(token, at)
        if not words:
            raise self.fail(at, f"{token!r} has no letters")
        text = " ".join(words)
        return Piece(re.escape(text), frozenset([max(words, key=len)]), len(words), text)

    def phrase(self, text: str, at: At, groups: bool = True, fill: bool = True) -> Piece:
        """The regex of a phrase; with groups, actor slots and gaps are named for the matcher,
        which also checks that a match starts at a word (a leading look-behind would slow every
        search down). With fill, filler words may stand between two words ("gets really
        violent" for "gets violent"): people say them anywhere, and one would break a phrase."""
        between = " " + self.filler if fill and self.filler else " "
        tokens = text.split()
        if tokens[0] == GAP or tokens[-1] == GAP:
            raise self.fail(at, "a ... gap must stand between two words, not at an end")
        out, sep, needs, words = "", "", [], 0
        for i, token in enumerate(tokens):
            if token == GAP:
                if tokens[i - 1] == GAP:
                    raise self.fail(at, "two ... gaps in a row; use one")
                out += " " + (f"(?P<g{self._next()}>{self.gap})" if groups else self.gap)
                sep, words = "", words + self.gap_words
                continue
            piece = self.token(token, at)
            regex = piece.regex
            if groups and token[1:-1] in self.actors and SLOT.fullmatch(token):
                regex = f"(?P<a{self._next()}>{regex})"
            if sep:
                words += self.filler_words if fill else 0
            out += sep + regex
            sep, words = between, words + piece.words
            if piece.needs:
                needs.append(piece.needs)
        start = "" if groups else EDGE_BEFORE
        return Piece(start + out + EDGE_AFTER, _best_anchor(needs), words)

    def pattern(self, text: str, at: At) -> str:
        """A raw regular expression, with {slots} expanded (actor slots named as in phrases)."""

        def slot(m: re.Match[str]) -> str:
            regex = self.slot(m.group(1), at).regex
            return f"(?P<a{self._next()}>{regex})" if m.group(1) in self.actors else regex

        body = re.sub(r"\{([a-z][a-z_]*)\}", slot, text)
        self.compile(body, at)  # on its own: wrapped, "[1-9" would read as a valid "[1-9)..."
        return "(?:" + body + ")" + EDGE_AFTER

    def compile(self, regex: str, at: At) -> re.Pattern[str]:
        try:
            return re.compile(regex)
        except re.error as exc:
            raise self.fail(at, f"not a valid regular expression: {exc}") from None

    def alternation(
        self, parent: dict, key: str, keypath: str, extra: Iterable[str] = ()
    ) -> re.Pattern[str]:
        """One regex matching any phrase of a list (and of `extra`), word for word."""
        source = self.alternative(parent, key, keypath, extra, fill=False)
        return self.compile(source, (parent, key, keypath))

    def alternative(
        self, parent: dict, key: str, keypath: str, extra: Iterable[str] = (), fill: bool = True
    ) -> str:
        """The regex source of `alternation`, uncompiled; with fill, fillers may stand between
        words, as in the phrases they are weighed against."""
        items = self.where.strings(parent, key, keypath)
        regexes = [
            self.phrase(p, (items, i, f"{keypath}[{i}]"), False, fill).regex
            for i, p in enumerate(items)
        ]
        regexes += [self.phrase(p, (parent, key, keypath), False, fill).regex for p in extra]
        return "|".join(regexes)

    def _next(self) -> int:
        self.groups += 1
        return self.groups


@dataclass(frozen=True)
class Piece:
    """A compiled part of a phrase: its regex, words one of which any match contains (None:
    cannot tell), the most words it can match, and its text when it is plain words."""

    regex: str
    needs: frozenset[str] | None
    words: int
    plain: str | None = None


def _choice(pieces: list[Piece]) -> Piece:
    needs = [p.needs for p in pieces]
    merged = None if None in needs else frozenset().union(*needs)  # type: ignore[arg-type]
    plain = sorted({p.plain for p in pieces if p.plain is not None})
    others = [p.regex for p in pieces if p.plain is None]
    # plain words as a prefix tree ("hit|hits|hitting" -> "hit(?:s|ting)?"): much faster to fail
    regex = "(?:" + "|".join(others + ([_trie(plain)] if plain else [])) + ")"
    return Piece(regex, merged, max(p.words for p in pieces))


def _trie(words: list[str]) -> str:
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(tree)


def _trie_regex(node: dict) -> str:
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word may end here
        return f"(?:{body})?"
    return body


def _best_anchor(needs: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective word set: prefer uncommon words, then long ones."""
    if not needs:
        return None
    return max(needs, key=lambda s: (-len(s & COMMON), min(len(w) for w in s)))


# --- the sections of the file -----------------------------------------------------------------


def _spellings(where: Reader, data: Lines) -> dict[str, str]:
    table = data.get("spellings", {})
    if not isinstance(table, dict):
        raise where.error(data, "spellings", "spellings", "expected a mapping: word: replacement")
    out = {}
    for word, full in table.items():
        if not isinstance(word, str) or not PLAIN.match(word) or not isinstance(full, str):
            raise where.error(table, word, f"spellings.{word}", "expected word: words in its place")
        out[normalize(word)] = " ".join(to_words(full, {}))
    return out


def _slots(where: Reader, data: Lines, spellings: dict[str, str]) -> _Compiler:
    slots = data["slots"]
    if not isinstance(slots, dict):
        raise where.error(data, "slots", "slots", "expected a mapping: name: [words]")
    comp = _Compiler(where, slots, spellings)
    for name in slots:
        if not isinstance(name, str) or not SLOT_NAME.match(name):
            raise where.error(
                slots, name, f"slots.{name}", "slot names are lower-case letters and _"
            )
    actors = where.strings(data, "actors", "actors")
    for i, name in enumerate(actors):
        comp.slot(name, (actors, i, f"actors[{i}]"))
        comp.actors.add(name)
    gaps = where.mapping(data, "gaps", "gaps", GAPS_KEYS)
    words = where.number(gaps, "words", "gaps.words", int, 1, 8)
    across = _words(where, gaps, "never_across", "gaps.never_across", spellings)
    comp.gap = f"(?:(?!(?:{'|'.join(map(re.escape, across))}) )[a-z0-9']+ ){{0,{words}}}?"
    comp.gap_words = words
    if "fillers" in gaps:
        fillers = _phrases_of_words(where, gaps, "fillers", "gaps.fillers", spellings)
        for i, filler in enumerate(fillers):
            if set(filler.split()) & set(across):
                raise where.error(
                    gaps["fillers"],
                    i,
                    f"gaps.fillers[{i}]",
                    f"{filler!r} is in never_across; a filler is skipped inside phrases, remove it",
                )
        comp.fillers = fillers
        comp.filler = f"(?:(?:{'|'.join(map(re.escape, fillers))}) ){{0,{FILLERS_IN_A_ROW}}}"
        comp.filler_words = FILLERS_IN_A_ROW * max(len(f.split()) for f in fillers)
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


def _phrases(comp: _Compiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    phrases = comp.where.strings(spec, "phrases", f"{keypath}.phrases")
    rules = []
    for i, text in enumerate(phrases):
        piece = comp.phrase(text, (phrases, i, f"{keypath}.phrases[{i}]"))
        rules.append(kind.rule(text, line_of(phrases, i), piece))  # checked words: compiles
    return rules


def _near(comp: _Compiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    where = comp.where
    near = spec.get("near", [])
    if not isinstance(near, list):
        raise where.error(spec, "near", f"{keypath}.near", "expected a list of pairs")
    rules = []
    for i, pair in enumerate(near):
        at = (near, i, f"{keypath}.near[{i}]")
        if not isinstance(pair, dict):
            raise where.error(*at, "expected {first: phrase, then: phrase, within: words}")
        unknown_keys(where, pair, NEAR_KEYS, at[2])
        for key in ("first", "then"):
            if not isinstance(pair.get(key), str) or not pair[key].strip():
                raise where.error(pair, key, f"{at[2]}.{key}", "expected a phrase")
        first = comp.phrase(pair["first"], (pair, "first", f"{at[2]}.first"))
        then = comp.phrase(pair["then"], (pair, "then", f"{at[2]}.then"))
        within = where.number(pair, "within", f"{at[2]}.within", int, 1, 30)
        span = Piece(first.regex, first.needs, first.words + within + then.words)
        source = f"{pair['first']} ... {pair['then']}"
        rules.append(
            kind.rule(source, line_of(near, i), span, then_pattern=then.regex, within=within)
        )
    return rules


def _patterns(comp: _Compiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    patterns = spec.get("patterns", [])
    if not isinstance(patterns, list):
        raise comp.where.error(spec, "patterns", f"{keypath}.patterns", "expected a list")
    rules = []
    for i, text in enumerate(patterns):
        at = (patterns, i, f"{keypath}.patterns[{i}]")
        if not isinstance(text, str) or not text.strip():
            raise comp.where.error(*at, "expected a regular expression (text)")
        regex = comp.pattern(text, at)  # checked here: a pattern is written by hand
        rules.append(kind.rule(text, line_of(patterns, i), Piece(regex, None, 0)))
    return rules


def _excepts(comp: _Compiler, spec: dict, keypath: str) -> str | None:
    # left uncompiled (like the phrases): only needed once a phrase of the category matches
    return comp.alternative(spec, "except", f"{keypath}.except") if "except" in spec else None


def _rules_of(comp: _Compiler, kind: _Kind, spec: dict, keypath: str) -> list[Rule]:
    """The phrases, near pairs and patterns of one level of a family (at least one rule)."""
    if not any(key in spec for key in ("phrases", "near", "patterns")):
        raise comp.where.error(spec, None, keypath, "has no rules; add phrases, near or patterns")
    rules = _phrases(comp, kind, spec, keypath) if "phrases" in spec else []
    return rules + _near(comp, kind, spec, keypath) + _patterns(comp, kind, spec, keypath)


def _family(
    comp: _Compiler, category: str, name: str, spec: Any, keypath: str, softeners: dict
) -> tuple[list[Rule], str]:
    where = comp.where
    if not isinstance(spec, dict):
        raise where.error(spec, None, keypath, f"expected a mapping with {sorted(FAMILY_KEYS)}")
    unknown_keys(where, spec, FAMILY_KEYS, keypath)
    note = spec.get("note")
    if not isinstance(note, str) or not note.strip():
        raise where.error(
            spec, "note", f"{keypath}.note", "missing; say which instrument item it covers"
        )
    softened_by = []
    if "softened_by" in spec:
        items = where.strings(spec, "softened_by", f"{keypath}.softened_by")
        for i, soft in enumerate(items):
            if soft not in softeners:
                known = ", ".join(sorted(softeners)) or "none"
                raise where.error(
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
        ask = where.mapping(spec, "ask", f"{keypath}.ask", ASK_KEYS)
        ask_kind = dataclasses.replace(help_kind, level=Level.ASK)
        rules += _rules_of(comp, ask_kind, ask, f"{keypath}.ask")
    return rules, note.strip()


def _categories(
    where: Reader, data: Lines, comp: _Compiler, softeners: dict
) -> tuple[list[Rule], dict, dict[str, str]]:
    categories = data["categories"]
    if not isinstance(categories, dict):
        raise where.error(data, "categories", "categories", f"expected a mapping of {CATEGORIES}")
    for name in categories:
        if name not in CATEGORIES:
            raise where.error(
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
            raise where.error(data, "categories", f"categories.{name}", "missing; add its rules")
        keypath = f"categories.{name}"
        spec = where.mapping(categories, name, keypath, CATEGORY_KEYS)
        families = spec.get("families")
        if not isinstance(families, dict) or not families:
            raise where.error(
                spec, "families", f"{keypath}.families", "expected family: {note, phrases, ...}"
            )
        for family, body in families.items():
            at = f"{keypath}.families.{family}"
            if not isinstance(family, str) or not FAMILY_NAME.match(family):
                raise where.error(families, family, at, "family names are lower-case words and -")
            if family in notes:
                raise where.error(families, family, at, "a family of this name exists; rename it")
            found, notes[family] = _family(comp, name, family, body, at, softeners)
            rules += found
        excepts[name] = _excepts(comp, spec, keypath)
    return rules, excepts, notes


def _checked(comp: _Compiler, spec: dict, key: str, keypath: str) -> str | None:
    """The regex source of a softener's word list, left uncompiled (made of checked words)."""
    if key not in spec:
        return None
    return comp.alternative(spec, key, f"{keypath}.{key}", fill=False)


def _softeners(where: Reader, data: Lines, comp: _Compiler) -> dict[str, Softener]:
    table = data["softeners"]
    if not isinstance(table, dict):
        raise where.error(data, "softeners", "softeners", "expected name: {after, within}")
    out = {}
    for name, spec in table.items():
        keypath = f"softeners.{name}"
        spec = where.mapping(table, name, keypath, SOFTENER_KEYS)
        if "after" not in spec and "before" not in spec:
            raise where.error(table, name, keypath, "give the words: after, before or both")
        everywhere = spec.get("everywhere", False)
        if not isinstance(everywhere, bool):
            raise where.error(spec, "everywhere", f"{keypath}.everywhere", "expected true or false")
        out[name] = Softener(
            _checked(comp, spec, "after", keypath),
            _checked(comp, spec, "before", keypath),
            where.number(spec, "within", f"{keypath}.within", int, 1, 30),
            everywhere,
        )
    return out


def _category_list(where: Reader, parent: dict, key: str, keypath: str) -> frozenset[str]:
    names = where.strings(parent, key, keypath)
    for i, name in enumerate(names):
        if name not in CATEGORIES:
            raise where.error(
                names,
                i,
                f"{keypath}[{i}]",
                f"unknown category {name!r}; categories are {', '.join(CATEGORIES)}",
            )
    return frozenset(names)


def _check_fillers(where: Reader, gaps: dict, fillers: list[str], negation: dict) -> None:
    """A filler is skipped inside phrases, so a negation cue as a filler would hide it."""
    cues = {cue for cue in where.strings(negation, "cues", "negation.cues") if " " not in cue}
    for i, filler in enumerate(fillers):
        if cues & set(filler.split()):
            raise where.error(
                gaps["fillers"],
                i,
                f"gaps.fillers[{i}]",
                f"{filler!r} is a negation cue; a filler is skipped inside phrases, remove it",
            )


def _phrases_of_words(
    where: Reader, parent: dict, key: str, keypath: str, spellings: dict
) -> list[str]:
    """A list of plain words or short phrases, as matched ("kind of", "i'm" -> "i am")."""
    items = where.strings(parent, key, keypath)
    out = []
    for i, item in enumerate(items):
        words = to_words(item, spellings)
        if not words or not all(PLAIN.match(w) for w in words):
            raise where.error(items, i, f"{keypath}[{i}]", "expected plain words")
        out.append(" ".join(words))
    return out


def _words(where: Reader, parent: dict, key: str, keypath: str, spellings: dict) -> list[str]:
    return [w for p in where.strings(parent, key, keypath) for w in to_words(p, spellings)]


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
    where = Reader(path)
    unknown_keys(where, data, TOP_KEYS, "")
    for key in sorted(TOP_KEYS - {"spellings"}):
        if key not in data:
            raise where.error(data, key, key, "missing; see the comments in dialogs/safety.yaml")
    spellings = _spellings(where, data)
    comp = _slots(where, data, spellings)
    softeners = _softeners(where, data, comp)
    rules, excepts, notes = _categories(where, data, comp, softeners)
    people = where.mapping(data, "people", "people", PEOPLE_KEYS)
    reporting = where.mapping(data, "reporting", "reporting", REPORTING_KEYS)
    negation = where.mapping(data, "negation", "negation", NEGATION_KEYS)
    others = where.strings(people, "others", "people.others")
    _check_fillers(where, data["gaps"], comp.fillers, negation)
    actors = "|".join(f"{{{a}}}" for a in sorted(comp.actors))
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
            where, reporting, "actor_categories", "reporting.actor_categories"
        ),
        window=where.number(reporting, "window", "reporting.window", int, 1, 20),
        stop=frozenset(_words(where, reporting, "stop", "reporting.stop", spellings)),
        subjects=frozenset(
            _words(where, data["gaps"], "never_across", "gaps.never_across", spellings)
        ),
        cues=comp.alternation(negation, "cues", "negation.cues"),
        cue_excepts=comp.alternation(negation, "except", "negation.except")
        if "except" in negation
        else None,
        between=frozenset(_words(where, negation, "between", "negation.between", spellings)),
        scope=where.number(negation, "scope", "negation.scope", int, 0, 8),
        kept_by=comp.alternation(negation, "unless_followed_by", "negation.unless_followed_by")
        if "unless_followed_by" in negation
        else None,
        hypothetical=comp.alternation(negation, "hypothetical", "negation.hypothetical")
        if "hypothetical" in negation
        else None,
        softeners=softeners,
        notes=notes,
    )
