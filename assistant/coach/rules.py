"""Loading and validating dialogs/coaching.yaml: every mistake is one line naming the file, the
line, the key and the fix."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.base.datafile import Lines, Where, load_yaml, unknown_keys
from assistant.coach.phrases import EDGE_AFTER, EDGE_BEFORE, Matcher, PhraseCompiler

TOP_KEYS = {
    "spellings", "gaps", "slots", "i_statement", "subjects", "feelings", "faux_feelings",
    "requests", "blame_plain", "blame", "pace", "length", "hesitation", "texts",
}  # fmt: skip
GROUP_KEYS = {"phrases", "except"}
FEELING_KEYS = {"words", "after_feel", "phrases", "except"}
FAUX_KEYS = {"frames", "words", "except"}
FAUX_WORD_KEYS = {"under", "needs"}
REQUEST_KEYS = {"phrases", "negative", "except"}
BLAME_KEYS = {"what", "phrases", "except", "unless_after", "reword", "reword_plain"}
SUBJECT_KEYS = {"i", "you_before", "you_after"}
PACE_KEYS = {"long_pause_s", "calm_low_wpm", "calm_high_wpm", "slow_wpm", "sentence_gap_s"}
LENGTH_KEYS = {"max_sentences", "max_words"}
HESITATION_KEYS = {
    "fillers", "phrases_as_fillers", "like_not_after", "phrase_not_followed_by", "phrase_not_after",
    "gap_s", "unfinished", "per_minute", "min_count",
}  # fmt: skip
TEXT_KEYS = {"max_spoken_words", "findings", "worked", "try", "changed"}
CHANGED_KEYS = {"counted", "none_now", "fewer", "more", "gained", "calmer"}
#: The placeholders each text may use (others are refused on load).
FINDING_FIELDS = {
    "blame": {"words", "what", "suggestion"},
    "faux_feeling": {"words", "under", "needs"},
}
REWORD_FIELDS = {"rest", "feeling"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Faux:
    word: str
    under: tuple[str, ...]  # feelings that often lie underneath
    needs: tuple[str, ...]


@dataclass(frozen=True)
class BlameGroup:
    name: str
    what: str  # "an absolute", "a demand": how the finding names it
    matcher: Matcher
    unless_after: re.Pattern[str] | None
    reword: str  # with {rest} and {feeling}
    reword_plain: str  # when the clause has no rest


@dataclass(frozen=True)
class PaceSettings:
    long_pause_s: float
    calm_low_wpm: float
    calm_high_wpm: float
    slow_wpm: float
    sentence_gap_s: float


@dataclass(frozen=True)
class LengthSettings:
    max_sentences: int
    max_words: int


@dataclass(frozen=True)
class HesitationSettings:
    fillers: frozenset[str]
    phrases: tuple[str, ...]
    like_not_after: frozenset[str]
    phrase_not_followed_by: frozenset[str]
    phrase_not_after: frozenset[str]
    gap_s: float
    unfinished: frozenset[str]
    per_minute: float
    min_count: int


@dataclass(frozen=True)
class ChangeTexts:
    counted: dict[str, tuple[str, str]]  # kind -> (one, many)
    none_now: str
    fewer: str
    more: str
    gained: dict[str, str]
    calmer: str


@dataclass(frozen=True)
class Texts:
    max_spoken_words: int
    findings: dict[str, str]
    worked: dict[str, str]  # in order of preference
    tries: dict[str, str]  # in order of preference
    changed: ChangeTexts


@dataclass(frozen=True)
class CoachRules:
    path: Path
    spellings: dict[str, str]
    i_statement: Matcher
    i_words: frozenset[str]
    you_before: frozenset[str]
    you_after: frozenset[str]
    feeling: Matcher
    feeling_words: frozenset[str]  # single words, to reuse one in a suggested rewording
    faux: re.Pattern[str]  # its group "faux" is the word
    faux_excepts: re.Pattern[str] | None
    faux_words: dict[str, Faux]
    request: Matcher
    negative: re.Pattern[str]
    blame: tuple[BlameGroup, ...]
    pace: PaceSettings
    length: LengthSettings
    hesitation: HesitationSettings
    texts: Texts


class _Reader:
    def __init__(self, path: Path, data: Lines) -> None:
        self.where = Where(path)
        self.data = data

    def mapping(self, parent: Any, key: str, keypath: str, allowed: set[str] | None) -> dict:
        value = parent.get(key)
        if not isinstance(value, dict):
            raise self.where.error(parent, key, keypath, "expected a mapping of keys")
        if allowed is not None:
            unknown_keys(self.where, value, allowed, keypath)
            missing = sorted(allowed - set(value) - {"except", "unless_after", "reword_plain"})
            if missing:
                raise self.where.error(parent, key, keypath, f"missing key {missing[0]!r}; add it")
        return value

    def text(self, parent: Any, key: str, keypath: str, fields: set[str] | None = None) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.where.error(parent, key, keypath, "expected a text")
        for name in _PLACEHOLDER.findall(value):
            if fields is not None and name not in fields:
                known = ", ".join(f"{{{f}}}" for f in sorted(fields)) or "none"
                raise self.where.error(
                    parent, key, keypath, f"unknown placeholder {{{name}}}; this text has {known}"
                )
        return " ".join(value.split())

    def number(self, parent: Any, key: str, keypath: str, low: float, high: float) -> float:
        value = parent.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not low <= value <= high
        ):
            raise self.where.error(parent, key, keypath, f"expected a number from {low} to {high}")
        return float(value)

    def words(self, comp: PhraseCompiler, parent: Any, key: str, keypath: str) -> frozenset[str]:
        return frozenset(w.lower() for w in comp.strings(parent, key, keypath))


def load_coaching(path: Path) -> CoachRules:
    """The rules of `path`, read once per version of the file."""
    resolved = path.resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return _load(path)  # load_yaml reports it in one line
    return _cached(resolved, path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _cached(resolved: Path, path: Path, mtime_ns: int, size: int) -> CoachRules:
    return _load(path)


def _load(path: Path) -> CoachRules:
    data = load_yaml(path)
    r = _Reader(path, data)
    where = r.where
    unknown_keys(where, data, TOP_KEYS, "")
    spellings = _spellings(r, data)
    comp = PhraseCompiler(where, spellings, r.mapping(data, "slots", "slots", None))
    gaps = r.mapping(data, "gaps", "gaps", {"words", "never_across"})
    comp.set_gap(
        int(r.number(gaps, "words", "gaps.words", 1, 6)),
        comp.strings(gaps, "never_across", "gaps.never_across"),
    )
    feelings = r.mapping(data, "feelings", "feelings", FEELING_KEYS)
    comp.slots = {
        **comp.slots,
        "feeling": feelings.get("words"),
        "feeling_after_feel": feelings.get("after_feel"),
    }
    comp.strings(feelings, "words", "feelings.words")
    comp.strings(feelings, "after_feel", "feelings.after_feel")
    subjects = r.mapping(data, "subjects", "subjects", SUBJECT_KEYS)
    faux_words, faux, faux_excepts = _faux(r, comp, data)
    requests = r.mapping(data, "requests", "requests", REQUEST_KEYS)
    negative = comp.compile(
        EDGE_BEFORE
        + comp.alternation(
            comp.strings(requests, "negative", "requests.negative"),
            "requests.negative",
            edges=False,
        )
        + EDGE_AFTER,
        requests,
        "negative",
        "requests.negative",
    )
    return CoachRules(
        path=path,
        spellings=spellings,
        i_statement=comp.matcher(
            r.mapping(data, "i_statement", "i_statement", GROUP_KEYS), "i_statement"
        ),
        i_words=r.words(comp, subjects, "i", "subjects.i"),
        you_before=r.words(comp, subjects, "you_before", "subjects.you_before"),
        you_after=r.words(comp, subjects, "you_after", "subjects.you_after"),
        feeling=comp.matcher(feelings, "feelings"),
        feeling_words=frozenset(
            w for entry in [*feelings["words"], *feelings["after_feel"]] for w in entry.split("/")
        ),
        faux=faux,
        faux_excepts=faux_excepts,
        faux_words=faux_words,
        request=comp.matcher(requests, "requests"),
        negative=negative,
        blame=_blame(r, comp, data),
        pace=_pace(r, data),
        length=_length(r, data),
        hesitation=_hesitation(r, comp, data),
        texts=_texts(r, data),
    )


def _spellings(r: _Reader, data: Lines) -> dict[str, str]:
    table = r.mapping(data, "spellings", "spellings", None)
    for word, value in table.items():
        if not isinstance(word, str) or not isinstance(value, str) or not value.strip():
            raise r.where.error(
                table, word, f"spellings.{word}", "expected word: words in its place"
            )
    return {w.lower(): v.lower() for w, v in table.items()}


def _faux(
    r: _Reader, comp: PhraseCompiler, data: Lines
) -> tuple[dict[str, Faux], re.Pattern[str], re.Pattern[str] | None]:
    spec = r.mapping(data, "faux_feelings", "faux_feelings", FAUX_KEYS)
    words = r.mapping(spec, "words", "faux_feelings.words", None)
    table: dict[str, Faux] = {}
    for word, info in words.items():
        keypath = f"faux_feelings.words.{word}"
        info = r.mapping(words, word, keypath, FAUX_WORD_KEYS)
        under = comp.strings(info, "under", f"{keypath}.under")
        needs = comp.strings(info, "needs", f"{keypath}.needs")
        comp.phrase(str(word), (words, word, keypath))  # a plain phrase: checked like the others
        table[" ".join(str(word).lower().split())] = Faux(str(word), tuple(under), tuple(needs))
    frames = comp.alternation(
        comp.strings(spec, "frames", "faux_feelings.frames"), "faux_feelings.frames", edges=False
    )
    names = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    regex = comp.compile(
        f"{EDGE_BEFORE}{frames} (?P<faux>{names}){EDGE_AFTER}",
        spec,
        "frames",
        "faux_feelings.frames",
    )
    excepts = comp.strings(spec, "except", "faux_feelings.except", required=False)
    ex = (
        comp.compile(
            comp.alternation(excepts, "faux_feelings.except"),
            spec,
            "except",
            "faux_feelings.except",
        )
        if excepts
        else None
    )
    return table, regex, ex


def _blame(r: _Reader, comp: PhraseCompiler, data: Lines) -> tuple[BlameGroup, ...]:
    plain = r.text(data, "blame_plain", "blame_plain", {"feeling"})
    groups = r.mapping(data, "blame", "blame", None)
    out = []
    for name, spec in groups.items():
        keypath = f"blame.{name}"
        spec = r.mapping(groups, name, keypath, BLAME_KEYS)
        unless = comp.strings(spec, "unless_after", f"{keypath}.unless_after", required=False)
        out.append(
            BlameGroup(
                name=str(name),
                what=r.text(spec, "what", f"{keypath}.what", set()),
                matcher=comp.matcher(spec, keypath),
                unless_after=comp.compile(
                    comp.alternation(unless, f"{keypath}.unless_after"),
                    spec,
                    "unless_after",
                    keypath,
                )
                if unless
                else None,
                reword=r.text(spec, "reword", f"{keypath}.reword", REWORD_FIELDS),
                reword_plain=r.text(spec, "reword_plain", f"{keypath}.reword_plain", {"feeling"})
                if "reword_plain" in spec
                else plain,
            )
        )
    if not out:
        raise r.where.error(data, "blame", "blame", "expected at least one group of phrases")
    return tuple(out)


def _length(r: _Reader, data: Lines) -> LengthSettings:
    spec = r.mapping(data, "length", "length", LENGTH_KEYS)
    return LengthSettings(
        max_sentences=int(r.number(spec, "max_sentences", "length.max_sentences", 1, 50)),
        max_words=int(r.number(spec, "max_words", "length.max_words", 5, 1000)),
    )


def _pace(r: _Reader, data: Lines) -> PaceSettings:
    spec = r.mapping(data, "pace", "pace", PACE_KEYS)
    pace = PaceSettings(
        long_pause_s=r.number(spec, "long_pause_s", "pace.long_pause_s", 0.2, 10),
        calm_low_wpm=r.number(spec, "calm_low_wpm", "pace.calm_low_wpm", 30, 400),
        calm_high_wpm=r.number(spec, "calm_high_wpm", "pace.calm_high_wpm", 30, 400),
        slow_wpm=r.number(spec, "slow_wpm", "pace.slow_wpm", 10, 400),
        sentence_gap_s=r.number(spec, "sentence_gap_s", "pace.sentence_gap_s", 0.1, 10),
    )
    if not pace.slow_wpm <= pace.calm_low_wpm < pace.calm_high_wpm:
        raise r.where.error(
            spec, "calm_high_wpm", "pace", "expected slow_wpm <= calm_low_wpm < calm_high_wpm"
        )
    return pace


def _hesitation(r: _Reader, comp: PhraseCompiler, data: Lines) -> HesitationSettings:
    spec = r.mapping(data, "hesitation", "hesitation", HESITATION_KEYS)
    lists = (
        "fillers",
        "like_not_after",
        "phrase_not_followed_by",
        "phrase_not_after",
        "unfinished",
    )
    words = {k: r.words(comp, spec, k, f"hesitation.{k}") for k in lists}
    phrases = tuple(
        " ".join(p.lower().split())
        for p in comp.strings(spec, "phrases_as_fillers", "hesitation.phrases_as_fillers")
    )
    return HesitationSettings(
        fillers=words["fillers"],
        phrases=phrases,
        like_not_after=words["like_not_after"],
        phrase_not_followed_by=words["phrase_not_followed_by"],
        phrase_not_after=words["phrase_not_after"],
        gap_s=r.number(spec, "gap_s", "hesitation.gap_s", 0.2, 10),
        unfinished=words["unfinished"],
        per_minute=r.number(spec, "per_minute", "hesitation.per_minute", 0, 60),
        min_count=int(r.number(spec, "min_count", "hesitation.min_count", 1, 100)),
    )


#: The finding kinds each texts section must cover, in the order they are preferred.
WORKED_KINDS = ("request", "i_statement", "feeling", "calm_pace", "no_blame", "tried")
TRY_KINDS = (
    "blame", "faux_feeling", "negative_request", "no_feeling", "no_request", "you_focus", "long",
    "fast", "slow", "hesitation", "none",
)  # fmt: skip


def _texts(r: _Reader, data: Lines) -> Texts:
    from assistant.coach.findings import Kind

    spec = r.mapping(data, "texts", "texts", TEXT_KEYS)
    kinds = {k.value for k in Kind}
    findings = _text_table(r, spec, "findings", kinds, FINDING_FIELDS, {"words"})
    worked = _text_table(r, spec, "worked", set(WORKED_KINDS), {}, {"words"})
    tries = _text_table(
        r, spec, "try", set(TRY_KINDS), {"faux_feeling": {"words", "under"}}, {"words"}
    )
    ch = r.mapping(spec, "changed", "texts.changed", CHANGED_KEYS)
    counted_spec = r.mapping(ch, "counted", "texts.changed.counted", None)
    counted = {}
    for kind, names in counted_spec.items():
        keypath = f"texts.changed.counted.{kind}"
        if kind not in kinds:
            raise r.where.error(
                counted_spec, kind, keypath, f"unknown kind; one of {sorted(kinds)}"
            )
        if not (isinstance(names, list) and len(names) == 2 and _all_text(names)):
            raise r.where.error(counted_spec, kind, keypath, "expected [one, many]: two names")
        counted[str(kind)] = (names[0], names[1])
    gained = _text_table(
        r, ch, "gained", {"i_statement", "feeling", "request"}, {}, set(), prefix="texts.changed"
    )
    changed = ChangeTexts(
        counted=counted,
        none_now=r.text(ch, "none_now", "texts.changed.none_now", {"many", "before"}),
        fewer=r.text(ch, "fewer", "texts.changed.fewer", {"now", "noun", "before"}),
        more=r.text(ch, "more", "texts.changed.more", {"now", "noun", "before"}),
        gained=gained,
        calmer=r.text(ch, "calmer", "texts.changed.calmer", {"now", "before"}),
    )
    return Texts(
        max_spoken_words=int(r.number(spec, "max_spoken_words", "texts.max_spoken_words", 5, 80)),
        findings=findings,
        worked={k: worked[k] for k in WORKED_KINDS},
        tries={k: tries[k] for k in TRY_KINDS},
        changed=changed,
    )


def _text_table(
    r: _Reader,
    parent: dict,
    key: str,
    kinds: set[str],
    fields: dict[str, set[str]],
    default: set[str],
    prefix: str = "texts",
) -> dict[str, str]:
    keypath = f"{prefix}.{key}"
    table = r.mapping(parent, key, keypath, None)
    unknown_keys(r.where, table, kinds, keypath)
    for kind in sorted(kinds):
        if kind not in table:
            raise r.where.error(parent, key, keypath, f"missing key {kind!r}; add its text")
    return {k: r.text(table, k, f"{keypath}.{k}", fields.get(k, default)) for k in table}


def _all_text(items: list) -> bool:
    return all(isinstance(item, str) and item.strip() for item in items)
