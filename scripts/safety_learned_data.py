"""The labelled safety sets as (text, category or None) pairs, for the learned layer's training
and evaluation scripts. Both layouts are read: the corpus and held-out set (category -> me /
reported -> sentences, then `ordinary`) and the blind-set layout (concerning -> category ->
sentences, then `ordinary`). A sentence about someone else counts for its category: the rules
raise a concern for it too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from assistant.base.text import normalize
from assistant.safety.check import CATEGORIES

TESTS = Path(__file__).resolve().parent.parent / "tests" / "data"
CORPUS = TESTS / "safety_corpus.yaml"
TUNING_BLIND1 = TESTS / "safety_tuning_blind1.yaml"
HELDOUT = TESTS / "safety_heldout.yaml"
PROBES = TESTS / "safety_learned_probes.yaml"

Labelled = list[tuple[str, str | None]]


def labelled(path: Path) -> Labelled:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: Labelled = []
    for category in CATEGORIES:
        if "concerning" in data:
            out += [(t, category) for t in data["concerning"][category] or []]
        else:
            out += [(t, category) for who in ("me", "reported") for t in data[category][who] or []]
    return out + [(t, None) for t in data["ordinary"]]


def spoken(text: str) -> str:
    """What the Vosk model writes (the form answers reach the check in a session)."""
    return normalize(text)


def targets(items: Labelled) -> np.ndarray:
    """One column per category: 1 where the sentence belongs to it."""
    return np.array([[label == c for c in CATEGORIES] for _, label in items], dtype=np.float64)
