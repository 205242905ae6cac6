"""The labelled corpus the text model learns from (corpus/author_*), read as flat rows, and the
embedding cache (git-ignored) so retraining does not encode 16,000 sentences again."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.understand.encoder import Encoder, spoken_form  # noqa: E402

CORPUS = ROOT / "corpus"
#: Every author's folder (corpus/blind/ is not one): authors are kept apart in training.
AUTHORS = tuple(sorted(p.name for p in CORPUS.glob("author_*") if p.is_dir()))
#: Safety files: author_a-c wrote safety_pos_*/safety_neg_*; author_d everyday_short and
#: concerns_short. Every yaml file but coaching.yaml holds safety answers.
COACHING_FILE = "coaching.yaml"
CATEGORY_NAMES = ("ordinary", "self_harm", "abuse", "eating")
LEVELS = {"ordinary": ("none",), "self_harm": ("help", "ask"), "abuse": ("help", "ask"),
          "eating": ("help", "ask")}  # fmt: skip
CACHE = ROOT / ".cache" / "text_model_embeddings.npz"


def _items(path: Path) -> list[dict]:
    """A file's items: a list, or a mapping with `items`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["items"] if isinstance(data, dict) else data


def valid(item: dict) -> bool:
    """Text, a known category and a level that fits it, and a family."""
    category = item.get("category")
    return (isinstance(item.get("text"), str) and bool(item["text"].strip())
            and category in LEVELS and item.get("level") in LEVELS[category]
            and bool(item.get("family")))  # fmt: skip


def safety_rows(author: str) -> list[dict]:
    """The author's safety answers; invalid labels and exact repeats of a text left out."""
    rows, seen = [], set()
    for path in sorted((CORPUS / author).glob("*.yaml")):
        if path.name == COACHING_FILE:
            continue
        for item in _items(path):
            if valid(item) and item["text"] not in seen:
                seen.add(item["text"])
                rows.append({**item, "author": author})
    return rows


def coaching_rows(author: str) -> list[dict]:
    path = CORPUS / author / COACHING_FILE
    return [{**item, "author": author} for item in _items(path)] if path.exists() else []


def _key(text: str) -> str:
    return hashlib.sha1(spoken_form(text).encode()).hexdigest()[:16]


def embed(texts: list[str], *, report: bool = True) -> np.ndarray:
    """Rows for `texts`, from the cache where it has them (encoded and cached otherwise)."""
    cached: dict[str, np.ndarray] = {}
    for part in sorted(CACHE.parent.glob(CACHE.stem + "*.npz")):  # the cache and helpers' parts
        with np.load(part) as f:
            cached.update(zip(f["keys"].tolist(), f["vectors"], strict=True))
    keys = [_key(t) for t in texts]
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cached}.items())
    if todo:
        encoder = Encoder()
        for n in range(0, len(todo), 200):
            chunk = todo[n : n + 200]
            for (k, _), v in zip(chunk, encoder.encode([t for _, t in chunk]), strict=True):
                cached[k] = v
            if report:
                print(f"  encoded {min(n + 200, len(todo))}/{len(todo)}", file=sys.stderr)
            if n % 1000 == 0 or n + 200 >= len(todo):
                CACHE.parent.mkdir(exist_ok=True)
                ks = sorted(cached)
                np.savez(CACHE, keys=np.array(ks), vectors=np.stack([cached[x] for x in ks]))
    return np.stack([cached[k] for k in keys])


if __name__ == "__main__":  # fill the cache
    texts = [r["text"] for a in AUTHORS for r in safety_rows(a) + coaching_rows(a)]
    print(f"{len(texts)} texts", file=sys.stderr)
    embed(texts)
