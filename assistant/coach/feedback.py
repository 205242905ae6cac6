"""The feedback after an attempt: spoken briefly (one thing that worked, one thing to try), printed
in full, and from the second attempt what changed. Pure functions of the findings."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.coach.analyse import number
from assistant.coach.feedback_texts import Texts
from assistant.coach.findings import Assessment, Finding, Kind

#: A quote in the spoken part is cut to this many words, to keep it short.
SPOKEN_QUOTE_WORDS = 5
#: Printed things to try after an attempt: one or two, the most useful first (more is a lecture).
MAX_TRIES = 2


@dataclass(frozen=True)
class Change:
    text: str
    better: bool


@dataclass(frozen=True)
class Feedback:
    spoken: str
    printed: str
    changes: tuple[Change, ...]


def feedback(now: Assessment, texts: Texts, before: Assessment | None = None) -> Feedback:
    found = changes(now, before, texts) if before is not None else []
    worked = next((c.text for c in found if c.better), None) or _worked(now, texts)
    spoken = f"{worked} {_try(now, texts)}"
    if len(spoken.split()) > texts.max_spoken_words:  # a long quote: say it without one
        spoken = f"{_worked(now, texts, quote=False)} {_try(now, texts, quote=False)}"
    return Feedback(spoken, _printed(now, texts, found), tuple(found))


def changes(now: Assessment, before: Assessment, texts: Texts) -> list[Change]:
    """What changed since the previous attempt, improvements first."""
    ch = texts.changed
    out: list[Change] = []
    for kind_name, (one, many) in ch.counted.items():
        kind = Kind(kind_name)
        b, n = before.count(kind), now.count(kind)
        if n < b:
            text = (
                ch.none_now.format(many=many, before=number(b))
                if n == 0
                else ch.fewer.format(now=number(n), noun=one if n == 1 else many, before=number(b))
            )
            out.append(Change(_capital(text), True))
        elif n > b:
            noun = one if n == 1 else many
            text = ch.more.format(now=number(n), noun=noun, before=number(b) if b else "none")
            out.append(Change(_capital(text), False))
    for kind_name, text in ch.gained.items():
        kind = Kind(kind_name)
        if now.has(kind) and not before.has(kind):
            out.append(Change(text, True))
    if (
        now.pace_wpm is not None
        and before.pace_wpm is not None
        and before.has(Kind.FAST)
        and not now.has(Kind.FAST)
    ):
        text = ch.calmer.format(now=round(now.pace_wpm), before=round(before.pace_wpm))
        out.append(Change(text, True))
    return sorted(out, key=lambda c: not c.better)


def _short(words: str) -> str:
    return " ".join(words.split()[:SPOKEN_QUOTE_WORDS])


def _worked(now: Assessment, texts: Texts, quote: bool = True) -> str:
    for kind_name, text in texts.worked.items():
        if kind_name == "no_blame":
            if not now.has(Kind.BLAME) and now.words:
                return text
            continue
        if kind_name == "tried":
            return text
        found = now.of(Kind(kind_name))
        if found and (quote or "{words}" not in text):
            return text.format(words=_short(found[0].words))
    return texts.worked["tried"]


def _try(now: Assessment, texts: Texts, quote: bool = True) -> str:
    for kind_name, text in texts.tries.items():
        if kind_name == "none":
            return text
        found = now.of(Kind(kind_name))
        if not found or (not quote and "{words}" in text):
            continue
        return text.format(words=_short(found[0].words), under=_under(found[0], texts))
    return texts.tries["none"]


def _under(finding: Finding, texts: Texts) -> str:
    """The feelings named in a faux feeling's suggestion ("lonely or hurt"), for the short form."""
    if finding.kind is not Kind.FAUX_FEELING:
        return ""
    marker = "feeling "
    text = finding.suggestion
    start = text.find(marker)
    end = text.find(", and a need", start)
    if start < 0 or end < 0:
        return "lonely or hurt"
    names = text[start + len(marker) : end].replace(" or ", ", ").split(", ")
    return " or ".join(names[:2])


def _printed(now: Assessment, texts: Texts, found: list[Change]) -> str:
    good = [f.suggestion for f in now.findings if f.kind.strength]
    if not now.has(Kind.BLAME) and now.words:
        good.append(texts.worked["no_blame"])
    tries = [f.suggestion for f in _most_useful(now, texts)[:MAX_TRIES]]
    lines = ["What worked:", *(f"  - {t}" for t in good or [texts.worked["tried"]])]
    if tries:
        lines += ["To try:", *(f"  - {t}" for t in tries)]
    if found:
        lines += ["What changed:", *(f"  - {c.text}" for c in found)]
    return "\n".join(lines)


def _most_useful(now: Assessment, texts: Texts) -> list[Finding]:
    """Things to try, one of each kind, in the order of texts.tries (blame before pace): the
    first is the one also spoken."""
    out = []
    for kind_name in texts.tries:
        if kind_name != "none" and (found := now.of(Kind(kind_name))):
            out.append(found[0])
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
