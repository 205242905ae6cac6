"""A sentence encoder without torch: all-MiniLM-L6-v2 (a 6-layer BERT, hidden size 384) run in
numpy, with mean pooling over the tokens and L2 normalisation, as sentence-transformers does.

The weights are the float16 copy that scripts/install_models.py writes into
models/all-MiniLM-L6-v2/ (a safetensors file, memory-mapped, so loading costs almost nothing
and only the rows of the vocabulary a sentence uses are read). Each layer's matrices are
widened to float32 while that layer runs, then dropped: the resident cost stays a few MB
above the file pages the kernel may keep. Tokens come from the model's own tokenizer.json
through the `tokenizers` package.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.base.errors import ModelMissingError
from assistant.speech.onnx_models import INSTALL_HINT, MODELS_DIR

MODEL_DIR = MODELS_DIR / "all-MiniLM-L6-v2"
WEIGHTS_FILE = "model-f16.safetensors"
TOKENIZER_FILE = "tokenizer.json"


@dataclass(frozen=True)
class EncoderShape:
    layers: int = 6
    hidden: int = 384
    heads: int = 12
    layer_norm_eps: float = 1e-12
    max_tokens: int = 256  # sentence-transformers' max_seq_length for this model


_SAFETENSORS_DTYPES = {"F16": np.float16, "F32": np.float32, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file as read-only memory-mapped arrays."""
    with path.open("rb") as f:
        (header_len,) = np.frombuffer(f.read(8), dtype="<u8")
        header = json.loads(f.read(int(header_len)))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + int(header_len))
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = _SAFETENSORS_DTYPES[info["dtype"]]
        tensors[name] = data[start:end].view(dtype).reshape(info["shape"])
    return tensors


def limit_blas_threads(threads: int) -> bool:
    """Ask the OpenBLAS bundled with numpy's wheels to use `threads` threads. With two cores
    shared with the speech recogniser its default (one per core) spins: a sentence took 580 ms
    instead of 70 ms under load. Best effort: False when this numpy has no such library."""
    import ctypes  # only here: a process-wide setting, made when the encoder loads

    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("libscipy_openblas*.so*")):
        lib = ctypes.CDLL(str(path))  # already loaded by numpy: the same handle
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(threads)
                return True
    return False


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to about 1e-7 (Abramowitz and Stegun 7.1.26); numpy has none and BERT's GELU is
    the exact one, not the tanh approximation."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _f32(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


class SentenceEncoder:
    """Text in, a unit vector of 384 floats out. Load once (cheap), share, call often."""

    DIMENSION = 384

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        shape: EncoderShape | None = None,
        keep_float32: bool = False,
        blas_threads: int | None = 1,
    ) -> None:
        """keep_float32: widen the layer weights once (about 42 MB more, about 40 ms less per
        sentence) instead of per call; for batch evaluation, not for a session.
        blas_threads: see limit_blas_threads (None leaves numpy's setting alone)."""
        self.shape = shape or EncoderShape()
        weights = model_dir / WEIGHTS_FILE
        vocab = model_dir / TOKENIZER_FILE
        for path in (weights, vocab):
            if not path.is_file():
                raise ModelMissingError(f"the sentence model {path} is missing; {INSTALL_HINT}")
        from tokenizers import Tokenizer  # imported here: only the learned check needs it

        self._tokenizer = Tokenizer.from_file(str(vocab))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self.shape.max_tokens)
        self._w = read_safetensors(weights)
        if blas_threads is not None:
            limit_blas_threads(blas_threads)
        if keep_float32:
            self._w = {
                name: a if name == "embeddings.word_embeddings.weight" else _f32(a)
                for name, a in self._w.items()
            }

    @property
    def dimension(self) -> int:
        return self.shape.hidden

    def token_ids(self, text: str) -> list[int]:
        return self._tokenizer.encode(text).ids

    def encode(self, text: str) -> np.ndarray:
        """The sentence's embedding: float32, shape (384,), unit length."""
        ids = np.array(self.token_ids(text), dtype=np.int64)
        hidden = self._embed(ids)
        for layer in range(self.shape.layers):
            hidden = self._layer(hidden, f"encoder.layer.{layer}.")
        # one sentence, no padding: the attention mask is all ones, the mean is over all tokens
        pooled = hidden.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def encode_all(self, texts: list[str]) -> np.ndarray:
        """Embeddings of several sentences, one row each (one at a time: no padding to get
        wrong, and short answers are fast anyway)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.encode(text)
        return out

    # --- the BERT forward pass ---------------------------------------------------------------

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        w = self._w
        x = (
            _f32(w["embeddings.word_embeddings.weight"][ids])
            + _f32(w["embeddings.position_embeddings.weight"][: len(ids)])
            + _f32(w["embeddings.token_type_embeddings.weight"][0])
        )
        return _layer_norm(
            x,
            _f32(w["embeddings.LayerNorm.weight"]),
            _f32(w["embeddings.LayerNorm.bias"]),
            self.shape.layer_norm_eps,
        )

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ _f32(self._w[name + ".weight"]).T + _f32(self._w[name + ".bias"])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        w = self._w
        return _layer_norm(
            x, _f32(w[name + ".weight"]), _f32(w[name + ".bias"]), self.shape.layer_norm_eps
        )

    def _layer(self, x: np.ndarray, p: str) -> np.ndarray:
        n, heads = x.shape[0], self.shape.heads
        size = self.shape.hidden // heads

        def split(t: np.ndarray) -> np.ndarray:  # (n, hidden) -> (heads, n, size)
            return t.reshape(n, heads, size).transpose(1, 0, 2)

        q = split(self._dense(x, p + "attention.self.query"))
        k = split(self._dense(x, p + "attention.self.key"))
        v = split(self._dense(x, p + "attention.self.value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, heads * size)
        x = self._norm(
            x + self._dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm"
        )
        inner = _gelu(self._dense(x, p + "intermediate.dense"))
        return self._norm(x + self._dense(inner, p + "output.dense"), p + "output.LayerNorm")
