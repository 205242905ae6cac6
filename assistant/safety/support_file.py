"""Loading and validating dialogs/support.yaml: every mistake is one line naming the file, the
line, the key and the fix, found before the journal is touched.

Besides types and placeholders it refuses what would quietly change what is heard: a misspelled
key (ignored, the text it meant would never be said), an "I'm fine" phrase that is also a choice
or a command (the reply would choose, never be checked), a phrase for "still not safe" that hides
an "I'm fine" one, and a skip marker so short it would leave out ordinary questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.phrases import contains_phrase
from assistant.base.text import phrase_key
from assistant.safety.asking import ANSWERS, AskTexts, Question
from assistant.safety.replies import ChoiceTexts, Replies
from assistant.safety.support import (
    ANSWERING,
    CHOICES,
    PLACEHOLDERS,
    VARIANTS,
    Breathing,
    Counsellor,
    HelpTexts,
    Skips,
    StrongSignals,
    Support,
)
from assistant.speech.commands import CommandSet

TOP_KEYS = {
    "answering", "ask_first", "openers", "acknowledge", "help", "abuse", "gentle", "offer",
    "choice", "choice_short", "choices", "continuing", "fine", "still_unsafe", "unclear", "quiet",
    "stopped", "closing", "breathing", "notice", "counsellor", "strong", "english_only",
}  # fmt: skip
HELP_KEYS = {
    "self", "reported", "again", "default_emergency", "crisis", "default_crisis", "abuse",
    "default_abuse",
}  # fmt: skip
ASK_KEYS = {"questions", *ANSWERS, "unsure", "cleared"}
QUESTION_KEYS = {"ask", "again", "all_right"}
ABUSE_KEYS = {"note", "note_reported", "device", "skip_prompts_with"}
GENTLE_KEYS = {"categories", "skip_prompts_with"}
FINE_KEYS = {
    "phrases", "taken_back", "check", "check_taken_back", "ask", "thanks", "safe", "accepted",
}  # fmt: skip
UNSAFE_KEYS = {"say", "phrases", "replies"}
BREATHING_KEYS = {"intro", "pattern", "rounds", "outro"}
COUNSELLOR_KEYS = {"after_sessions", "say", "say_after_abuse"}
STRONG_KEYS = {"min_signals", "signals"}
#: A skip marker shorter than this (and of one word) would match ordinary questions.
MIN_MARKER_CHARS = 8
#: Texts that may name how the person answers: {say} ("say", or "type" when typed).
SAY = ("say",)


VARIANTS_TOO_FEW = "expected a list of at least two texts (said in turn, never twice in a row)"


def _markers(r: Reader, container: dict, key: str, keypath: str) -> tuple[str, ...]:
    """Phrases that leave a question out: specific enough not to match ordinary ones."""
    found = r.phrases(container, key, keypath)
    for i, marker in enumerate(found):
        if len(marker.split()) < 2 and len(marker) < MIN_MARKER_CHARS:
            raise r.error(
                container[key],
                i,
                f"{keypath}[{i}]",
                f"{marker!r} would leave out ordinary questions; use two words or more, "
                f"or one word of {MIN_MARKER_CHARS} letters or more",
            )
    return found


def _not_taken(
    r: Reader, container: dict, key: str, keypath: str, taken: Mapping[str, str]
) -> tuple[str, ...]:
    """Phrases none of which already means something else (`taken`: phrase -> meaning)."""
    found = r.phrases(container, key, keypath)
    keyed = {phrase_key(p): meaning for p, meaning in taken.items()}  # as replies are matched
    for i, phrase in enumerate(found):
        if phrase_key(phrase) in keyed:
            raise r.error(
                container[key],
                i,
                f"{keypath}[{i}]",
                f"{phrase!r} is already {keyed[phrase_key(phrase)]}; a reply can mean one "
                "thing only",
            )
    return found


def _variants(
    r: Reader, container: dict, key: str, keypath: str, placeholders: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Texts said in turn: at least two, all different, so none is said twice in a row."""
    return r.texts(
        container,
        key,
        keypath,
        placeholders,
        at_least=2,
        too_few=VARIANTS_TOO_FEW,
        repeated="said twice in the list; vary it",
    )


