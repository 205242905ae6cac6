"""Scoring the detectors on a labelled list of sentences (the tuned corpus in tests, the blind
set by scripts/score_coaching.py): per label, precision, recall and errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.base.datafile import Reader, load_list, load_yaml
from assistant.base.errors import BadScriptError
from assistant.coach.analyse import assess
from assistant.coach.rules import CoachRules
from assistant.coach.understood import LABELS

__all__ = ["LABELS", "LabelScore", "detected", "load_labelled", "score"]


def detected(text: str, rules: CoachRules, *, model: bool = True) -> dict[str, bool]:
    found = assess(text, rules, model=model)
    return {label: found.has(kind) for label, kind in LABELS.items()}


@dataclass
class LabelScore:
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    wrong: list[str] | None = None

    @property
    def errors(self) -> int:
        return self.fp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def error_rate(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return self.errors / total if total else 0.0

    def line(self) -> str:
        return (
            f"{self.label:13} precision {self.precision:.2f}  recall {self.recall:.2f}  "
            f"errors {self.errors}/{self.tp + self.fp + self.fn + self.tn} "
            f"({self.error_rate:.1%}; {self.fp} false alarms, {self.fn} missed)"
        )


def score(items: list[dict], rules: CoachRules, *, model: bool = True) -> dict[str, LabelScore]:
    """`model`: the rules and the learned text model, as a rehearsal uses them; False: the rules
    alone."""
    scores = {label: LabelScore(label, wrong=[]) for label in LABELS}
    for item in items:
        got = detected(item["text"], rules, model=model)
        for label, s in scores.items():
            want, have = bool(item.get(label, False)), got[label]
            if want and have:
                s.tp += 1
            elif have:
                s.fp += 1
                s.wrong.append(f"false alarm: {item['text']}")  # type: ignore[union-attr]
            elif want:
                s.fn += 1
                s.wrong.append(f"missed: {item['text']}")  # type: ignore[union-attr]
            else:
                s.tn += 1
    return scores


def load_labelled(path: Path) -> list[dict]:
    """A YAML list of {text, blame, i_statement, feeling, faux_feeling, request} (missing labels
    are false), or a mapping whose `items` is that list (as corpus/ holds them); mistakes are
    one line naming file:line."""
    r = Reader(path)
    try:
        items = load_list(path)
    except BadScriptError:
        top = load_yaml(path)
        items = top.get("items")
        if not isinstance(items, list):
            raise r.error(top, None, "items", "expected the list of labelled sentences") from None
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise r.error(items, i, f"[{i}]", "expected a mapping with a text and labels")
        for label in LABELS:
            r.flag(item, label, f"[{i}].{label}", default=False)
    return items
