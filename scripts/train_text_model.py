#!/usr/bin/env python3
"""Train the text model's heads (assistant/understand/model.py) on corpus/ and write
dialogs/text_model.npz and dialogs/text_model.yaml. Deterministic (fixed seeds, one thread).

Authors are kept apart: the settings (network size, thresholds, how rules and model combine)
are chosen with each author left out in turn (trained on the others, scored on the one left
out); the weights written are then trained on all of them with those settings.
corpus/blind/ is never read here.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/train_text_model.py [--report]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections import Counter

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import yaml
from text_model_data import AUTHORS, coaching_rows, embed, safety_rows
from text_model_fit import balanced, fit

from assistant.understand.encoder import spoken_form
from assistant.understand.model import ENCODER_NAME, MODEL_PATH

CATEGORIES = ("ordinary", "self_harm", "abuse", "eating")
#: Hard negatives whose concern is context: the past, someone else, a figure of speech, a job...
CONTEXT = {
    "past_resolved", "other_people", "hyperbole_idiom", "medical", "sports",
    "professional_at_work", "jokes_and_games", "explicit_denial", "benign_lookalike",
}  # fmt: skip
COACH_LABELS = ("blame", "i_statement", "feeling", "faux_feeling", "request")
SETTINGS = {"hidden": 128, "decay": 1e-3, "steps": 400, "rate": 0.003}
#: The share of the safety head's loss on ordinary answers (the rest: the three categories).
ORDINARY_SHARE = 0.5


def safety_data(authors: tuple[str, ...]):
    rows = [r for a in authors for r in safety_rows(a) if r["family"] != "other_language"]
    x = embed([r["text"] for r in rows]).astype(np.float64)
    cat = np.array([CATEGORIES.index(r["category"]) for r in rows])
    return rows, x, cat


def train_safety(rows, x, cat, settings=SETTINGS) -> dict[str, list]:
    w = balanced(cat)
    w = np.where(cat == 0, w * ORDINARY_SHARE / 0.25, w * (1 - ORDINARY_SHARE) / 0.75)
    heads = {"safety": fit(x, cat, 4, weights=w, **settings)}
    pos = cat > 0
    urgent = np.array([r["level"] == "help" for r in rows])[pos].astype(int)
    heads["urgent"] = fit(x[pos], urgent, 1, weights=balanced(urgent), **settings)
    ctx_rows = np.array([r["family"] in CONTEXT or c > 0 for r, c in zip(rows, cat, strict=True)])
    ctx = np.array([r["family"] in CONTEXT for r in rows])[ctx_rows].astype(int)
    heads["context"] = fit(x[ctx_rows], ctx, 1, weights=balanced(ctx), **settings)
    return heads


def train_coach(rows, x, settings=SETTINGS) -> dict[str, list]:
    heads = {}
    for label in COACH_LABELS:
        y = np.array([bool(r[label]) for r in rows]).astype(int)
        heads[label] = fit(x, y, 1, weights=balanced(y), **settings)
    return heads


def lexicon(authors: tuple[str, ...]) -> list[str]:
    """Words that at least two authors used in English answers and sentences."""
    seen: Counter[str] = Counter()
    for a in authors:
        rows = [r for r in safety_rows(a) + coaching_rows(a) if r.get("family") != "other_language"]
        seen.update({w for r in rows for w in spoken_form(r["text"]).split()})
    return sorted(w for w, n in seen.items() if n >= 2)


def save(heads: dict[str, list], classes: dict[str, tuple], thresholds: dict, words: list[str],
         trained_on: str, tuned_on: str) -> None:  # fmt: skip
    npz = MODEL_PATH.with_suffix(".npz")
    arrays = {}
    for h, layers in heads.items():
        for n, (w, b) in enumerate(layers):
            arrays[f"{h}.w{n}"], arrays[f"{h}.b{n}"] = w.astype(np.float16), b
    with npz.open("wb") as f:
        np.savez_compressed(f, lexicon=np.array(words), **arrays)
    data = {
        "encoder": ENCODER_NAME,
        "weights": npz.name,
        "weights_sha256": hashlib.sha256(npz.read_bytes()).hexdigest(),
        "heads": {h: list(classes[h]) for h in heads},
        "thresholds": {k: round(float(v), 3) for k, v in thresholds.items()},
        "trained_on": trained_on,
        "tuned_on": tuned_on,
    }
    header = (
        "# Written by scripts/train_text_model.py, not by hand: the text model's heads (weights\n"
        "# in the .npz beside it), thresholds chosen with each author left out in turn.\n"
    )
    MODEL_PATH.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def folds():
    """(trained on, left out) for each author left out."""
    return [(tuple(a for a in AUTHORS if a != out), out) for out in AUTHORS]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true", help="only score the left-out folds")
    args = ap.parse_args()
    from text_model_tune import choose

    thresholds, lines = choose(folds(), safety_data, train_safety, train_coach, SETTINGS)
    print("\n".join(lines))
    if args.report:
        return 0
    rows, x, cat = safety_data(AUTHORS)
    heads = train_safety(rows, x, cat)
    crows = [r for a in AUTHORS for r in coaching_rows(a)]
    heads.update(train_coach(crows, embed([r["text"] for r in crows]).astype(np.float64)))
    classes = {"safety": CATEGORIES, "urgent": ("help",), "context": ("context",)}
    classes.update({label: (label,) for label in COACH_LABELS})
    n_coach = len(crows)
    save(heads, classes, thresholds, lexicon(AUTHORS),
         f"{len(rows)} safety answers and {n_coach} coaching sentences of {', '.join(AUTHORS)}",
         "each author left out in turn (trained on the others)")  # fmt: skip
    print(f"wrote {MODEL_PATH} and its weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
