#!/usr/bin/env python3
"""Score the learned safety layer on sets it was not trained or tuned on: rules alone, model
alone, and rules OR model (CombinedCheck: a model-only hit is an ASK-level concern), recall per
category and false alarms, each sentence as written and as spoken. Also the encoder's load
time, the memory it adds and the time per sentence.

    eval_safety_learned.py                   the held-out set and the learned-layer probes
    eval_safety_learned.py --set FILE.yaml   another labelled set (either layout)

A figure, not a test: run by hand, once per set (a set scored many times becomes tuning data).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from safety_learned_data import HELDOUT, PROBES, Labelled, labelled, spoken

from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import CATEGORIES, load_safety
from assistant.safety.learned import LEARNED_FAMILY, CombinedCheck, LearnedCheck

Judge = Callable[[str], str | None]  # the category raised for a sentence, or None


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def score(name: str, items: Labelled, judge: Judge) -> tuple[str, list[str]]:
    """One line of figures, and the sentences behind the misses and false alarms."""
    got = [(text, want, judge(text)) for text, want in items]
    parts, notes = [], []
    caught_all = total_all = 0
    for c in CATEGORIES:
        mine = [(t, g) for t, w, g in got if w == c]
        caught = sum(g == c for _, g in mine)
        caught_all += caught
        total_all += len(mine)
        parts.append(f"{c} {caught}/{len(mine)}")
        notes += [f"    missed ({c}): {t}" for t, g in mine if g != c]
    ordinary = [(t, g) for t, w, g in got if w is None]
    alarms = [(t, g) for t, g in ordinary if g is not None]
    notes += [f"    false alarm ({g}): {t}" for t, g in alarms]
    line = (
        f"  {name:<15} recall {caught_all}/{total_all} = {caught_all / total_all:.3f} "
        f"({', '.join(parts)}); false alarms {len(alarms)}/{len(ordinary)} = "
        f"{len(alarms) / len(ordinary):.3f}"
    )
    return line, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", help="a labelled YAML set")
    parser.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    sets = args.set or [HELDOUT, PROBES]

    rules = load_safety(DIALOGS_DIR / "safety.yaml")
    before = rss_mb()
    start = time.perf_counter()
    learned = LearnedCheck()
    learned.encoder  # noqa: B018 (load now, to time it)
    loaded_s = time.perf_counter() - start
    learned.score("a first sentence, to touch the weights")
    after = rss_mb()
    combined = CombinedCheck(rules, learned)
    print(
        f"encoder: loaded in {loaded_s * 1000:.0f} ms; RSS {before:.0f} -> {after:.0f} MB after "
        f"one sentence (+{after - before:.0f} MB); threshold {learned.weights.threshold}, "
        f"k {learned.weights.neighbours}"
    )

    def by_rules(text: str) -> str | None:
        c = rules.check(text)
        return c.category if c else None

    def by_combined(text: str) -> str | None:
        c = combined.check(text)
        return c.category if c else None

    timed = [0.0, 0]

    def by_model(text: str) -> str | None:
        t = time.perf_counter()
        out = learned.flagged(text)
        timed[0] += time.perf_counter() - t
        timed[1] += 1
        return out

    for path in sets:
        items = labelled(path)
        for form, shape in (("as written", str), ("as spoken", spoken)):
            shaped = [(shape(t), w) for t, w in items]
            print(f"{path.name}, {form}:")
            for name, judge in (
                ("rules", by_rules),
                ("model", by_model),
                ("rules OR model", by_combined),
            ):
                line, notes = score(name, shaped, judge)
                print(line)
                if args.verbose and name != "model":
                    print("\n".join(notes))
            added = [
                (t, w) for t, w in shaped if (c := combined.check(t)) and c.family == LEARNED_FAMILY
            ]
            right = sum(w is not None for _, w in added)
            print(
                f"  model-only ASK concerns: {len(added)} ({right} on concerning sentences, "
                f"{len(added) - right} on ordinary ones)"
            )
            if args.verbose:
                print("\n".join(f"    learned ASK ({w or 'ordinary'}): {t}" for t, w in added))
    print(
        f"model: {timed[0] / max(timed[1], 1) * 1000:.0f} ms per sentence "
        f"(mean of {timed[1]}; float16 weights widened per layer); RSS now {rss_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
