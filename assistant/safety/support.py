"""What the assistant says when the safety check fires, loaded from dialogs/support.yaml.

Pure data plus the small text tests on replies (a choice, an "I'm fine", a strong-insecurity
signal). The user's own emergency number and crisis line (`reflect setup`) are `Resources`,
stored with the journal; `Support.fill` puts them into the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.dialog.yamlfile import Where, load_yaml
from assistant.errors import BadInputError
from assistant.speech.commands import normalize

CHOICES = ("breathe", "continue", "pause", "stop")
TOP_KEYS = (
    "openers", "help", "abuse", "offer", "choice", "choices", "fine", "unclear", "quiet",
    "stopped", "closing", "breathing", "notice", "counsellor", "strong",
)  # fmt: skip
VARIANTS = ("self", "reported")
PLACEHOLDERS = ("emergency", "crisis")
#: Keys of the user's settings in the journal (`Journal.config()`).
EMERGENCY_KEY, CRISIS_KEY = "emergency_number", "crisis_line"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_EMERGENCY = re.compile(r"^\+?[0-9][0-9 -]*[0-9]$")


@dataclass(frozen=True)
class Resources:
    """Where help is, as the user set it; empty means the default text."""

    emergency_number: str = ""
    crisis_line: str = ""

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Resources:
        return cls(str(config.get(EMERGENCY_KEY) or ""), str(config.get(CRISIS_KEY) or ""))

    def to_config(self) -> dict[str, str]:
        return {EMERGENCY_KEY: self.emergency_number, CRISIS_KEY: self.crisis_line}


def check_emergency_number(value: str) -> str:
    """A number as dialled: digits, with spaces, dashes or a leading +."""
    value = " ".join(value.split())
    digits = sum(c.isdigit() for c in value)
    if not _EMERGENCY.match(value) or not 2 <= digits <= 15:
        raise BadInputError(
            f"emergency number {value!r}: use the digits as dialled, e.g. 112, 911 or 999"
        )
    return value


def check_crisis_line(value: str) -> str:
    """One line, said aloud after "To talk with someone now:"."""
    if any(ord(c) < 32 for c in value.replace("\n", "")):
        raise BadInputError("crisis line: remove the control characters")
    value = " ".join(value.split())
    if not 3 <= len(value) <= 200 or not any(c.isalnum() for c in value):
        raise BadInputError(
            "crisis line: give a name and how to reach it in 3 to 200 characters, "
            'e.g. "Samaritans, call 116 123"'
        )
    return value


@dataclass(frozen=True)
class Breathing:
    intro: str
    cues: tuple[tuple[str, float], ...]  # (what to say, seconds of quiet after it)
    rounds: int
    outro: str


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word match of any phrase in normalized text."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9'])(?:{alternatives})(?![a-z0-9'])")


@dataclass(frozen=True)
class Support:
    openers: dict[str, dict[str, str]]  # category -> variant ("self"/"reported") -> text
    help: dict[str, str]  # self, reported, default_emergency, crisis, default_crisis
    abuse_note: dict[str, str]  # variant -> text
    advice_markers: tuple[str, ...]
    offer: str
    choice: str
    choices: dict[str, str]  # normalized phrase -> choice
    fine_phrases: tuple[str, ...]
    fine_check: str
    fine_accepted: str
    unclear: str
    quiet: str
    stopped: str
    closing: str
    breathing: Breathing
    notice: str
    counsellor_after: int
    counsellor: str
    strong_min: int
    strong_signals: tuple[str, ...]

    # -- texts ---------------------------------------------------------------------------------
    def fill(self, text: str, resources: Resources) -> str:
        """Put the user's emergency number and crisis line (or the defaults) into a text."""
        emergency = resources.emergency_number or self.help["default_emergency"]
        if resources.crisis_line:
            line = resources.crisis_line.rstrip(".")
            crisis = self.help["crisis"].replace("{crisis}", line)
        else:
            crisis = self.help["default_crisis"]
        # Not str.format: the user's text may hold braces.
        return text.replace("{emergency}", emergency).replace("{crisis}", crisis).strip()

    def what_to_do(self, resources: Resources, reported: bool) -> str:
        """The emergency number and the crisis line, as said after an opener."""
        now = self.help["reported" if reported else "self"]
        return self.fill(f"{now} {{crisis}}", resources)

    # -- replies -------------------------------------------------------------------------------
    def choice_of(self, text: str) -> str | None:
        """The choice when the whole reply is one of its phrases."""
        return self.choices.get(normalize(text))

    def is_fine(self, text: str) -> bool:
        return bool(_phrase_pattern(self.fine_phrases).search(normalize(text)))

    def is_advice(self, prompt: str) -> bool:
        """A question about working things out with the partner (left out after abuse)."""
        return bool(_phrase_pattern(self.advice_markers).search(normalize(prompt)))

    def signals(self, text: str) -> set[str]:
        """The strong-insecurity signals in one answer."""
        return set(_phrase_pattern(self.strong_signals).findall(normalize(text)))


