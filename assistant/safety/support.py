"""What the assistant says when the safety check fires, as loaded from dialogs/support.yaml
(assistant/safety/support_file.py validates it).

Pure data plus the small text tests on replies (a choice, an "I'm fine", a reply that says the
person may still not be safe, a strong-insecurity signal). The user's own emergency number and
lines (`reflect setup`) are `Resources`; `Support.fill` puts them into the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.safety.resources import Resources
from assistant.speech.commands import normalize

CHOICES = ("breathe", "continue", "pause", "stop")
VARIANTS = ("self", "reported")
PLACEHOLDERS = ("emergency", "crisis", "abuse")
_PLACEHOLDER = re.compile(r"\{(emergency|crisis|abuse)\}")


@dataclass(frozen=True)
class Breathing:
    intro: str
    cues: tuple[tuple[str, float], ...]  # (what to say, seconds of quiet after it)
    rounds: int
    outro: str


def words(text: str) -> str:
    """Normalized, and without apostrophes: people type "im fine" as often as "I'm fine"."""
    return normalize(text).replace("'", "")


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word match of any phrase in words(text)."""
    plain = sorted({words(p) for p in phrases}, key=len, reverse=True)
    alternatives = "|".join(re.escape(p) for p in plain)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def contains_phrase(phrases: tuple[str, ...], text: str) -> bool:
    return bool(phrases) and bool(_phrase_pattern(phrases).search(words(text)))


def _whole(phrases, text: str):
    """The entry of `phrases` (a set, or a dict's keys) that the whole of `text` says."""
    said = words(text)
    return next((p for p in phrases if words(p) == said), None)


@dataclass(frozen=True)
class Support:
    openers: dict[str, dict[str, str]]  # category -> variant ("self"/"reported") -> text
    #: self, reported, default_emergency, crisis, default_crisis, abuse, default_abuse
    help: dict[str, str]
    abuse_note: dict[str, str]  # variant -> text
    device_note: str  # after the person's own abuse concern: `reflect lock` and `forget`
    advice_markers: tuple[str, ...]  # relationship advice, left out after abuse
    gentle_categories: tuple[str, ...]  # own concerns after which probing questions are left out
    probing_markers: tuple[str, ...]  # questions about where a feeling comes from
    offer: str
    choice: str
    choices: dict[str, str]  # normalized phrase -> choice
    continuing: str  # the person chose to go on with the questions
    fine_phrases: tuple[str, ...]  # "I'm fine"
    taken_back: tuple[str, ...]  # "you misunderstood", "I was joking"
    fine_check: str
    taken_back_check: str
    ask_safe: str  # "Are you safe right now?"
    safe_replies: tuple[str, ...]  # whole replies to `ask_safe` that say yes
    fine_accepted: str
    unsafe_phrases: tuple[str, ...]  # anywhere in a reply: may still not be safe
    unsafe_replies: tuple[str, ...]  # as the whole reply ("no")
    still_unsafe: str
    unclear: str
    quiet: str
    stopped: str
    closing: str
    breathing: Breathing
    notice: str
    counsellor_after: int
    counsellor: str
    counsellor_after_abuse: str  # no couples work where there has been abuse
    strong_min: int
    strong_signals: tuple[str, ...]

    # -- texts ---------------------------------------------------------------------------------
    def fill(self, text: str, resources: Resources) -> str:
        """Put the user's emergency number and lines (or the defaults) into a text."""
        values = {
            "emergency": resources.emergency_number or self.help["default_emergency"],
            "crisis": self._line(resources.crisis_line, "crisis"),
            "abuse": self._line(resources.abuse_line, "abuse"),
        }
        # One pass, not str.format: the user's lines may hold braces, never to be replaced.
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text).strip()

    def _line(self, users: str, kind: str) -> str:
        if not users:
            return self.help[f"default_{kind}"]
        return self.help[kind].replace(f"{{{kind}}}", users.rstrip("."))  # no second dot

    def what_to_do(self, resources: Resources, *, category: str, reported: bool) -> str:
        """The emergency number, then the crisis line (the abuse line after abuse)."""
        now = self.help["reported" if reported else "self"]
        line = "{abuse}" if category == "abuse" else "{crisis}"
        return self.fill(f"{now} {line}", resources)

    # -- replies -------------------------------------------------------------------------------
    def choice_of(self, text: str) -> str | None:
        """The choice when the whole reply is one of its phrases."""
        phrase = _whole(self.choices, text)
        return self.choices[phrase] if phrase is not None else None

    def fine_kind(self, text: str) -> str | None:
        """The kind of "I am fine": taken_back ("you misunderstood"), fine, or None."""
        if contains_phrase(self.taken_back, text):
            return "taken_back"
        return "fine" if contains_phrase(self.fine_phrases, text) else None

    def says_safe(self, text: str) -> bool:
        """A whole reply to "Are you safe right now?" that says yes."""
        return _whole(self.safe_replies, text) is not None

    def says_unsafe(self, text: str) -> bool:
        """A reply saying the person may still not be safe ("not ok", "no", "pills")."""
        unsafe = _whole(self.unsafe_replies, text) is not None
        return unsafe or contains_phrase(self.unsafe_phrases, text)

    def is_advice(self, prompt: str) -> bool:
        """A question about working things out with the partner (left out after abuse)."""
        return contains_phrase(self.advice_markers, prompt)

    def probes_past(self, prompt: str) -> bool:
        """A question about where a feeling comes from (left out after a serious concern)."""
        return contains_phrase(self.probing_markers, prompt)

    def signals(self, text: str) -> set[str]:
        """The strong-insecurity signals in one answer."""
        found = set(_phrase_pattern(self.strong_signals).findall(words(text)))
        return {phrase for phrase in self.strong_signals if words(phrase) in found}