def reserved_phrases(commands: CommandSet) -> dict[str, str]:
    """The listener's own phrases, which a reply in the safety flow can never be read as."""
    reserved = {phrase: f"the command {name!r}" for phrase, name in commands.phrases.items()}
    return reserved | {phrase: "a closing phrase" for phrase in commands.closing}


def _openers(r: Reader, top: dict, categories: tuple[str, ...]) -> dict[str, dict[str, str]]:
    raw = r.mapping(top, "openers", "openers", set(categories))
    openers: dict[str, dict[str, str]] = {}
    for category in categories:
        if category not in raw:
            raise r.error(top, "openers", "openers", f"add an opener for {category!r}")
        texts = r.mapping(raw, category, f"openers.{category}", set(VARIANTS))
        openers[category] = {v: r.text(texts, v, f"openers.{category}.{v}") for v in VARIANTS}
    return openers


def _asking(r: Reader, top: dict, categories: tuple[str, ...]) -> AskTexts:
    raw = r.mapping(top, "ask_first", "ask_first", ASK_KEYS)
    questions_raw = r.mapping(raw, "questions", "ask_first.questions", set(categories))
    questions: dict[str, Question] = {}
    for category in categories:
        if category not in questions_raw:
            raise r.error(
                raw, "questions", "ask_first.questions", f"add a question for {category!r}"
            )
        keypath = f"ask_first.questions.{category}"
        q = r.mapping(questions_raw, category, keypath, QUESTION_KEYS)
        all_right = r.choice(
            q, "all_right", f"{keypath}.all_right", ANSWERS,
            'expected "no" or "yes" (in quotes): the answer that means all is well',
        )  # fmt: skip
        questions[category] = Question(
            r.text(q, "ask", f"{keypath}.ask"), r.text(q, "again", f"{keypath}.again"), all_right
        )
    answers = {answer: r.phrases(raw, answer, f"ask_first.{answer}") for answer in ANSWERS}
    for i, phrase in enumerate(answers["yes"]):
        if phrase_key(phrase) in {phrase_key(p) for p in answers["no"]}:
            raise r.error(
                raw["yes"], i, f"ask_first.yes[{i}]", f"{phrase!r} is in ask_first.no too"
            )
    return AskTexts(
        questions=questions,
        answers=answers,
        unsure=r.phrases(raw, "unsure", "ask_first.unsure"),
        cleared=r.text(raw, "cleared", "ask_first.cleared", SAY),
    )


def _answering(r: Reader, top: dict) -> dict[str, str]:
    raw = r.mapping(top, "answering", "answering", set(ANSWERING))
    return {mode: r.text(raw, mode, f"answering.{mode}") for mode in ANSWERING}


def _acknowledge(r: Reader, top: dict) -> dict[str, tuple[str, ...]]:
    raw = r.mapping(top, "acknowledge", "acknowledge", set(VARIANTS))
    return {v: _variants(r, raw, v, f"acknowledge.{v}") for v in VARIANTS}


def _help(r: Reader, top: dict) -> dict[str, str]:
    raw = r.mapping(top, "help", "help", HELP_KEYS)
    texts = {
        "self": r.text(raw, "self", "help.self", ("emergency",)),
        "reported": r.text(raw, "reported", "help.reported", ("emergency",)),
        "default_emergency": r.text(raw, "default_emergency", "help.default_emergency"),
    }
    for line in ("crisis", "abuse"):
        texts[line] = r.text(raw, line, f"help.{line}", (line,))
        if f"{{{line}}}" not in texts[line]:
            raise r.error(raw, line, f"help.{line}", f"say where the line goes: {{{line}}}")
        texts[f"default_{line}"] = r.text(raw, f"default_{line}", f"help.default_{line}")
    return texts


