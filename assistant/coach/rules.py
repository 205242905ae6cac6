"""Loading and validating dialogs/coaching.yaml: every mistake is one line naming the file, the
line, the key and the fix. Phrases are compiled by base/phrase_compiler, the texts section read
by feedback_texts.py."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.base.datafile import Lines, Reader, load_yaml, unknown_keys
from assistant.base.phrase_compiler import (
    EDGE_AFTER,
    EDGE_BEFORE,
    PhraseCompiler,
    read_spellings,
)
from assistant.coach.feedback_texts import Texts, read_texts
from assistant.coach.phrases import COACH_STYLE, Matcher, compiled, matcher

TOP_KEYS = {
    "spellings", "gaps", "slots", "i_statement", "subjects", "feelings", "faux_feelings",
    "requests", "blame_plain", "blame", "pace", "length", "hesitation", "clause_ends",
    "quoted_as", "texts",
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
#: Keys a section may leave out.
OPTIONAL = {"except", "unless_after", "reword_plain"}
REWORD_FIELDS = ("feeling", "rest")


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
    clause_ends: frozenset[str]  # the rest of a blamed clause, quoted, ends at these words
    quoted_as: dict[str, str]  # words as matched -> as a quote shows them ("can not": "can't")
    pace: PaceSettings
    length: LengthSettings
    hesitation: HesitationSettings
    texts: Texts


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


def _section(r: Reader, data: dict, key: str, allowed: set[str], keypath: str = "") -> dict:
    """A section with these keys, all but the optional ones required."""
    return r.mapping(data, key, keypath or key, allowed, required=allowed - OPTIONAL)


def _words(r: Reader, data: dict, key: str, keypath: str) -> frozenset[str]:
    return frozenset(r.phrases(data, key, keypath, noun="word"))


def _load(path: Path) -> CoachRules:
    from assistant.coach.findings import Kind

    data = load_yaml(path)
    r = Reader(path)
    unknown_keys(r, data, TOP_KEYS, "")
    comp = PhraseCompiler(r, read_spellings(r, data, "spellings", "spellings"), COACH_STYLE)
    comp.add_slots(data, "slots", "slots")
    gaps = _section(r, data, "gaps", {"words", "never_across"})
    comp.set_gap(
        r.number(gaps, "words", "gaps.words", 1, 6, whole=True),
        comp.words(gaps, "never_across", "gaps.never_across"),
    )
    feelings = _section(r, data, "feelings", FEELING_KEYS)
    comp.add_slot("feeling", feelings, "words", "feelings.words")
    comp.add_slot("feeling_after_feel", feelings, "after_feel", "feelings.after_feel")
    subjects = _section(r, data, "subjects", SUBJECT_KEYS)
    requests = _section(r, data, "requests", REQUEST_KEYS)
    negative = comp.alternative(requests, "negative", "requests.negative", edges=False)
    feeling_entries = [
        *r.strings(feelings, "words", "feelings.words"),
        *r.strings(feelings, "after_feel", "feelings.after_feel"),
    ]
    faux_words, faux, faux_excepts = _faux(r, comp, data)
    return CoachRules(
        path=path,
        spellings=comp.spellings,
        i_statement=matcher(comp, _section(r, data, "i_statement", GROUP_KEYS), "i_statement"),
        i_words=_words(r, subjects, "i", "subjects.i"),
        you_before=_words(r, subjects, "you_before", "subjects.you_before"),
        you_after=_words(r, subjects, "you_after", "subjects.you_after"),
        feeling=matcher(comp, feelings, "feelings"),
        feeling_words=frozenset(w for entry in feeling_entries for w in entry.split("/")),
        faux=faux,
        faux_excepts=faux_excepts,
        faux_words=faux_words,
        request=matcher(comp, requests, "requests"),
        negative=comp.compile(
            EDGE_BEFORE + negative + EDGE_AFTER, (requests, "negative", "requests.negative")
        ),
        blame=_blame(r, comp, data),
        clause_ends=_words(r, data, "clause_ends", "clause_ends"),
        quoted_as=_quoted_as(r, data),
        pace=_pace(r, data),
        length=_length(r, data),
        hesitation=_hesitation(r, data),
        texts=read_texts(r, data, {k.value for k in Kind}),
    )


def _faux(
    r: Reader, comp: PhraseCompiler, data: Lines
) -> tuple[dict[str, Faux], re.Pattern[str], re.Pattern[str] | None]:
    spec = _section(r, data, "faux_feelings", FAUX_KEYS)
    words = r.mapping(spec, "words", "faux_feelings.words")
    table: dict[str, Faux] = {}
    for word in words:
        keypath = f"faux_feelings.words.{word}"
        info = _section(r, words, word, FAUX_WORD_KEYS, keypath)
        under = r.strings(info, "under", f"{keypath}.under")
        needs = r.strings(info, "needs", f"{keypath}.needs")
        comp.phrase(str(word), (words, word, keypath))  # a plain phrase: checked like the others
        table[" ".join(str(word).lower().split())] = Faux(str(word), tuple(under), tuple(needs))
    frames = comp.alternative(spec, "frames", "faux_feelings.frames", edges=False)
    names = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    regex = comp.compile(
        f"{EDGE_BEFORE}{frames} (?P<faux>{names}){EDGE_AFTER}",
        (spec, "frames", "faux_feelings.frames"),
    )
    excepts = None
    if "except" in spec:
        excepts = compiled(comp, spec, "except", "faux_feelings.except")
    return table, regex, excepts


def _blame(r: Reader, comp: PhraseCompiler, data: Lines) -> tuple[BlameGroup, ...]:
    plain = r.text(data, "blame_plain", "blame_plain", ("feeling",))
    groups = r.mapping(data, "blame", "blame")
    out = []
    for name in groups:
        keypath = f"blame.{name}"
        spec = _section(r, groups, name, BLAME_KEYS, keypath)
        unless = None
        if "unless_after" in spec:
            unless = compiled(comp, spec, "unless_after", f"{keypath}.unless_after")
        out.append(
            BlameGroup(
                name=str(name),
                what=r.text(spec, "what", f"{keypath}.what"),
                matcher=matcher(comp, spec, keypath),
                unless_after=unless,
                reword=r.text(spec, "reword", f"{keypath}.reword", REWORD_FIELDS),
                reword_plain=r.text(spec, "reword_plain", f"{keypath}.reword_plain", ("feeling",))
                if "reword_plain" in spec
                else plain,
            )
        )
    if not out:
        raise r.error(data, "blame", "blame", "expected at least one group of phrases")
    return tuple(out)


def _quoted_as(r: Reader, data: Lines) -> dict[str, str]:
    table = r.mapping(data, "quoted_as", "quoted_as")
    return {
        str(full): r.text(table, full, f"quoted_as.{full}", problem="expected words as shown")
        for full in table
    }


def _length(r: Reader, data: Lines) -> LengthSettings:
    spec = _section(r, data, "length", LENGTH_KEYS)
    return LengthSettings(
        max_sentences=r.number(spec, "max_sentences", "length.max_sentences", 1, 50, whole=True),
        max_words=r.number(spec, "max_words", "length.max_words", 5, 1000, whole=True),
    )


def _pace(r: Reader, data: Lines) -> PaceSettings:
    spec = _section(r, data, "pace", PACE_KEYS)
    s, wpm = "seconds", "words a minute"
    pace = PaceSettings(
        long_pause_s=r.number(spec, "long_pause_s", "pace.long_pause_s", 0.2, 10, unit=s),
        calm_low_wpm=r.number(spec, "calm_low_wpm", "pace.calm_low_wpm", 30, 400, unit=wpm),
        calm_high_wpm=r.number(spec, "calm_high_wpm", "pace.calm_high_wpm", 30, 400, unit=wpm),
        slow_wpm=r.number(spec, "slow_wpm", "pace.slow_wpm", 10, 400, unit=wpm),
        sentence_gap_s=r.number(spec, "sentence_gap_s", "pace.sentence_gap_s", 0.1, 10, unit=s),
    )
    if not pace.slow_wpm <= pace.calm_low_wpm < pace.calm_high_wpm:
        raise r.error(
            spec, "calm_high_wpm", "pace", "expected slow_wpm <= calm_low_wpm < calm_high_wpm"
        )
    return pace


def _hesitation(r: Reader, data: Lines) -> HesitationSettings:
    spec = _section(r, data, "hesitation", HESITATION_KEYS)

    def words(key: str) -> frozenset[str]:
        return _words(r, spec, key, f"hesitation.{key}")

    return HesitationSettings(
        fillers=words("fillers"),
        phrases=r.phrases(spec, "phrases_as_fillers", "hesitation.phrases_as_fillers"),
        like_not_after=words("like_not_after"),
        phrase_not_followed_by=words("phrase_not_followed_by"),
        phrase_not_after=words("phrase_not_after"),
        gap_s=r.number(spec, "gap_s", "hesitation.gap_s", 0.2, 10, unit="seconds"),
        unfinished=words("unfinished"),
        per_minute=r.number(spec, "per_minute", "hesitation.per_minute", 0, 60),
        min_count=r.number(spec, "min_count", "hesitation.min_count", 1, 100, whole=True),
    )
