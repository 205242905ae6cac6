"""The safety check every answer passes before the script continues: does it speak of suicide or
self-harm, of a partner's violence, threats or control, or of disordered eating? And is it the
speaker's own concern, or one about someone else ("my friend said she wanted to kill herself")?

The rules are data (dialogs/safety.yaml, compiled by rules.py); this module only applies them.
It is pure and does no I/O, so it can run on every answer, typed or spoken.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.base.text import to_words
from assistant.safety.rule_file import load_rules
from assistant.safety.rules import CATEGORIES, Level, Rule, Rules

__all__ = ["CATEGORIES", "Concern", "Hit", "Level", "SafetyCheck", "load_safety"]

QUOTES = re.compile(r'["\u201c\u201d\u201e\u00ab\u00bb]')

Span = tuple[int, int]


@dataclass(frozen=True)
class Concern:
    category: str  # one of CATEGORIES
    reported: bool  # about someone else / quoted ("my friend said she wanted to kill herself")
    level: Level = Level.HELP  # ASK: a weaker sign, to ask about directly before giving help
    # the rule family (an instrument item, see dialogs/safety.yaml) of the strongest match: why
    # the concern was raised, not what it is, so it is left out of equality
    family: str = field(default="", compare=False)


@dataclass(frozen=True)
class Hit:
    """Why a concern was raised: the rule (as written in the file) and the words it matched."""

    concern: Concern
    rule: str
    line: int | None
    words: str


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    gaps: tuple[Span, ...]  # the words a ... gap took up: a negation there cancels the match
    actors: tuple[Span, ...]  # the partner's words ({he}): not evidence of whose concern it is


def _priority(concern: Concern) -> tuple[bool, bool, int]:
    """The speaker's own concerns first, help before ask, then by urgency: self-harm, abuse,
    eating."""
    return concern.reported, concern.level is Level.ASK, CATEGORIES.index(concern.category)


def _said_before(text: str, start: int, verbs: frozenset[str]) -> bool:
    """A verb of saying (or "told me", "said that") just before a hypothetical cue: the
    condition after it is a threat someone made ("he says if I ever leave he'll take the
    kids"), not a supposition ("if he ever hit me")."""
    before = text[:start].split()[-2:]
    if not before:
        return False
    if before[-1] in ("me", "that"):  # "he told me if ...", "she said that if ..."
        return len(before) == 2 and before[0] in verbs
    return before[-1] in verbs


def _back(text: str, start: int, words: int) -> int:
    """Offset of the word `words` words before `start` (or 0)."""
    if words <= 0:
        return start
    pos = start
    for _ in range(words):
        pos = text.rfind(" ", 0, max(pos - 1, 0))
        if pos < 0:
            return 0
    return pos + 1


def _blank(text: str, spans: list[Span], offset: int = 0) -> str:
    """`text` with the given spans replaced by spaces, so later searches skip them."""
    chars = list(text)
    for s, e in spans:
        chars[s - offset : e - offset] = " " * (e - s)
    return "".join(chars)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Index:
    """Where each word of a prepared answer is, so a rule is only tried near its words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.where: dict[str, list[int]] = defaultdict(list)
        pos = 0
        for i, word in enumerate(text.split(" ") if text else []):
            self.starts.append(pos)
            self.where[word].append(i)
            pos += len(word) + 1

    def windows(self, anchors: frozenset[str] | None, span: int) -> list[Span]:
        """Stretches of text (on word boundaries) that can hold a match: `span` words either side
        of each anchor word; the whole text when the rule has no anchors."""
        if anchors is None:
            return [(0, len(self.text))]
        found = sorted(i for word in anchors for i in self.where.get(word, ()))
        merged: list[list[int]] = []
        for i in found:
            lo, hi = max(i - span, 0), min(i + span, len(self.starts) - 1)
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        ends = [*self.starts[1:], len(self.text) + 1]
        return [(self.starts[lo], ends[hi] - 1) for lo, hi in merged]


class SafetyCheck:
    """The compiled rules, applied to one answer at a time; pure and safe to share."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._excepts: dict[str, re.Pattern[str] | None] = {}  # compiled on first use
        # rules indexed by a word one of which must occur, so most are never tried on an answer
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._always: list[int] = []
        for i, rule in enumerate(rules.rules):
            if rule.anchors is None:
                self._always.append(i)
            for word in rule.anchors or ():
                self._by_word[word].append(i)

    # --- the interface ---------------------------------------------------------------------

    def check(self, text: str) -> Concern | None:
        """The most pressing concern in `text`, or None."""
        concerns = self.check_all(text)
        return concerns[0] if concerns else None

    def check_all(self, text: str) -> list[Concern]:
        """Every distinct concern in `text` (one per category and person, at the strongest level
        found, with the family of its first such rule), most pressing first."""
        best: dict[tuple[str, bool], Concern] = {}
        for hit in self.explain(text):
            c = hit.concern
            key = (c.category, c.reported)
            if key not in best or (best[key].level is Level.ASK and c.level is Level.HELP):
                best[key] = c
        return sorted(best.values(), key=_priority)

    def explain(self, text: str) -> list[Hit]:
        """Every rule that fired, with the words it matched (for tests and for tuning the rules)."""
        words, quoted = self._prepare(text)
        index = _Index(words)
        candidates = set(self._always)
        for word in index.where:
            candidates.update(self._by_word.get(word, ()))
        hits = []
        for i in sorted(candidates):
            hit = self._apply(self.rules.rules[i], index, quoted)
            if hit:
                hits.append(hit)
        return hits

    # --- matching --------------------------------------------------------------------------

    def _prepare(self, text: str) -> tuple[str, list[Span]]:
        """Words as rules see them, and the spans that were inside double quotes when typed."""
        parts = QUOTES.split(text)
        if len(parts) % 2 == 0:  # an unpaired quote mark: ignore quoting altogether
            parts = [" ".join(parts)]
        chunks: list[str] = []
        quoted: list[Span] = []
        pos = 0
        for i, part in enumerate(parts):
            chunk = " ".join(to_words(part, self.rules.spellings))
            if not chunk:
                continue
            start = pos + (1 if chunks else 0)
            if i % 2:
                quoted.append((start, start + len(chunk)))
            chunks.append(chunk)
            pos = start + len(chunk)
        return " ".join(chunks), quoted

    def _apply(self, rule: Rule, index: _Index, quoted: list[Span]) -> Hit | None:
        """The rule's first valid match (one about the speaker if there is one), as a Hit."""
        found: Hit | None = None
        text = index.text
        for match in self._matches(rule, index):
            if (
                self._excepted(rule.category, text, match)
                or self._negated(text, match)
                or self._hypothetical(text, match)
                or self._softened(rule, text, match)
            ):
                continue
            reported = self._reported(rule.category, text, match, quoted)
            concern = Concern(rule.category, reported, rule.level, rule.family)
            found = Hit(concern, rule.source, rule.line, text[match.start : match.end])
            if not concern.reported:
                break
        return found

    def _matches(self, rule: Rule, index: _Index) -> Iterator[_Match]:
        text = index.text
        for lo, hi in index.windows(rule.anchors, rule.span):
            firsts = list(self._each(rule.regex, text, lo, hi))
            if rule.then is None:
                yield from firsts
                continue
            thens = list(self._each(rule.then, text, lo, hi)) if firsts else []
            for a in firsts:
                for b in thens:
                    one, two = (a, b) if a.start <= b.start else (b, a)
                    gap = len(text[one.end : two.start].split())
                    if one.end <= two.start and gap <= rule.within:
                        yield _Match(one.start, two.end, a.gaps + b.gaps, a.actors + b.actors)

    @staticmethod
    def _each(regex: re.Pattern[str], text: str, lo: int, hi: int) -> Iterator[_Match]:
        """Every match, including overlapping ones, so a cancelled match does not hide another."""
        pos = lo
        while (m := regex.search(text, pos, hi)) is not None:
            pos = m.start() + 1
            if m.start() and text[m.start() - 1] != " ":  # not at the start of a word
                continue
            spans = {name: m.span(name) for name, value in m.groupdict().items() if value}
            yield _Match(
                m.start(),
                m.end(),
                tuple(s for name, s in spans.items() if name[0] == "g"),
                tuple(s for name, s in spans.items() if name[0] == "a"),
            )

    def _excepted(self, category: str, text: str, match: _Match) -> bool:
        """Inside an idiom or look-alike listed under the category's `except`."""
        regex = self._except_regex(category)
        if regex is None:
            return False
        # from every start, so an except that overlaps another is still found
        pos, hi = max(match.start - 80, 0), min(match.end + 80, len(text))
        while (m := regex.search(text, pos, hi)) is not None and m.start() < match.end:
            if m.end() > match.start:
                return True
            pos = m.start() + 1
        return False

    def _except_regex(self, category: str) -> re.Pattern[str] | None:
        if category not in self._excepts:
            source = self.rules.excepts[category]
            self._excepts[category] = None if source is None else re.compile(source)
        return self._excepts[category]

    def _negated(self, text: str, match: _Match) -> bool:
        """A plain negation governs the match: just before it ("I'm not suicidal", "I would never
        hurt myself") or inside one of its gaps ("he has never hit me"). Only bridge words
        ("going to", "had thoughts of") may stand between the cue and the words it negates."""
        r = self.rules
        if self._kept(text, match.end):
            return False
        first_word = text[match.start : match.end].split(" ", 1)[0]
        if first_word not in r.subjects:  # "I don't know, I want to die": a new clause
            lo = _back(text, match.start, r.scope + 3)
            for cue in r.cues.finditer(text, lo, match.start):
                between = text[cue.end() : match.start].split()
                if self._governs(text, cue, between):
                    return True
        for gs, ge in match.gaps:
            for cue in r.cues.finditer(text, gs, ge):
                if self._governs(text, cue, text[cue.end() : ge].split()):
                    return True
        return False

    def _hypothetical(self, text: str, match: _Match) -> bool:
        """A supposition, not an event: "if he ever hit me I'd leave", "what if I had an eating
        disorder". The cue overlaps the match or ends just before it (bridge words between)."""
        r = self.rules
        if r.hypothetical is None or self._kept(text, match.end):
            return False
        if text[match.end :].split()[:1] == ["again"]:  # "what if he hits me again": it did
            return False
        lo = _back(text, match.start, r.scope + 4)
        for cue in r.hypothetical.finditer(text, lo, match.end):
            if _said_before(
                text, cue.start(), r.threat_verbs
            ):  # "he says if I ever leave ...": a threat
                continue
            if cue.end() > match.start:  # overlaps: "if he ever" in "he ever hit me"
                if cue.start() <= match.start:
                    return True
                continue
            between = text[cue.end() : match.start].split()  # "what if I had an ..."
            if len(between) <= r.scope and all(w in r.between or w in r.subjects for w in between):
                return True
        return False

    def _softened(self, rule: Rule, text: str, match: _Match) -> bool:
        """Words near the match that show it was not meant as danger: in a family that hyperbole
        or everyday reasons imitate, a laugh or a resolution after it ("..., haha", "we made
        up") or a benign reason ("because I had been drinking"); anywhere, a story ("in the
        film ...") or a denial after it ("... has never crossed my mind")."""
        for name, softener in self.rules.softeners.items():
            if not softener.everywhere and name not in rule.softened_by:
                continue
            if softener.after is not None:
                after = " ".join(text[match.end :].split()[: softener.within])
                if softener.after.search(after):
                    return True
            if softener.before is not None:
                before = text[_back(text, match.start, softener.within) : match.start]
                if softener.before.search(before):
                    return True
        return False

    def _kept(self, text: str, end: int) -> bool:
        """A time word just after the match ("he hasn't hit me since May", "he never hit me before
        last night", "I don't cut anymore") says it did happen: the negation bounds when, it
        does not deny it. Looked for within `scope` words, up to the next clause ("he never
        hit me, I feel safe since..." keeps its negation)."""
        r = self.rules
        if r.kept_by is None:
            return False
        after = " ".join(text[end:].split(None, r.scope + 3)[: r.scope + 2])  # room for "before we"
        for m in r.kept_by.finditer(after):
            before = after[: m.start()].split()
            if len(before) < r.scope and not r.subjects.intersection(before):
                return True
        return False

    def _governs(self, text: str, cue: re.Match[str], between: list[str]) -> bool:
        r = self.rules
        if len(between) > r.scope or not all(w in r.between for w in between):
            return False
        if r.cue_excepts is None:
            return True
        lo, hi = max(cue.start() - 40, 0), cue.end() + 40
        return not any(
            _overlaps(cue.span(), m.span()) for m in r.cue_excepts.finditer(text, lo, hi)
        )

    def _reported(self, category: str, text: str, match: _Match, quoted: list[Span]) -> bool:
        """Whose concern: words in the match decide ("herself", "her" after "hits"), else the
        nearest subject before it ("my sister has anorexia"); the speaker wins a tie, and what
        they quote ("she texted me: “I want to die”") is reported."""
        in_quotes = any(s <= match.start < e for s, e in quoted)
        own = _blank(text[match.start : match.end], list(match.actors), match.start)
        others = [m.span() for m in self.rules.others.finditer(own)]
        if self.rules.me.search(_blank(own, others)):
            return in_quotes
        if others or any(self._owned(text[s:e]) for s, e in match.actors):
            return True
        return self._reported_before(category, text, match.start) or in_quotes

    def _owned(self, actor: str) -> bool:
        """A partner who is someone else's ("my sister's husband", "her boyfriend", and as Vosk
        writes it "my sisters husband"): the concern is then theirs, not the speaker's."""
        owner = actor.split()[:-1]  # the words before the partner word
        return bool(owner) and (
            any(w.endswith("s") for w in owner) or bool(self.rules.others.fullmatch(owner[0]))
        )

    def _reported_before(self, category: str, text: str, start: int) -> bool:
        r = self.rules
        words = text[_back(text, start, r.window) : start].split()
        stops = [i for i, w in enumerate(words) if w in r.stop]
        local = " ".join(words[stops[-1] + 1 :] if stops else words)
        owned = False
        if category in r.actor_categories:  # "he" in "he put spyware on my phone" does the harm
            actors = [m.span() for m in r.actors.finditer(local)]
            owned = any(self._owned(local[s:e]) for s, e in actors)
            local = _blank(local, actors)
        others = [m.span() for m in r.reporters.finditer(local)]
        if r.me.search(_blank(local, others)):
            return False
        return bool(others) or owned


def load_safety(path: Path) -> SafetyCheck:
    """Load and compile dialogs/safety.yaml; mistakes raise BadScriptError naming file:line."""
    return SafetyCheck(load_rules(path))