def _choices(r: Reader, top: dict) -> dict[str, str]:
    raw = r.mapping(top, "choices", "choices", set(CHOICES))
    choices: dict[str, str] = {}
    keys: dict[str, str] = {}  # phrase_key -> choice: compared as replies are matched
    for name in CHOICES:
        for phrase in r.phrases(raw, name, f"choices.{name}"):
            if phrase_key(phrase) in keys:
                raise r.error(
                    raw,
                    name,
                    f"choices.{name}",
                    f"{phrase!r} already chooses {keys[phrase_key(phrase)]!r}; a phrase means "
                    "one choice",
                )
            choices[phrase] = keys[phrase_key(phrase)] = name
    return choices


def _patterns_beside(path: Path) -> Path:
    """The breathing patterns next to the file, else the built-in ones."""
    from assistant.breathe.patterns import PATTERNS_DIR

    beside = path.parent / "breathing"
    return beside if beside.is_dir() else PATTERNS_DIR


def _breathing(r: Reader, top: dict, patterns: Path) -> Breathing:
    raw = r.mapping(top, "breathing", "breathing", BREATHING_KEYS)
    pattern = r.text(raw, "pattern", "breathing.pattern")
    if not (patterns / f"{pattern}.yaml").is_file():
        known = ", ".join(sorted(p.stem for p in patterns.glob("*.yaml"))) or "none"
        raise r.error(raw, "pattern", "breathing.pattern", f"no such pattern; patterns: {known}")
    return Breathing(
        intro=r.text(raw, "intro", "breathing.intro"),
        pattern=pattern,
        rounds=r.number(raw, "rounds", "breathing.rounds", 1, whole=True),
        outro=r.text(raw, "outro", "breathing.outro"),
    )


def _unhidden(r: Reader, raw: dict, keypath: str, phrases: tuple[str, ...], unsafe: Any) -> None:
    """Refuse an "I'm fine" phrase that a "still not safe" phrase inside it would always win."""
    for i, phrase in enumerate(phrases):
        if unsafe(phrase):
            raise r.error(
                raw,
                i,
                f"{keypath}[{i}]",
                f"{phrase!r} is always read as still not safe (it holds a still_unsafe phrase); "
                "remove one of them",
            )


