"""The one phrase compiler: plain phrases of a data file turned into word-boundary regular
expressions over the words base/text.to_words gives (lower case, no punctuation, contractions
spelled out). dialogs/safety.yaml and dialogs/coaching.yaml are written in it; their headers
say how:

    words      matched as whole words                   "it is your fault"
    a/b/c      one of these single words (or slots)     "want/wants/wanted to die"
    {name}     any entry of a slot, "{name}'s" too      "{he} hits {me}"
    ...        a few words in between, never across     "{i} ... want to die"
               the words that start another clause
    fillers    (optional) up to two filler words between any two words of a phrase

Every mistake is one line naming the file, line, key and fix (through base/datafile.Reader).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from assistant.base.datafile import Reader
from assistant.base.text import normalize, to_words

GAP = "..."
SLOT = re.compile(r"\{([^{}]*)\}")
SLOT_NAME = re.compile(r"^[a-z][a-z_]*$")
PLAIN = re.compile(r"^[a-z0-9'\u2019-]+$")
EDGE_BEFORE = r"(?<![a-z0-9'])"
EDGE_AFTER = r"(?![a-z0-9'])"
#: At most this many filler words ("like, really") between two words of a phrase.
FILLERS_IN_A_ROW = 2

At = tuple[Any, Any, str]  # where a value sits: (its container, its key there, its key path)


@dataclass(frozen=True)
class Style:
    """Where the two files' formats differ: which alternative is tried first decides which words
    a match takes, and each file's tuned corpus was scored with its own choice.

    by_words: alternatives (a list's phrases, a slot's entries) are tried longest first by their
    number of words as written (coaching). Otherwise a list keeps the file's order and a slot's
    entries go longest first in letters, plain ones as a prefix tree (safety: much faster).
    lazy_gaps: a ... gap takes as few words as it can (safety: the negation a gap holds is then
    the one that governs the phrase), else as many (coaching: the quoted words run on)."""

    by_words: bool
    lazy_gaps: bool
    #: Named in the error for a token that is not a word: where raw regular expressions go.
    patterns_key: str | None = None


@dataclass(frozen=True)
class Piece:
    """A compiled part of a phrase: its regex, words one of which any match contains (None:
    cannot tell), the most words it can match, and its text when it is plain words."""

    regex: str
    needs: frozenset[str] | None
    words: int
    plain: str | None = None


def read_spellings(
    reader: Reader, container: dict, key: str, keypath: str, optional: bool = False
) -> dict[str, str]:
    """`spellings`: other spellings of a whole word ("im: i am"), replaced before matching."""
    if key not in container and optional:
        return {}
    table = container.get(key)
    if not isinstance(table, dict):
        raise reader.error(container, key, keypath, "expected a mapping: word: replacement")
    out = {}
    for word, full in table.items():
        if not isinstance(word, str) or not PLAIN.match(word) or not isinstance(full, str):
            raise reader.error(
                table, word, f"{keypath}.{word}", "expected word: words in its place"
            )
        out[normalize(word)] = " ".join(to_words(full, {}))
    return out


class PhraseCompiler:
    """Turns the phrases of one file into regular expressions, expanding {slots} (nested,
    checked for loops). Slots, the gap and fillers are set from the file before phrases are
    compiled; `common` words are never chosen as a rule's anchor when a rarer one exists."""

    def __init__(
        self,
        reader: Reader,
        spellings: dict[str, str],
        style: Style,
        common: frozenset[str] = frozenset(),
    ) -> None:
        self.reader = reader
        self.spellings = spellings
        self.style = style
        self.common = common
        self.slots: dict[str, At] = {}  # name -> where its entries are
        self.actors: set[str] = set()  # slots whose words are captured (groups a1, a2, ...)
        self.memo: dict[str, Piece] = {}
        self.tokens: dict[str, Piece] = {}
        self.visiting: list[str] = []
        self.gap = ""  # the regex of a ... gap
        self.gap_words = 0
        self.filler = ""  # the regex of optional filler words between two phrase words
        self.filler_words = 0  # the most words it can take
        self.fillers: list[str] = []
        self.groups = 0

    # --- what the file sets up ----------------------------------------------------------------

    def add_slots(self, container: dict, key: str, keypath: str) -> dict:
        """The file's `slots` mapping: name -> list of entries."""
        table = container.get(key)
        if not isinstance(table, dict):
            raise self.reader.error(container, key, keypath, "expected a mapping: name: [words]")
        for name in table:
            if not isinstance(name, str) or not SLOT_NAME.match(name):
                raise self.reader.error(
                    table, name, f"{keypath}.{name}", "slot names are lower-case letters and _"
                )
            self.slots[name] = (table, name, f"{keypath}.{name}")
        return table

    def add_slot(self, name: str, container: dict, key: str, keypath: str) -> None:
        """A slot whose entries are a list elsewhere in the file ("feelings.words")."""
        self.slots[name] = (container, key, keypath)

    def set_gap(self, words: int, never_across: Iterable[str]) -> None:
        across = "|".join(map(re.escape, never_across))
        word = f"(?!(?:{across}) )[a-z0-9']+ " if across else "[a-z0-9']+ "
        self.gap = f"(?:{word}){{0,{words}}}" + ("?" if self.style.lazy_gaps else "")
        self.gap_words = words

    def set_fillers(self, fillers: list[str]) -> None:
        """Words that may stand between any two words of a phrase (each as matched)."""
        self.fillers = fillers
        self.filler = f"(?:(?:{'|'.join(map(re.escape, fillers))}) ){{0,{FILLERS_IN_A_ROW}}}"
        self.filler_words = FILLERS_IN_A_ROW * max(len(f.split()) for f in fillers)

    def words(self, container: dict, key: str, keypath: str) -> list[str]:
        """A list of words, as matched ("i'm" is "i", "am")."""
        items = self.reader.strings(container, key, keypath)
        return [w for p in items for w in to_words(p, self.spellings)]

    def plain_phrases(self, container: dict, key: str, keypath: str) -> list[str]:
        """A list of plain words or short phrases, as matched ("kind of", "i'm" -> "i am")."""
        items = self.reader.strings(container, key, keypath)
        out = []
        for i, item in enumerate(items):
            words = to_words(item, self.spellings)
            if not words or not all(PLAIN.match(w) for w in words):
                raise self.reader.error(items, i, f"{keypath}[{i}]", "expected plain words")
            out.append(" ".join(words))
        return out

    # --- phrases --------------------------------------------------------------------------------

    def fail(self, at: At, message: str) -> Exception:
        return self.reader.error(*at, message)

    def slot(self, name: str, at: At) -> Piece:
        if not SLOT_NAME.match(name) or name not in self.slots:
            known = ", ".join(f"{{{s}}}" for s in self.slots) or "none"
            close = difflib.get_close_matches(name, list(self.slots), n=1)
            hint = f"did you mean {{{close[0]}}}? " if close else ""
            raise self.fail(at, f"unknown slot {{{name}}}; {hint}slots are {known}")
        if name not in self.memo:
            if name in self.visiting:
                loop = " -> ".join(f"{{{s}}}" for s in [*self.visiting, name])
                raise self.fail(at, f"slots refer to each other in a loop ({loop}); break it")
            self.visiting.append(name)
            self.memo[name] = self._slot(*self.slots[name])
            self.visiting.pop()
        return self.memo[name]

    def _slot(self, container: Any, key: Any, keypath: str) -> Piece:
        items = self.reader.strings(container, key, keypath)
        alternatives = []
        # longest first, so "my best friend" is preferred to "my"
        for i in self._longest_first(items):
            here = (items, i, f"{keypath}[{i}]")
            self._gaps_between_words(items[i].split(), here)
            if GAP in items[i].split():
                raise self.fail(here, "a slot entry cannot contain a ... gap")
            pieces = [self.token(t, here) for t in items[i].split()]
            plain = [p.plain for p in pieces]
            alternatives.append(
                Piece(
                    " ".join(p.regex for p in pieces),
                    self._best_anchor([p.needs for p in pieces if p.needs]),
                    sum(p.words for p in pieces),
                    None if None in plain else " ".join(plain),  # type: ignore[arg-type]
                )
            )
        return _joined(alternatives) if self.style.by_words else _choice(alternatives)

    def _longest_first(self, items: list[str]) -> list[int]:
        if self.style.by_words:
            return sorted(range(len(items)), key=lambda i: len(items[i].split()), reverse=True)
        return sorted(range(len(items)), key=lambda i: len(items[i]), reverse=True)

    def literal(self, text: str, at: At) -> list[str]:
        if not PLAIN.match(text.lower()):
            where = self.style.patterns_key
            raise self.fail(
                at,
                f"{text!r} is not a plain word; phrases are words, {{slots}}, a/b choices and "
                "... gaps" + (f" (regular expressions go under {where})" if where else ""),
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

    def phrase(
        self, text: str, at: At, *, edges: bool = True, groups: bool = False, fill: bool = True
    ) -> Piece:
        """The regex of a phrase. With edges it matches whole words only. With groups, actor
        slots and gaps are named for the matcher, which then checks that a match starts at a
        word (a leading look-behind would slow every search down). With fill, filler words may
        stand between two words ("gets really violent" for "gets violent"): people say them
        anywhere, and one would break a phrase."""
        between = " " + self.filler if fill and self.filler else " "
        tokens = text.split()
        self._gaps_between_words(tokens, at)
        out, sep, needs, words = "", "", [], 0
        for token in tokens:
            if token == GAP:
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
        start = EDGE_BEFORE if edges and not groups else ""
        end = EDGE_AFTER if edges else ""
        return Piece(start + out + end, self._best_anchor(needs), words)

    def _gaps_between_words(self, tokens: list[str], at: At) -> None:
        if not tokens:
            raise self.fail(at, "empty phrase; write some words or remove the entry")
        if tokens[0] == GAP or tokens[-1] == GAP:
            raise self.fail(at, "a ... gap must stand between two words, not at an end")
        if any(a == b == GAP for a, b in pairwise(tokens)):
            raise self.fail(at, "two ... gaps in a row; use one")

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

    def alternative(
        self,
        container: Any,
        key: Any,
        keypath: str,
        extra: Iterable[str] = (),
        *,
        edges: bool = True,
        fill: bool = True,
    ) -> str:
        """The regex source matching any phrase of a list (and of `extra`), uncompiled; with
        fill, fillers may stand between words, as in the phrases they are weighed against."""
        items = self.reader.strings(container, key, keypath)
        order = self._longest_first(items) if self.style.by_words else range(len(items))
        regexes = [
            self.phrase(items[i], (items, i, f"{keypath}[{i}]"), edges=edges, fill=fill).regex
            for i in order
        ]
        at = (container, key, keypath)
        regexes += [self.phrase(p, at, edges=edges, fill=fill).regex for p in extra]
        return "(?:" + "|".join(regexes) + ")"

    def alternation(
        self, container: Any, key: Any, keypath: str, extra: Iterable[str] = ()
    ) -> re.Pattern[str]:
        """One compiled regex matching any phrase of a list (and of `extra`), word for word."""
        source = self.alternative(container, key, keypath, extra, fill=False)
        return self.compile(source, (container, key, keypath))

    def _next(self) -> int:
        self.groups += 1
        return self.groups

    def _best_anchor(self, needs: list[frozenset[str]]) -> frozenset[str] | None:
        """The most selective word set: prefer uncommon words, then long ones."""
        if not needs:
            return None
        return max(needs, key=lambda s: (-len(s & self.common), min(len(w) for w in s)))


def _joined(pieces: list[Piece]) -> Piece:
    """Alternatives tried in the order given."""
    needs = [p.needs for p in pieces]
    merged = None if None in needs else frozenset().union(*needs)  # type: ignore[arg-type]
    regex = "(?:" + "|".join(p.regex for p in pieces) + ")"
    return Piece(regex, merged, max(p.words for p in pieces))


def _choice(pieces: list[Piece]) -> Piece:
    """Alternatives with the plain ones as a prefix tree ("hit|hits|hitting" ->
    "hit(?:s|ting)?"), tried longest first and much faster to fail."""
    needs = [p.needs for p in pieces]
    merged = None if None in needs else frozenset().union(*needs)  # type: ignore[arg-type]
    plain = sorted({p.plain for p in pieces if p.plain is not None})
    others = [p.regex for p in pieces if p.plain is None]
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
