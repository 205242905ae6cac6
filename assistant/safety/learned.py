"""A learned safety layer next to the rules: nearest examples in MiniLM sentence-embedding space
(learned_encoder.py). The examples are the two tuning sets' sentences, stored by
scripts/train_safety_learned.py in dialogs/safety_learned_bank.npz with the settings in
dialogs/safety_learned.yaml. (A logistic regression per category was cross-validated too and
did worse; see the training script.)

It only adds: `CombinedCheck` returns the rules' concerns unchanged, and for a category the
model flags but the rules did not, an ASK-level concern (family "learned"). So a model false
alarm costs a gentle, direct question, never the full crisis help; a real sign the phrase rules
have no wording for still gets that question. The model cannot tell whose concern it is, so its
concerns count as the speaker's own (the question asks the speaker).

The encoder is loaded on the first answer that needs it, not at start-up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.errors import ModelMissingError
from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import CATEGORIES, Concern, Level, SafetyCheck, _priority
from assistant.safety.learned_encoder import (
    MODEL_DIR,
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    SentenceEncoder,
)
from assistant.speech.onnx_models import INSTALL_HINT

__all__ = [
    "WEIGHTS_PATH",
    "CombinedCheck",
    "LearnedCheck",
    "LearnedWeights",
    "load_weights",
    "margins",
]

WEIGHTS_PATH = DIALOGS_DIR / "safety_learned.yaml"
LEARNED_FAMILY = "learned"
ENCODER_NAME = "all-MiniLM-L6-v2"
METHOD = "nearest-margin"
_KEYS = {"encoder", "method", "neighbours", "threshold", "bank", "bank_sha256"}
ORDINARY = -1  # the label of an ordinary sentence in the bank


@dataclass(frozen=True)
class LearnedWeights:
    """A bank of labelled example embeddings (int8, one scale per row) and how to read it."""

    vectors: np.ndarray  # (n, 384) int8
    scales: np.ndarray  # (n,) float32: a row is vectors[i] * scales[i]
    labels: np.ndarray  # (n,) int8: an index into CATEGORIES, or ORDINARY
    neighbours: int  # k: how many of the nearest examples are averaged per class
    threshold: float  # a category is flagged when its margin reaches this

    def rows(self) -> np.ndarray:
        return self.vectors.astype(np.float32) * self.scales[:, None]


def quantise(embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors as int8 with a scale per row (cosines change by about 1e-3)."""
    scales = np.abs(embeddings).max(axis=1) / 127.0
    return np.round(embeddings / scales[:, None]).astype(np.int8), scales.astype(np.float32)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_weights(path: Path, w: LearnedWeights) -> None:
    """Written by the training script: the settings in YAML, the bank beside it (.npz)."""
    bank = path.with_name(path.stem + "_bank.npz")
    with bank.open("wb") as f:  # a file object: savez would add a second .npz
        np.savez_compressed(f, vectors=w.vectors, scales=w.scales, labels=w.labels)
    data = {
        "encoder": ENCODER_NAME,
        "method": METHOD,
        "neighbours": int(w.neighbours),
        "threshold": round(float(w.threshold), 4),
        "bank": bank.name,
        "bank_sha256": _sha256(bank),
    }
    header = (
        "# Written by scripts/train_safety_learned.py, not by hand. For each category, the\n"
        "# mean cosine similarity of an answer to its `neighbours` nearest examples of that\n"
        "# category minus that to its nearest ordinary examples; at `threshold` or above the\n"
        "# category is flagged. Both chosen by cross-validation between the two tuning sets.\n"
    )
    path.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def load_weights(path: Path = WEIGHTS_PATH) -> LearnedWeights:
    """Read the trained layer; a damaged file raises BadScriptError naming file:line."""
    data = load_yaml(path)
    where = Reader(path)
    unknown_keys(where, data, _KEYS, "")
    for key in sorted(_KEYS):
        if key not in data:
            raise where.error(data, None, key, "missing; re-run scripts/train_safety_learned.py")
    for key, want in (("encoder", ENCODER_NAME), ("method", METHOD)):
        where.choice(data, key, key, [want], f"expected {want}")
    k = where.number(data, "neighbours", "neighbours", 1, whole=True)
    threshold = where.number(data, "threshold", "threshold", -1.0, 1.0)
    bank = path.with_name(str(data["bank"]))
    if not bank.is_file() or _sha256(bank) != data["bank_sha256"]:
        raise where.error(
            data, "bank", "bank", f"{bank.name} is missing or changed; re-run the training script"
        )
    with np.load(bank) as arrays:
        w = LearnedWeights(
            vectors=arrays["vectors"],
            scales=arrays["scales"],
            labels=arrays["labels"],
            neighbours=k,
            threshold=threshold,
        )
    counts = [int((w.labels == i).sum()) for i in (*range(len(CATEGORIES)), ORDINARY)]
    if min(counts) < k or w.vectors.shape[1] != SentenceEncoder.DIMENSION:
        raise where.error(data, "bank", "bank", f"{bank.name} has too few examples of a class")
    return w


