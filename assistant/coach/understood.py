"""Which coaching labels an attempt carries, where the phrase rules and the learned text model
(assistant/understand) each have their part. The rules find the words a coach quotes back
("always", "never", "I feel ignored"); the model reads what phrase matching cannot ("I guess I
just don't matter to you", "thanks for finally noticing"). How each label combines the two was
chosen with each author of corpus/ left out in turn (scripts/train_text_model.py prints it):
- "rules or model": either one finds it;
- "model": the model decides, the rules only give the quote.
"""

from __future__ import annotations

from assistant.coach.findings import Kind
from assistant.understand.model import shared_model

__all__ = ["COMBINE", "LABELS", "model_labels"]

#: The labels of a corpus entry and the finding kind each one is scored by.
LABELS = {
    "blame": Kind.BLAME,
    "i_statement": Kind.I_STATEMENT,
    "feeling": Kind.FEELING,
    "faux_feeling": Kind.FAUX_FEELING,
    "request": Kind.REQUEST,
}
COMBINE = {
    "blame": "rules or model",
    "i_statement": "rules or model",
    "feeling": "rules or model",
    "faux_feeling": "rules or model",
    "request": "model",  # the rules' requests had 5% false alarms on left-out authors
}


def model_labels(text: str) -> dict[str, bool]:
    """The model's reading of an attempt: each label at or over its threshold."""
    model = shared_model()
    return {label: model.says(label, text) for label in LABELS}


def combine(by_rules: dict[str, bool], by_model: dict[str, bool]) -> dict[str, bool]:
    return {
        label: by_model[label] or (by_rules[label] and COMBINE[label] == "rules or model")
        for label in LABELS
    }
