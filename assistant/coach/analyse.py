"""Coaching findings for one rehearsed attempt: pure, no I/O.

assess("You never listen to me.", rules)             # typed
assess(text, rules, word_times(result["result"]))    # spoken: Vosk's words with times
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assistant.base.numbers import number_words
from assistant.base.text import to_words
from assistant.coach.feedback_texts import feeling_or_default, sayable_rest
from assistant.coach.findings import Assessment, Finding, Kind, StartUp
from assistant.coach.phrases import overlaps, sentences
from assistant.coach.rules import BlameGroup, CoachRules
from assistant.coach.timing import WordTime, hesitation, pace_wpm, sentence_breaks, word_times
from assistant.coach.understood import LABELS, combine, model_labels

#: The rest of a blamed clause ends after this many words at most (or at rules.clause_ends).
REST_WORDS = 6
#: A label only the text model found quotes this many words from the start of the attempt.
QUOTE_WORDS = 10


def number(n: int) -> str:
    """Small counts as words (they are spoken): 2 -> "two" (dialogs/numbers.yaml)."""
    return number_words().word(n)


def shown(words: str, rules: CoachRules) -> str:
    """Plain words as a quote reads: "why can not you" -> "why can't you", "i" -> "I"."""
    out = f" {words} "
    for full, short in rules.quoted_as.items():
        out = out.replace(f" {full} ", f" {short} ")
    return " ".join("I" if w == "i" else w for w in out.split())


def _times(n: int) -> str:
    return "not once" if n == 0 else "once" if n == 1 else f"{number(n)} times"


def plural(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"


@dataclass(frozen=True)
class _Blame:
    start: int
    end: int
    sentence: int
    group: BlameGroup
    rest: str

    @property
    def quoted(self) -> tuple[int, int]:
        """Where the quote ends: the phrase and the rest of its clause."""
        return self.start, self.end + (len(self.rest) + 1 if self.rest else 0)


def assess(
    text: str,
    rules: CoachRules,
    times: Iterable[Mapping] | list[WordTime] | None = None,
    *,
    model: bool = True,
) -> Assessment:
    """Everything the coaching finds in one attempt (`times`: the speech model's words with
    times). `model`: the learned text model has its say in the labels (understood.py); without
    it, the phrase rules alone (as the training script compares them)."""
    timed = _timed(times)
    said = _sentences(text, rules, timed)
    all_words = [w for s in said for w in s.split()]
    texts = rules.texts.findings
    findings: list[Finding] = []

    def add(kind: Kind, words: str, **fields: str) -> None:
        words = shown(words, rules)
        findings.append(Finding(kind, words, texts[kind.value].format(words=words, **fields)))

    i_statement = _first(rules.i_statement.first(s) for s in said)
    if i_statement:
        add(Kind.I_STATEMENT, i_statement)
    feeling = _first(rules.feeling.first(s) for s in said)
    if feeling:
        add(Kind.FEELING, feeling)
    feeling_word = _feeling_word(feeling, rules)
    faux_seen: set[str] = set()
    for s in said:
        for quote, word in _faux(s, rules):
            if word not in faux_seen:
                faux_seen.add(word)
                info = rules.faux_words[word]
                add(Kind.FAUX_FEELING, quote, under=_or(info.under), needs=_or(info.needs))
    requests, negatives = _requests(said, rules)
    if requests:
        add(Kind.REQUEST, requests[0])
    for quote in negatives[:1]:
        add(Kind.NEGATIVE_REQUEST, quote)
    for blame in _blames(said, rules):
        quote = said[blame.sentence][blame.start : blame.end]
        quote = f"{quote} {blame.rest}".strip()
        rest, felt = sayable_rest(blame.rest), feeling_or_default(feeling_word)
        reword = (
            blame.group.reword.format(rest=rest, feeling=felt)
            if rest
            else blame.group.reword_plain.format(feeling=felt)
        )
        add(Kind.BLAME, quote, what=blame.group.what, suggestion=reword)
    if model and said:
        _understood(text, said, rules, findings, add, feeling_word)
    subjects = _subjects(said, rules)
    if subjects["you"] >= 2 and subjects["you"] > subjects["i"]:
        add(Kind.YOU_FOCUS, f'"you" {number(subjects["you"])} times, "I" {_times(subjects["i"])}')
    kinds = {f.kind for f in findings}
    if not kinds & {Kind.FEELING, Kind.FAUX_FEELING}:
        add(Kind.NO_FEELING, "")
    if not kinds & {Kind.REQUEST, Kind.NEGATIVE_REQUEST}:
        add(Kind.NO_REQUEST, "")
    if len(said) > rules.length.max_sentences:
        add(Kind.LONG, plural(len(said), "sentence", "sentences"))
    elif len(all_words) > rules.length.max_words:
        add(Kind.LONG, f"{len(all_words)} words")
    pace = pace_wpm(timed, rules.pace.long_pause_s) if timed else None
    if pace is not None:
        kind = (
            Kind.FAST
            if pace > rules.pace.calm_high_wpm
            else Kind.SLOW
            if pace < rules.pace.slow_wpm
            else Kind.CALM_PACE
            if pace >= rules.pace.calm_low_wpm
            else None
        )
        if kind:
            add(kind, str(round(pace)))
    heard = hesitation([w.word for w in timed] if timed else all_words, timed, rules.hesitation)
    h = rules.hesitation
    if heard.count >= h.min_count and heard.per_minute > h.per_minute:
        add(Kind.HESITATION, _hesitation_words(heard.fillers, heard.long_gaps))
    return Assessment(
        findings=tuple(findings),
        start_up=_start_up(findings),
        pace_wpm=pace,
        words=len(all_words),
        sentences=len(said),
        hesitations=heard.count,
        subjects=subjects,
    )


def _understood(
    text: str, said: list[str], rules: CoachRules, findings: list[Finding], add, feeling: str
) -> None:
    """Where the model and the rules differ on a label: a finding the combined reading does not
    carry is taken out; one only the model found quotes the start of the attempt."""
    found = {label: any(f.kind is kind for f in findings) for label, kind in LABELS.items()}
    wanted = combine(found, model_labels(text))
    for label, kind in LABELS.items():
        if found[label] and not wanted[label]:
            findings[:] = [f for f in findings if f.kind is not kind]
        elif wanted[label] and not found[label]:
            quote = " ".join(said[0].split()[:QUOTE_WORDS])
            if kind is Kind.BLAME:
                # the group that names plain blame, else the last (the most general)
                group = next((g for g in rules.blame if g.what == "blame"), rules.blame[-1])
                suggestion = group.reword_plain.format(feeling=feeling)
                add(kind, quote, what=group.what, suggestion=suggestion)
            elif kind is Kind.FAUX_FEELING:
                words = set(" ".join(said).split())  # a faux word said outside the frames
                word = next((w for w in rules.faux_words if w in words), None)
                info = rules.faux_words[word or next(iter(rules.faux_words))]
                add(kind, quote, under=_or(info.under), needs=_or(info.needs))
            else:
                add(kind, quote)


def _start_up(findings: list[Finding]) -> StartUp:
    """Harsh with any blame; soft when it speaks from I (or names a feeling), asks for something
    and carries no judgement words or stop requests; in between otherwise."""
    kinds = {f.kind for f in findings}
    if Kind.BLAME in kinds:
        return StartUp.HARSH
    if (
        Kind.REQUEST in kinds
        and kinds & {Kind.I_STATEMENT, Kind.FEELING}
        and not kinds & {Kind.FAUX_FEELING, Kind.NEGATIVE_REQUEST}
    ):
        return StartUp.SOFT
    return StartUp.IN_BETWEEN


def _timed(times: Iterable[Mapping] | list[WordTime] | None) -> list[WordTime]:
    if times is None:
        return []
    items = list(times)
    if items and isinstance(items[0], WordTime):
        return items  # type: ignore[return-value]
    return word_times(items)  # type: ignore[arg-type]


def _sentences(text: str, rules: CoachRules, timed: list[WordTime]) -> list[str]:
    """Typed text splits at its punctuation; speech (no punctuation) at its pauses."""
    if not timed:
        return sentences(text, rules.spellings)
    breaks = [0, *sentence_breaks(timed, rules.pace.sentence_gap_s, rules.hesitation.unfinished)]
    out = []
    for lo, hi in zip(breaks, [*breaks[1:], len(timed)], strict=True):
        words = [w for t in timed[lo:hi] for w in to_words(t.word, rules.spellings)]
        if words:
            out.append(" ".join(words))
    return out


def _first(items: Iterable[str | None]) -> str | None:
    return next((i for i in items if i), None)


def _or(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _feeling_word(feeling: str | None, rules: CoachRules) -> str:
    last = feeling.split()[-1] if feeling else ""
    return last if last in rules.feeling_words else "..."


def _faux(sentence: str, rules: CoachRules) -> list[tuple[str, str]]:
    cancel = [m.span() for m in rules.faux_excepts.finditer(sentence)] if rules.faux_excepts else []
    out = []
    for m in rules.faux.finditer(sentence):
        if not any(overlaps(m.span(), c) for c in cancel):
            out.append((m.group(0), m.group("faux")))
    return out


def _requests(said: list[str], rules: CoachRules) -> tuple[list[str], list[str]]:
    """Positive requests and requests to stop something ("could you stop shouting")."""
    positive, negative = [], []
    for s in said:
        for start, end in rules.request.spans(s):
            following = " ".join(s[end:].split()[:4])
            if rules.negative.search(following):
                negative.append(" ".join(s[start:].split()[:7]))
            else:
                positive.append(s[start:end])
    return positive, negative


def _blames(said: list[str], rules: CoachRules) -> list[_Blame]:
    found: list[_Blame] = []
    for n, s in enumerate(said):
        here: list[_Blame] = []
        for group in rules.blame:
            for start, end in group.matcher.spans(s):
                if group.unless_after and group.unless_after.search(s[:start]):
                    continue
                here.append(_Blame(start, end, n, group, _rest(s[end:], rules)))
        # where groups overlap ("why do you always"), the longest match speaks for them
        here.sort(key=lambda b: (b.start, -(b.end - b.start)))
        for b in here:
            if not any(overlaps(b.quoted, k.quoted) for k in found if k.sentence == n):
                found.append(b)
    return found


def _rest(after: str, rules: CoachRules) -> str:
    words = []
    for w in after.split():
        if w in rules.clause_ends or len(words) == REST_WORDS:
            break
        words.append(w)
    return " ".join(words)


def _subjects(said: list[str], rules: CoachRules) -> dict[str, int]:
    """How often "I" and "you" are the subject of a clause ("you" in "I miss you" is not)."""
    counts = {"i": 0, "you": 0}
    for s in said:
        words = s.split()
        for i, w in enumerate(words):
            if w in rules.i_words:
                counts["i"] += 1
            elif w == "you":
                before = words[i - 1] if i else None
                after = words[i + 1] if i + 1 < len(words) else None
                if before is None or before in rules.you_after or after in rules.you_before:
                    counts["you"] += 1
    return counts


def _hesitation_words(fillers: dict[str, int], long_gaps: int) -> str:
    parts = [plural(n, f'"{w}"', f'"{w}"s') for w, n in fillers.items()]
    if long_gaps:
        parts.append(plural(long_gaps, "long pause mid-sentence", "long pauses mid-sentence"))
    return _and(parts)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