def load_support(
    path: Path, categories: tuple[str, ...], reserved: Mapping[str, str] | None = None
) -> Support:
    """Load and validate dialogs/support.yaml. `categories` are the safety check's; `reserved`
    maps the listener's own phrases (commands, closing phrases) to what they mean."""
    r = Reader(path)
    top = load_yaml(path)
    unknown_keys(r, top, TOP_KEYS, "")

    choices = _choices(r, top)
    taken = {**(reserved or {}), **{p: f"the choice {c!r}" for p, c in choices.items()}}
    fine = r.mapping(top, "fine", "fine", FINE_KEYS)
    fine_phrases = _not_taken(r, fine, "phrases", "fine.phrases", taken)
    taken |= {p: "a phrase in fine.phrases" for p in fine_phrases}
    taken_back = _not_taken(r, fine, "taken_back", "fine.taken_back", taken)
    taken |= {p: "a phrase in fine.taken_back" for p in taken_back}
    # "yes" is a choice (breathe) too: in answer to "Are you safe right now?" it means yes.
    safe_replies = r.phrases(fine, "safe", "fine.safe")

    unsafe = r.mapping(top, "still_unsafe", "still_unsafe", UNSAFE_KEYS)
    unsafe_taken = {**taken, **{p: 'a yes to "are you safe" (fine.safe)' for p in safe_replies}}
    unsafe_phrases = _not_taken(r, unsafe, "phrases", "still_unsafe.phrases", unsafe_taken)
    unsafe_replies = _not_taken(r, unsafe, "replies", "still_unsafe.replies", unsafe_taken)

    def says_unsafe(text: str) -> bool:
        return text in unsafe_replies or contains_phrase(unsafe_phrases, text)

    replies = {"phrases": fine_phrases, "taken_back": taken_back, "safe": safe_replies}
    for key, found in replies.items():
        _unhidden(r, fine[key], f"fine.{key}", found, says_unsafe)

    abuse = r.mapping(top, "abuse", "abuse", ABUSE_KEYS)
    gentle = r.mapping(top, "gentle", "gentle", GENTLE_KEYS)
    gentle_categories = gentle.get("categories")
    if not isinstance(gentle_categories, list):
        raise r.error(gentle, "categories", "gentle.categories", f"expected a list of {categories}")
    for i in range(len(gentle_categories)):
        r.choice(
            gentle_categories, i, f"gentle.categories[{i}]", categories, f"use one of {categories}"
        )
    counsellor = r.mapping(top, "counsellor", "counsellor", COUNSELLOR_KEYS)
    strong = r.mapping(top, "strong", "strong", STRONG_KEYS)
    emergency = ("emergency",)
    return Support(
        help=HelpTexts(
            openers=_openers(r, top, categories),
            contacts=_help(r, top),
            abuse_note={
                "self": r.text(abuse, "note", "abuse.note"),
                "reported": r.text(abuse, "note_reported", "abuse.note_reported"),
            },
            device_note=r.text(abuse, "device", "abuse.device"),
            acknowledge=_acknowledge(r, top),
            again=_variants(r, top["help"], "again", "help.again", emergency),
        ),
        asking=_asking(r, top, categories),
        answering=_answering(r, top),
        choosing=ChoiceTexts(
            offer=r.text(top, "offer", "offer"),
            choice=r.text(top, "choice", "choice", SAY),
            choice_short=_variants(r, top, "choice_short", "choice_short", SAY),
            choices=choices,
            continuing=r.text(top, "continuing", "continuing", SAY),
            unclear=_variants(r, top, "unclear", "unclear"),
            quiet=_variants(r, top, "quiet", "quiet"),
            stopped=r.text(top, "stopped", "stopped", emergency),
            closing=r.text(top, "closing", "closing", emergency),
        ),
        replies=Replies(
            fine_phrases=fine_phrases,
            taken_back=taken_back,
            fine_check=r.text(fine, "check", "fine.check"),
            taken_back_check=r.text(fine, "check_taken_back", "fine.check_taken_back"),
            ask_safe=r.text(fine, "ask", "fine.ask"),
            safe_thanks=r.text(fine, "thanks", "fine.thanks"),
            safe_replies=safe_replies,
            fine_accepted=r.text(fine, "accepted", "fine.accepted", SAY),
            unsafe_phrases=unsafe_phrases,
            unsafe_replies=unsafe_replies,
            still_unsafe=_variants(r, unsafe, "say", "still_unsafe.say"),
        ),
        skips=Skips(
            advice_markers=_markers(r, abuse, "skip_prompts_with", "abuse.skip_prompts_with"),
            probing_markers=_markers(r, gentle, "skip_prompts_with", "gentle.skip_prompts_with"),
            gentle_categories=tuple(gentle_categories),
        ),
        breathing=_breathing(r, top, _patterns_beside(path)),
        notice=r.text(top, "notice", "notice", PLACEHOLDERS),
        english_only=r.text(top, "english_only", "english_only", PLACEHOLDERS),
        counsellor=Counsellor(
            after_sessions=r.number(
                counsellor, "after_sessions", "counsellor.after_sessions", 1, whole=True
            ),
            say=r.text(counsellor, "say", "counsellor.say", PLACEHOLDERS),
            say_after_abuse=r.text(
                counsellor, "say_after_abuse", "counsellor.say_after_abuse", PLACEHOLDERS
            ),
        ),
        strong=StrongSignals(
            min_signals=r.number(strong, "min_signals", "strong.min_signals", 1, whole=True),
            phrases=r.phrases(strong, "signals", "strong.signals"),
        ),
    )
