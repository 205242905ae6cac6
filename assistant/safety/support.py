"""What the assistant says when the safety check fires, as loaded from dialogs/support.yaml
(assistant/safety/support_file.py validates it).

Pure data in a few groups that mirror the file's sections, each with the small text tests that
belong to it. The user's own emergency number and lines (`reflect setup`) are `Resources`;
`HelpTexts.fill` puts them into the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.base.phrases import contains_phrase, phrase_pattern, words
from assistant.safety.asking import AskTexts
from assistant.safety.replies import ChoiceTexts, Replies
from assistant.safety.resources import Resources

CHOICES = ("breathe", "continue", "pause", "stop")
#: How the person answers, by `answering` key: spoken, or typed (`--typed`).
ANSWERING = ("spoken", "typed")
VARIANTS = ("self", "reported")
PLACEHOLDERS = ("emergency", "crisis", "abuse")
_PLACEHOLDER = re.compile(r"\{(emergency|crisis|abuse)\}")


@dataclass(frozen=True)
class HelpTexts:
    """What is said first about a concern, and where help is (`openers`, `help`, `abuse`)."""

    openers: dict[str, dict[str, str]]  # category -> variant ("self"/"reported") -> text
    #: self, reported, default_emergency, crisis, default_crisis, abuse, default_abuse
    contacts: dict[str, str]
    abuse_note: dict[str, str]  # variant -> text
    acknowledge: dict[str, tuple[str, ...]]  # variant -> short openers for a later disclosure
    again: tuple[str, ...]  # what to do now, said again: instead of contacts["self"]
    device_note: str  # after the person's own abuse concern: `reflect lock` and `forget`

    def fill(self, text: str, resources: Resources) -> str:
        """Put the user's emergency number and lines (or the defaults) into a text."""
        values = {
            "emergency": resources.emergency_number or self.contacts["default_emergency"],
            "crisis": self._line(resources.crisis_line, "crisis"),
            "abuse": self._line(resources.abuse_line, "abuse"),
        }
        # One pass, not str.format: the user's lines may hold braces, never to be replaced.
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text).strip()

    def _line(self, users: str, kind: str) -> str:
        if not users:
            return self.contacts[f"default_{kind}"]
        return self.contacts[kind].replace(f"{{{kind}}}", users.rstrip("."))  # no second dot

    def what_to_do(
        self, resources: Resources, *, category: str, reported: bool, again: str | None = None
    ) -> str:
        """The emergency number, then the crisis line (the abuse line after abuse). `again`:
        one of `self.again`, said instead of the first sentence when it is said once more."""
        now = self.contacts["reported" if reported else "self"] if again is None else again
        line = "{abuse}" if category == "abuse" else "{crisis}"
        return self.fill(f"{now} {line}", resources)


@dataclass(frozen=True)
class Skips:
    """Script questions left out after a concern (`skip_prompts_with` of `abuse`, `gentle`)."""

    advice_markers: tuple[str, ...]  # relationship advice, left out after abuse
    probing_markers: tuple[str, ...]  # questions about where a feeling comes from
    gentle_categories: tuple[str, ...]  # own concerns after which probing questions are left out

    def is_advice(self, prompt: str) -> bool:
        """A question about working things out with the partner (left out after abuse)."""
        return contains_phrase(self.advice_markers, prompt)

    def probes_past(self, prompt: str) -> bool:
        """A question about where a feeling comes from (left out after a serious concern)."""
        return contains_phrase(self.probing_markers, prompt)


@dataclass(frozen=True)
class Breathing:
    intro: str
    pattern: str  # a breathing pattern's name (dialogs/breathing/)
    rounds: int
    outro: str


@dataclass(frozen=True)
class Counsellor:
    """The suggestion of a counsellor after several sessions in a row with strong signals."""

    after_sessions: int
    say: str
    say_after_abuse: str  # no couples work where there has been abuse


@dataclass(frozen=True)
class StrongSignals:
    """Phrases of strong insecurity; a session with `min_signals` of them counts as strong."""

    min_signals: int
    phrases: tuple[str, ...]

    def in_answer(self, text: str) -> set[str]:
        """The strong-insecurity signals in one answer."""
        found = set(phrase_pattern(self.phrases).findall(words(text)))
        return {phrase for phrase in self.phrases if words(phrase) in found}


@dataclass(frozen=True)
class Support:
    """All of dialogs/support.yaml, in the groups the safety flow and the notices use."""

    help: HelpTexts
    asking: AskTexts
    answering: dict[str, str]  # "spoken"/"typed" -> the word for answering: say, type
    choosing: ChoiceTexts
    replies: Replies
    skips: Skips
    breathing: Breathing
    notice: str  # said once, on the first run
    english_only: str  # an answer mostly in another language: the check reads English only
    counsellor: Counsellor
    strong: StrongSignals
