"""The `texts` section of dialogs/coaching.yaml: what is said and printed after an attempt, each
text checked for the placeholders it may use."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.base.datafile import Reader, unknown_keys

TEXT_KEYS = {"max_spoken_words", "findings", "worked", "try", "changed"}
CHANGED_KEYS = {"counted", "none_now", "fewer", "more", "gained", "calmer"}
#: The placeholders each text may use (others are refused on load).
FINDING_FIELDS = {
    "blame": {"words", "what", "suggestion"},
    "faux_feeling": {"words", "under", "needs"},
}
#: The finding kinds each texts section must cover, in the order they are preferred.
WORKED_KINDS = ("request", "i_statement", "feeling", "calm_pace", "no_blame", "tried")
TRY_KINDS = (
    "blame", "faux_feeling", "negative_request", "no_feeling", "no_request", "you_focus", "long",
    "fast", "slow", "hesitation", "none",
)  # fmt: skip


#: A rewording reuses the rest of a blamed clause only if it reads as words a person could say:
#: not ending on a word that needs more ("you don't care about how"), not carrying the blame on
#: ("ignore me it is your fault").
DANGLING = frozenset({
    "a", "about", "an", "as", "at", "by", "for", "from", "how", "like", "of", "on", "our",
    "that", "the", "their", "to", "what", "with", "your",
})  # fmt: skip
STILL_BLAMING = frozenset({"you", "your", "yours", "fault", "blame"})
#: The feeling a rewording names when the person named none (a sentence has no blanks).
DEFAULT_FEELING = "hurt"


def sayable_rest(rest: str) -> str:
    """`rest`, or "" when a rewording with it would not be a sentence a person could say."""
    words = rest.lower().split()
    if not words or words[-1] in DANGLING or STILL_BLAMING & set(words):
        return ""
    return rest


def feeling_or_default(feeling: str) -> str:
    return DEFAULT_FEELING if feeling in ("", "...") else feeling


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


def read_texts(r: Reader, data: dict, kinds: set[str]) -> Texts:
    """`kinds`: every finding kind (a text for each is required under findings)."""
    spec = r.mapping(data, "texts", "texts", TEXT_KEYS, required=TEXT_KEYS)
    findings = _text_table(r, spec, "findings", kinds, FINDING_FIELDS, {"words"})
    worked = _text_table(r, spec, "worked", set(WORKED_KINDS), {}, {"words"})
    tries = _text_table(
        r, spec, "try", set(TRY_KINDS), {"faux_feeling": {"words", "under"}}, {"words"}
    )
    ch = r.mapping(spec, "changed", "texts.changed", CHANGED_KEYS, required=CHANGED_KEYS)
    counted_spec = r.mapping(ch, "counted", "texts.changed.counted")
    counted = {}
    for kind in counted_spec:
        keypath = f"texts.changed.counted.{kind}"
        if kind not in kinds:
            raise r.error(counted_spec, kind, keypath, f"unknown kind; one of {sorted(kinds)}")
        names = counted_spec[kind]
        if not (isinstance(names, list) and len(names) == 2):
            raise r.error(counted_spec, kind, keypath, "expected [one, many]: two names")
        one, many = r.texts(counted_spec, kind, keypath, problem="expected a name")
        counted[str(kind)] = (one, many)
    gained = _text_table(
        r, ch, "gained", {"i_statement", "feeling", "request"}, {}, set(), prefix="texts.changed"
    )
    changed = ChangeTexts(
        counted=counted,
        none_now=r.text(ch, "none_now", "texts.changed.none_now", ("many", "before")),
        fewer=r.text(ch, "fewer", "texts.changed.fewer", ("now", "noun", "before")),
        more=r.text(ch, "more", "texts.changed.more", ("now", "noun", "before")),
        gained=gained,
        calmer=r.text(ch, "calmer", "texts.changed.calmer", ("now", "before")),
    )
    return Texts(
        max_spoken_words=r.number(
            spec, "max_spoken_words", "texts.max_spoken_words", 5, 80, whole=True
        ),
        findings=findings,
        worked={k: worked[k] for k in WORKED_KINDS},
        tries={k: tries[k] for k in TRY_KINDS},
        changed=changed,
    )


def _text_table(
    r: Reader,
    parent: dict,
    key: str,
    kinds: set[str],
    fields: dict[str, set[str]],
    default: set[str],
    prefix: str = "texts",
) -> dict[str, str]:
    keypath = f"{prefix}.{key}"
    table = r.mapping(parent, key, keypath)
    unknown_keys(r, table, kinds, keypath)
    for kind in sorted(kinds):
        if kind not in table:
            raise r.error(parent, key, keypath, f"missing key {kind!r}; add its text")
    return {k: r.text(table, k, f"{keypath}.{k}", sorted(fields.get(k, default))) for k in table}
