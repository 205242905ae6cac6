"""Choosing the text model's thresholds on answers of an author the heads were not trained on:
each author is left out in turn, and the pooled left-out predictions are scored the way the
session uses them (assistant/safety/understood.decide: rules and model together)."""

from __future__ import annotations

import numpy as np
from text_model_data import coaching_rows, embed
from text_model_fit import predict

from assistant.base.settings import DIALOGS_DIR
from assistant.coach.analyse import assess
from assistant.coach.rules import load_coaching
from assistant.coach.score import LABELS
from assistant.safety.check import load_safety
from assistant.safety.understood import SHORT_WORDS, Reading, decide

NAMES = {1: "self-harm", 2: "abuse", 3: "eating"}
RAISE = np.round([*np.arange(0.30, 0.96, 0.05), 0.98, 0.99, 0.995], 3)
CONTEXT = np.round(np.arange(0.50, 0.96, 0.05), 2)
URGENT = 0.5
#: A concern only the model raised is HELP (not ASK) only this sure (a policy, not tuned: the
#: left-out scores count a concern as caught at either level).
HELP_SURE = 0.95
#: The issue's targets: 0.10 on hard look-alikes, 0.005 on everyday answers. Everyday answers
#: (long and short apart) come first: they are what the assistant hears every evening, and a
#: question about abuse after "my dad was often away" is the costliest mistake there. No setting
#: reaches 0.10 on look-alikes with a useful recall, so there the nearest wins.
HARD_FA, EVERYDAY_FA, BLAME_PRECISION = 0.10, 0.005, 0.90


def _readings(heads, x) -> list[Reading]:
    p = predict(heads["safety"], x)
    urgent, ctx = predict(heads["urgent"], x), predict(heads["context"], x)
    return [
        Reading({n: float(p[i, k]) for k, n in NAMES.items()}, float(urgent[i]), float(ctx[i]))
        for i in range(len(x))
    ]


def safety_scores(rows, readings, rule_concerns, t) -> dict[str, float]:
    caught, hard, everyday, short = [], [], [], []
    for r, reading, rules in zip(rows, readings, rule_concerns, strict=True):
        words = len(r["text"].split())
        concerns = decide(rules, reading, t, words)
        if r["category"] != "ordinary":
            caught.append(any(c.category == NAMES[_cat(r)] for c in concerns))
        elif r["family"] == "everyday":
            everyday.append(bool(concerns))
            if words < SHORT_WORDS:
                short.append(bool(concerns))
        else:
            hard.append(bool(concerns))
    return {"recall": np.mean(caught), "hard": np.mean(hard), "everyday": np.mean(everyday),
            "short": np.mean(short) if short else 0.0, "n_short": len(short)}  # fmt: skip


def _cat(r) -> int:
    return ("ordinary", "self_harm", "abuse", "eating").index(r["category"])


def choose(folds, safety_data, train_safety, train_coach, settings):
    rules = load_safety(DIALOGS_DIR / "safety.yaml")
    rows, readings, rule_concerns = [], [], []
    crow, cprob = [], []
    for trained_on, out in folds:
        tr, x, cat = safety_data(trained_on)
        heads = train_safety(tr, x, cat, settings)
        te, xt, _ = safety_data((out,))
        rows += te
        readings += _readings(heads, xt)
        rule_concerns += [rules.check_all(r["text"]) for r in te]
        cte = coaching_rows(out)
        if not cte:  # an author of safety answers only (author_d)
            continue
        ctr = [r for a in trained_on for r in coaching_rows(a)]
        cheads = train_coach(ctr, embed([r["text"] for r in ctr]).astype(np.float64), settings)
        xc = embed([r["text"] for r in cte]).astype(np.float64)
        crow += cte
        columns = [predict(cheads[label], xc) for label in LABELS]
        cprob += [dict(zip(LABELS, ps, strict=True)) for ps in zip(*columns, strict=True)]
    lines = [f"left-out safety answers: {len(rows)}; coaching sentences: {len(crow)}"]
    none = {c: 0.0 for c in NAMES.values()}
    never = {"raise": 2.0, "raise_short": 2.0, "context": 2.0, "urgent": URGENT, "help_sure": 2.0}
    base = safety_scores(rows, [Reading(none, 0.0, 0.0)] * len(rows), rule_concerns, never)
    lines.append(f"rules alone: {_line(base)}")
    # First `raise` and `context` (short answers at the highest bar), then the short answers'
    # own bar: two small grids rather than one large one.
    first = [{"raise": r_t, "raise_short": RAISE[-1], "context": c_t, "urgent": URGENT,
              "help_sure": HELP_SURE} for r_t in RAISE for c_t in CONTEXT]  # fmt: skip
    best, best_s = _best(first, rows, readings, rule_concerns)
    second = [{**best, "raise_short": s_t} for s_t in RAISE]
    best, best_s = _best(second, rows, readings, rule_concerns)
    lines.append(f"chosen {best}: {_line(best_s)}")
    thresholds = {k: float(v) for k, v in best.items()}
    thresholds.update(_coach(crow, cprob, lines))
    return thresholds, lines


def _best(grid, rows, readings, rule_concerns):
    """The setting of the most recall within the false-alarm limits (or nearest to them)."""
    best, best_key, best_s = None, None, None
    for t in grid:
        s = safety_scores(rows, readings, rule_concerns, t)
        everyday_ok = max(s["everyday"], s["short"]) <= EVERYDAY_FA
        ok = everyday_ok and s["hard"] <= HARD_FA
        score = s["recall"] - (0 if ok else s["hard"] + 10 * s["everyday"])
        key = (everyday_ok, ok, round(score, 3))
        if best_key is None or key > best_key:
            best, best_key, best_s = t, key, s
    return best, best_s


def _line(s) -> str:
    return (f"recall {s['recall']:.3f}, hard look-alikes {s['hard']:.3f}, "
            f"everyday {s['everyday']:.4f} (of them under {SHORT_WORDS} words: "
            f"{s['short']:.4f} of {s['n_short']})")  # fmt: skip


def _coach(rows, probs, lines) -> dict[str, float]:
    coach = load_coaching(DIALOGS_DIR / "coaching.yaml")
    by_rules = [{label: assess(r["text"], coach, model=False).has(kind)
                 for label, kind in LABELS.items()} for r in rows]  # fmt: skip
    out = {}
    for label in LABELS:
        want = np.array([bool(r[label]) for r in rows])
        rule = np.array([d[label] for d in by_rules])
        p = np.array([q[label] for q in probs])
        lines.append(f"coach {label}: rules alone {_pr(want, rule)}")
        best = None
        for t in np.round(np.arange(0.2, 0.96, 0.05), 2):
            for how, got in (("model", p >= t), ("rules or model", rule | (p >= t))):
                prec = (want & got).sum() / max(got.sum(), 1)
                rec = (want & got).sum() / max(want.sum(), 1)
                errors = (want != got).mean()
                ok = label != "blame" or prec >= BLAME_PRECISION
                key = (ok, rec if label == "blame" else -errors)
                if best is None or key > best[0]:
                    best = (key, t, how, got)
        _, t, how, got = best
        lines.append(f"  chosen {how} at {t}: {_pr(want, got)}")
        out[label] = float(t)
    return out


def _pr(want, got) -> str:
    prec = (want & got).sum() / max(got.sum(), 1)
    rec = (want & got).sum() / max(want.sum(), 1)
    return f"precision {prec:.3f} recall {rec:.3f} errors {(want != got).mean():.3f}"