class _Reader:
    """Typed access to the loaded YAML, with `file:line: key: fix` errors."""

    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.data = data
        self.error = Where(path).error

    def mapping(self, container: dict, key: str, keypath: str) -> dict:
        value = container.get(key)
        if not isinstance(value, dict):
            raise self.error(container, key, keypath, "expected a mapping of keys")
        return value

    def text(self, container: dict, key: str, keypath: str, allowed: tuple[str, ...] = ()) -> str:
        value = container.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(
                container, key, keypath, "expected a line of text (in quotes if it has ':')"
            )
        for name in _PLACEHOLDER.findall(value):
            if name not in allowed:
                fix = f"use {', '.join('{' + a + '}' for a in allowed)}" if allowed else "remove it"
                raise self.error(container, key, keypath, f"unknown placeholder {{{name}}}; {fix}")
        return " ".join(value.split())

    def phrases(self, container: dict, key: str, keypath: str) -> tuple[str, ...]:
        value = container.get(key)
        if not isinstance(value, list) or not value:
            raise self.error(container, key, keypath, "expected a list of phrases")
        for i, phrase in enumerate(value):
            if not isinstance(phrase, str) or not normalize(phrase):
                raise self.error(
                    value,
                    i,
                    f"{keypath}[{i}]",
                    f"{phrase!r} is not a phrase; put words in quotes (YAML reads yes, no, on "
                    "and off as true or false)",
                )
        return tuple(normalize(p) for p in value)

    def number(self, container: dict, key: str, keypath: str, kind: type, low: float) -> Any:
        value = container.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
            unit = "a whole number" if kind is int else "a number of seconds"
            raise self.error(container, key, keypath, f"expected {unit}, at least {low:g}")
        if kind is int and not isinstance(value, int):
            raise self.error(container, key, keypath, "expected a whole number")
        return kind(value)


