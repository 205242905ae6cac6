#!/usr/bin/env python3
"""Train the learned safety layer on the MiniLM sentence embeddings of the two tuning sets
(tests/data/safety_corpus.yaml and tests/data/safety_tuning_blind1.yaml).

Two methods are cross-validated: an L2-regularised logistic regression per category, and the
nearest-example margin that the runtime uses (assistant/safety/learned.py: similarity to the k
nearest examples of a category minus that to the k nearest ordinary ones). Settings and the
threshold are chosen ONLY by cross-validation grouped by source: build on the corpus and
validate on the tuning blind set, and the other way round, every validation sentence both as
written and as spoken; the best mean recall whose false alarms stay within FALSE_ALARMS_MAX on
both folds wins. The held-out set and the probes are never read here. The bank of examples
(the spoken form of every tuning sentence) goes to dialogs/safety_learned_bank.npz, the
settings to dialogs/safety_learned.yaml. Deterministic up to float rounding (a rerun with
another BLAS thread count moved 16 of 1,960 rows by one int8 step, same choices).

    train_safety_learned.py                  cross-validate, print the figures, write the layer
    train_safety_learned.py --cv-only        only print the cross-validation figures
    train_safety_learned.py --cache F.npz    keep the embeddings in F.npz between runs
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safety_learned_data import CORPUS, TUNING_BLIND1, Labelled, labelled, spoken, targets

from assistant.safety.check import CATEGORIES
from assistant.safety.learned import (
    ORDINARY,
    WEIGHTS_PATH,
    LearnedWeights,
    margins,
    quantise,
    save_weights,
)
from assistant.safety.learned_encoder import SentenceEncoder

# penalty per unit weight squared, per sentence (the embeddings are unit vectors: small values)
L2_CHOICES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3)
THRESHOLD_CHOICES = tuple(round(t, 2) for t in np.arange(0.50, 0.995, 0.01))
NEIGHBOUR_CHOICES = (3, 5, 10, 20, 30)
MARGIN_CHOICES = tuple(round(t, 3) for t in np.arange(-0.05, 0.30, 0.005))
FALSE_ALARMS_MAX = 0.03  # of the model alone on the validation fold: the rules add their own


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 25) -> np.ndarray:
    """Weights (with the bias last) of a logistic regression, by Newton's method; the penalty
    l2 * n * |w|^2 / 2 leaves the bias out."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2 * n)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_all(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    return np.stack([fit_logistic(x, y[:, i], l2) for i in range(y.shape[1])])


def probabilities(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ weights[:, :-1].T + weights[:, -1])))


def figures(prob: np.ndarray, y: np.ndarray, threshold: float) -> tuple[list[float], float]:
    """Recall per category (the top category above the threshold is the right one) and the
    false-alarm rate (any category above the threshold on an ordinary sentence)."""
    top = prob.argmax(axis=1)
    flagged = prob.max(axis=1) >= threshold
    ordinary = y.sum(axis=1) == 0
    recall = []
    for c in range(y.shape[1]):
        mine = y[:, c] == 1
        recall.append(float((flagged & (top == c))[mine].mean()))
    return recall, float(flagged[ordinary].mean())


def labels_of(y: np.ndarray) -> np.ndarray:
    return np.where(y.sum(axis=1) == 0, ORDINARY, y.argmax(axis=1)).astype(np.int8)


@dataclass(frozen=True)
class Source:
    name: str
    bank: np.ndarray  # the spoken form of each sentence
    forms: np.ndarray  # both forms, for validation and the regression
    y: np.ndarray  # targets of `bank`


def embed(encoder: SentenceEncoder, name: str, items: Labelled, cache: dict) -> Source:
    for form, shape in (("written", str), ("spoken", spoken)):
        key = f"{name}_{form}"
        if key not in cache:
            cache[key] = encoder.encode_all([shape(t) for t, _ in items])
    y = targets(items)
    forms = np.vstack([cache[f"{name}_written"], cache[f"{name}_spoken"]])
    return Source(name, cache[f"{name}_spoken"], forms, y)


def best_setting(
    label: str, candidates: dict[object, list[tuple[np.ndarray, np.ndarray]]], thresholds
) -> tuple[float, object, float]:
    """Over settings (each with per-fold validation scores and targets) and thresholds: the
    best mean recall among those within FALSE_ALARMS_MAX on every fold; prints each setting."""
    best: tuple[float, object, float] | None = None
    for setting, folds in candidates.items():
        mine: tuple[float, float, list] | None = None
        for threshold in thresholds:
            rows = [figures(p, y, threshold) for p, y in folds]
            if max(fa for _, fa in rows) > FALSE_ALARMS_MAX:
                continue
            mean_recall = float(np.mean([np.mean(r) for r, _ in rows]))
            if mine is None or mean_recall > mine[0]:
                mine = (mean_recall, threshold, rows)
        if mine is None:
            print(f"{label} {setting}: no threshold keeps false alarms in bounds")
            continue
        text = "; ".join(
            "recall " + "/".join(f"{r:.2f}" for r in rec) + f" FA {fa:.3f}" for rec, fa in mine[2]
        )
        print(f"{label} {setting}: threshold {mine[1]}: mean recall {mine[0]:.3f} ({text})")
        if best is None or mine[0] > best[0]:
            best = (mine[0], setting, mine[1])
    if best is None:
        raise SystemExit(f"{label}: no setting keeps the false alarms in bounds")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-only", action="store_true")
    parser.add_argument("--cache", type=Path, help="an .npz to keep the embeddings in")
    args = parser.parse_args(argv)
    cache: dict[str, np.ndarray] = {}
    if args.cache and args.cache.is_file():
        cache = dict(np.load(args.cache))
    encoder = SentenceEncoder(keep_float32=True)
    corpus = embed(encoder, "corpus", labelled(CORPUS), cache)
    blind1 = embed(encoder, "blind1", labelled(TUNING_BLIND1), cache)
    if args.cache:
        np.savez(args.cache, **cache)
    pairs = [(corpus, blind1), (blind1, corpus)]  # (build on, validate on)
    print(
        f"folds: build on {corpus.name}, validate on {blind1.name}; and the other way round "
        f"(false alarms at most {FALSE_ALARMS_MAX} on both; recall per {'/'.join(CATEGORIES)})"
    )

    regression = {
        f"l2 {l2}": [
            (
                probabilities(fit_all(a.forms, np.vstack([a.y, a.y]), l2), b.forms),
                np.vstack([b.y, b.y]),
            )
            for a, b in pairs
        ]
        for l2 in L2_CHOICES
    }
    lr = best_setting("logistic regression", regression, THRESHOLD_CHOICES)
    nearest = {
        k: [(margins(a.bank, labels_of(a.y), k, b.forms), np.vstack([b.y, b.y])) for a, b in pairs]
        for k in NEIGHBOUR_CHOICES
    }
    nm = best_setting("nearest margin, k", nearest, MARGIN_CHOICES)
    print(f"best logistic regression: {lr[1]}, threshold {lr[2]}, mean recall {lr[0]:.3f}")
    print(f"best nearest margin: k {nm[1]}, threshold {nm[2]}, mean recall {nm[0]:.3f} (used)")
    if args.cv_only:
        return 0
    vectors, scales = quantise(np.vstack([corpus.bank, blind1.bank]))
    labels = labels_of(np.vstack([corpus.y, blind1.y]))
    save_weights(WEIGHTS_PATH, LearnedWeights(vectors, scales, labels, int(nm[1]), float(nm[2])))
    print(f"wrote {WEIGHTS_PATH.name} and its bank ({len(labels)} examples)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
