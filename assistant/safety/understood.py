"""The safety check as the session uses it: the phrase rules (check.py) and the learned text
model (assistant/understand) read every answer together.

- The model raises a concern the rules have no words for: its category head at or over the
  `raise` threshold, or over the higher `raise_short` for a short answer (under SHORT_WORDS
  words: people answer the evening's questions in a few words, "That I do not matter.", and a
  few words give the model little to read). Not from a reply of under RAISE_WORDS words ("no",
  "not really", "my dad"): the rules read short clear signs ("I want to die").
- A concern only the model raised is ASK (a gentle direct question), never HELP on weak
  evidence: HELP only when the answer is not short, the category head is at least `help_sure`
  and the urgency head says so.
- A rule's clear sign about the speaker (HELP, not reported) always stands: the context head
  once read "I want to die" as a figure of speech, so it is not trusted with those.
- A rule's weaker sign (ASK) or a concern about someone else stands, with the rule's level,
  unless the model reads the answer as context (the past, someone else, a figure of speech, a
  job, a denial: the context head at or over `context`) AND its category head does not find
  that concern. So a present-tense plan, which the category head finds, is never lowered. A
  short answer (under CONTEXT_WORDS words) is never lowered either: a past or someone else's
  story takes words to tell, and the context head read "I'm just a burden" as context.
- An answer mostly in another language: the model reads English only. `foreign` says so, so
  the flow can say it plainly with the help line; no concern is raised from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.safety.check import CATEGORIES, Concern, Level, SafetyCheck, _priority
from assistant.understand.model import TextModel, shared_model

__all__ = ["MODEL_FAMILY", "Reading", "UnderstoodCheck", "decide"]

MODEL_FAMILY = "model"  # the family of a concern only the model raised
CONTEXT_WORDS = 8  # shorter answers are never lowered as context
RAISE_WORDS = 4  # shorter replies are left to the rules
SHORT_WORDS = 12  # shorter answers need the model surer to raise, and never raise HELP
#: The rules' category names and the model's.
_MODEL_NAMES = {"self-harm": "self_harm", "abuse": "abuse", "eating": "eating"}


@dataclass(frozen=True)
class Reading:
    """What the model read in one answer."""

    concern: dict[str, float]  # per rule category name: the category head's probability
    urgent: float  # the urgency head: help now rather than ask first
    context: float  # the context head: the past, someone else, a figure of speech...


def read(model: TextModel, text: str) -> Reading:
    p = model.read("safety", text)
    return Reading(
        concern={c: p[m] for c, m in _MODEL_NAMES.items()},
        urgent=model.read("urgent", text)["help"],
        context=model.read("context", text)["context"],
    )


def decide(
    rules: list[Concern], reading: Reading, thresholds: dict[str, float], words: int
) -> list[Concern]:
    """The concerns to act on, from the rules' and the model's reading of an answer of `words`
    words (see the module doc)."""
    short = words < SHORT_WORDS
    bar = thresholds["raise_short"] if short else thresholds["raise"]
    found = {c: words >= RAISE_WORDS and p >= bar for c, p in reading.concern.items()}

    def lowered(c: Concern) -> bool:
        clear = c.level is Level.HELP and not c.reported
        context = words >= CONTEXT_WORDS and reading.context >= thresholds["context"]
        return not clear and context

    kept = [c for c in rules if found[c.category] or not lowered(c)]
    for category in CATEGORIES:
        if found[category] and not any(c.category == category for c in kept):
            sure = not short and reading.concern[category] >= thresholds["help_sure"]
            level = Level.HELP if sure and reading.urgent >= thresholds["urgent"] else Level.ASK
            kept.append(Concern(category, reported=False, level=level, family=MODEL_FAMILY))
    return sorted(kept, key=_priority)


class UnderstoodCheck:
    """The check every answer passes: `check` / `check_all` as SafetyCheck's, and `foreign`."""

    def __init__(self, rules: SafetyCheck, model: TextModel | None = None) -> None:
        self.rules = rules
        self._model = model

    @property
    def model(self) -> TextModel:
        if self._model is None:
            self._model = shared_model()
        return self._model

    def foreign(self, text: str) -> bool:
        """Mostly in another language: the check cannot read it."""
        return self.model.lexicon.foreign(text)

    def check(self, text: str) -> Concern | None:
        concerns = self.check_all(text)
        return concerns[0] if concerns else None

    def check_all(self, text: str) -> list[Concern]:
        if not text.strip() or self.foreign(text):
            return []
        reading = read(self.model, text)
        return decide(self.rules.check_all(text), reading, self.model.thresholds, len(text.split()))
