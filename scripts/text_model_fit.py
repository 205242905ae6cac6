"""Fitting the text model's heads in numpy: a softmax (or one sigmoid) over a small network,
full-batch Adam with weight decay, fixed seeds, so a retrain gives the same weights."""

from __future__ import annotations

import itertools

import numpy as np


def fit(
    x: np.ndarray,
    y: np.ndarray,
    classes: int,
    *,
    hidden: int = 0,
    decay: float = 1e-4,
    steps: int = 400,
    rate: float = 0.01,
    seed: int = 0,
    weights: np.ndarray | None = None,
    dense: int | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Layers (W, b) of a head. classes == 1: y is 0/1 and the head gives a probability;
    else y holds class indices. `weights`: one per row (to balance classes). `dense`: the
    first columns (the sentence vector) are standardised; the rest (word counts) are not."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6  # the encoder's dimensions differ a lot
    if dense is not None:
        mean[dense:], scale[dense:] = 0.0, 1.0
    x = (x - mean) / scale
    rng = np.random.default_rng(seed)
    sizes = [x.shape[1], *([hidden] if hidden else []), classes]
    layers = [
        (rng.normal(0, np.sqrt(2.0 / a), (a, b)).astype(np.float64) * (0.1 if not hidden else 1),
         np.zeros(b))
        for a, b in itertools.pairwise(sizes)
    ]  # fmt: skip
    w_rows = np.ones(len(x)) if weights is None else weights
    w_rows = w_rows / w_rows.sum()
    target = y.astype(np.float64)[:, None] if classes == 1 else np.eye(classes)[y]
    m = [(np.zeros_like(w), np.zeros_like(b)) for w, b in layers]
    v = [(np.zeros_like(w), np.zeros_like(b)) for w, b in layers]
    for t in range(1, steps + 1):
        acts = [x]
        for n, (w, b) in enumerate(layers):
            z = acts[-1] @ w + b
            acts.append(np.maximum(z, 0) if n < len(layers) - 1 else z)
        z = acts[-1]
        if classes == 1:
            p = 1 / (1 + np.exp(-z))
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
        grad = (p - target) * w_rows[:, None]
        for n in range(len(layers) - 1, -1, -1):
            w, b = layers[n]
            gw = acts[n].T @ grad + decay * w
            gb = grad.sum(axis=0)
            if n:
                grad = (grad @ w.T) * (acts[n] > 0)
            (mw, mb), (vw, vb) = m[n], v[n]
            mw = 0.9 * mw + 0.1 * gw
            mb = 0.9 * mb + 0.1 * gb
            vw = 0.999 * vw + 0.001 * gw**2
            vb = 0.999 * vb + 0.001 * gb**2
            m[n], v[n] = (mw, mb), (vw, vb)
            c1, c2 = 1 - 0.9**t, 1 - 0.999**t
            w = w - rate * (mw / c1) / (np.sqrt(vw / c2) + 1e-8)
            b = b - rate * (mb / c1) / (np.sqrt(vb / c2) + 1e-8)
            layers[n] = (w, b)
    w, b = layers[0]  # the standardisation folded into the first layer
    layers[0] = (w / scale[:, None], b - (mean / scale) @ w)
    return [(w.astype(np.float32), b.astype(np.float32)) for w, b in layers]


def predict(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    for n, (w, b) in enumerate(layers):
        x = x @ w + b
        if n < len(layers) - 1:
            x = np.maximum(x, 0)
    if x.shape[1] == 1:
        return 1 / (1 + np.exp(-x[:, 0]))
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def balanced(y: np.ndarray) -> np.ndarray:
    """Row weights so that each class weighs the same in the loss."""
    counts = np.bincount(y)
    return 1.0 / counts[y]