def load_support(path: Path, categories: tuple[str, ...]) -> Support:
    """Load and validate dialogs/support.yaml; `categories` are the safety check's."""
    r = _Reader(path, load_yaml(path))
    top = r.data
    for key in top:
        if key not in TOP_KEYS:
            raise r.error(top, key, str(key), f"unknown key; expected one of {list(TOP_KEYS)}")

    openers_raw = r.mapping(top, "openers", "openers")
    openers: dict[str, dict[str, str]] = {}
    for category in categories:
        if category not in openers_raw:
            raise r.error(top, "openers", "openers", f"add an opener for {category!r}")
        texts = r.mapping(openers_raw, category, f"openers.{category}")
        openers[category] = {v: r.text(texts, v, f"openers.{category}.{v}") for v in VARIANTS}
    for category in openers_raw:
        if category not in categories:
            raise r.error(
                openers_raw, category, f"openers.{category}", f"unknown category; use {categories}"
            )

    help_raw = r.mapping(top, "help", "help")
    help_texts = {
        "self": r.text(help_raw, "self", "help.self", ("emergency",)),
        "reported": r.text(help_raw, "reported", "help.reported", ("emergency",)),
        "default_emergency": r.text(help_raw, "default_emergency", "help.default_emergency"),
        "crisis": r.text(help_raw, "crisis", "help.crisis", ("crisis",)),
        "default_crisis": r.text(help_raw, "default_crisis", "help.default_crisis"),
    }
    if "{crisis}" not in help_texts["crisis"]:
        raise r.error(help_raw, "crisis", "help.crisis", "say where the line goes: {crisis}")

    abuse = r.mapping(top, "abuse", "abuse")
    choices_raw = r.mapping(top, "choices", "choices")
    choices: dict[str, str] = {}
    for name in CHOICES:
        for phrase in r.phrases(choices_raw, name, f"choices.{name}"):
            if phrase in choices:
                raise r.error(
                    choices_raw,
                    name,
                    f"choices.{name}",
                    f"{phrase!r} already chooses {choices[phrase]!r}; a phrase means one choice",
                )
            choices[phrase] = name
    for name in choices_raw:
        if name not in CHOICES:
            raise r.error(choices_raw, name, f"choices.{name}", f"unknown choice; use {CHOICES}")

    fine = r.mapping(top, "fine", "fine")
    breathing_raw = r.mapping(top, "breathing", "breathing")
    cues_raw = breathing_raw.get("cues")
    if not isinstance(cues_raw, list) or not cues_raw:
        raise r.error(breathing_raw, "cues", "breathing.cues", "expected a list of cues")
    cues = []
    for i, cue in enumerate(cues_raw):
        where = f"breathing.cues[{i}]"
        if not isinstance(cue, dict) or set(cue) != {"say", "then_s"}:
            raise r.error(cues_raw, i, where, "expected {say: text, then_s: seconds of quiet}")
        seconds = r.number(cue, "then_s", f"{where}.then_s", float, 0)
        if seconds > 30:
            raise r.error(cue, "then_s", f"{where}.then_s", "at most 30 seconds")
        cues.append((r.text(cue, "say", f"{where}.say"), seconds))
    breathing = Breathing(
        intro=r.text(breathing_raw, "intro", "breathing.intro"),
        cues=tuple(cues),
        rounds=r.number(breathing_raw, "rounds", "breathing.rounds", int, 1),
        outro=r.text(breathing_raw, "outro", "breathing.outro"),
    )

    counsellor = r.mapping(top, "counsellor", "counsellor")
    strong = r.mapping(top, "strong", "strong")
    emergency = ("emergency",)
    return Support(
        openers=openers,
        help=help_texts,
        abuse_note={
            "self": r.text(abuse, "note", "abuse.note"),
            "reported": r.text(abuse, "note_reported", "abuse.note_reported"),
        },
        advice_markers=r.phrases(abuse, "skip_prompts_with", "abuse.skip_prompts_with"),
        offer=r.text(top, "offer", "offer"),
        choice=r.text(top, "choice", "choice"),
        choices=choices,
        fine_phrases=r.phrases(fine, "phrases", "fine.phrases"),
        fine_check=r.text(fine, "check", "fine.check"),
        fine_accepted=r.text(fine, "accepted", "fine.accepted"),
        unclear=r.text(top, "unclear", "unclear"),
        quiet=r.text(top, "quiet", "quiet"),
        stopped=r.text(top, "stopped", "stopped", emergency),
        closing=r.text(top, "closing", "closing", emergency),
        breathing=breathing,
        notice=r.text(top, "notice", "notice", PLACEHOLDERS),
        counsellor_after=r.number(
            counsellor, "after_sessions", "counsellor.after_sessions", int, 1
        ),
        counsellor=r.text(counsellor, "say", "counsellor.say"),
        strong_min=r.number(strong, "min_signals", "strong.min_signals", int, 1),
        strong_signals=r.phrases(strong, "signals", "strong.signals"),
    )