def margins(rows: np.ndarray, labels: np.ndarray, k: int, queries: np.ndarray) -> np.ndarray:
    """For each query (one row each) and category: the mean similarity to the k nearest
    examples of the category minus the mean similarity to the k nearest ordinary ones."""
    sims = queries @ rows.T

    def nearest(mask: np.ndarray) -> np.ndarray:
        return np.sort(sims[:, mask], axis=1)[:, -k:].mean(axis=1)

    ordinary = nearest(labels == ORDINARY)
    return np.stack([nearest(labels == i) - ordinary for i in range(len(CATEGORIES))], axis=1)


class LearnedCheck:
    """Scores per category for one answer; the encoder loads on first use."""

    def __init__(self, weights: LearnedWeights | None = None, model_dir: Path = MODEL_DIR) -> None:
        self.weights = weights or load_weights()
        self._rows = self.weights.rows()  # 1,960 x 384 floats: 3 MB
        self._model_dir = model_dir
        for name in (WEIGHTS_FILE, TOKENIZER_FILE):  # missing: said now, not at the first answer
            if not (model_dir / name).is_file():
                raise ModelMissingError(
                    f"the sentence model {model_dir / name} is missing; {INSTALL_HINT}"
                )
        self._encoder: SentenceEncoder | None = None

    @property
    def encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            self._encoder = SentenceEncoder(self._model_dir)
        return self._encoder

    def score(self, text: str) -> dict[str, float]:
        """Per category, how much closer `text` is to its examples than to ordinary ones
        (a cosine difference, about -0.3 to 0.4; flagged from the threshold up)."""
        if not text.strip():
            return dict.fromkeys(CATEGORIES, -1.0)
        w = self.weights
        m = margins(self._rows, w.labels, w.neighbours, self.encoder.encode(text)[None, :])[0]
        return {c: float(v) for c, v in zip(CATEGORIES, m, strict=True)}

    def flagged(self, text: str) -> str | None:
        """The closest category when its margin reaches the threshold, else None."""
        scores = self.score(text)
        category = max(scores, key=scores.__getitem__)
        return category if scores[category] >= self.weights.threshold else None


class CombinedCheck:
    """The rules, plus an ASK-level concern for what only the model noticed. Offers the same
    check / check_all as SafetyCheck, so the flow can take either."""

    def __init__(self, rules: SafetyCheck, learned: LearnedCheck) -> None:
        self.rules = rules
        self.learned = learned

    def check(self, text: str) -> Concern | None:
        concerns = self.check_all(text)
        return concerns[0] if concerns else None

    def check_all(self, text: str) -> list[Concern]:
        concerns = self.rules.check_all(text)
        category = self.learned.flagged(text)
        if category is None or any(c.category == category for c in concerns):
            return concerns
        added = Concern(category, reported=False, level=Level.ASK, family=LEARNED_FAMILY)
        return sorted([*concerns, added], key=_priority)
