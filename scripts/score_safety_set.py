#!/usr/bin/env python3
"""Score a blind safety set (YAML: items with text, category, level, family) with the rules alone
and with the rules plus the learned text model, as the session uses them. Prints recall per category
and per family, and false alarms per family of ordinary answers. A concerning item counts as
caught when a concern of its category is raised: at the ASK level the flow then asks its direct
question (an own concern) or gives the help (someone else's), at the HELP level it gives the
help. An ordinary item with any concern is a false alarm. An answer mostly in another language
is told that the check reads English only, with the help line: counted as caught when it is a
concern, and listed apart.

    .venv/bin/python scripts/score_safety_set.py tests/data/safety_blind2.yaml [--misses]
    .venv/bin/python scripts/score_safety_set.py corpus/blind/safety_*.yaml  (files: one set)
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.base.settings import DIALOGS_DIR  # noqa: E402
from assistant.safety.check import Concern, load_safety  # noqa: E402
from assistant.safety.understood import UnderstoodCheck  # noqa: E402

NAMES = {"self_harm": "self-harm", "abuse": "abuse", "eating": "eating"}


def score(items: list[dict], check, misses: bool) -> dict:
    per_cat: dict[str, list[bool]] = defaultdict(list)
    per_family: dict[str, list[bool]] = defaultdict(list)
    alarms: dict[str, list[bool]] = defaultdict(list)
    asked_right = []
    told: dict[str, int] = defaultdict(int)  # another language, by category
    foreign = getattr(check, "foreign", lambda text: False)
    for item in items:
        concerns = check.check_all(item["text"])
        if foreign(item["text"]):  # told so, with the help line
            told[item["category"]] += 1
            if item["category"] != "ordinary":
                concerns = [Concern(NAMES[item["category"]], reported=False)]
        if item["category"] == "ordinary":
            alarms[item["family"]].append(bool(concerns))
            if concerns and misses:
                print(f"    false alarm ({concerns[0].category}): {item['text']}")
            continue
        want = NAMES[item["category"]]
        caught = any(c.category == want for c in concerns)
        per_cat[f"{want} ({item['level']})"].append(caught)
        per_family[f"{want}: {item['family']}"].append(caught)
        if item["level"] == "ask":
            asked_right.append(caught)
        if not caught and misses:
            print(f"    missed ({want}): {item['text']}")
    return {"cat": per_cat, "family": per_family, "alarms": alarms, "told": told}


def frac(values: list[bool]) -> str:
    return f"{sum(values)}/{len(values)} = {sum(values) / len(values):.3f}" if values else "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set", type=Path, nargs="+")
    ap.add_argument("--misses", action="store_true", help="print the misses and false alarms")
    args = ap.parse_args()
    items = [i for path in args.set for i in yaml.safe_load(path.read_text())["items"]]
    rules = load_safety(DIALOGS_DIR / "safety.yaml")
    checks = {"rules": rules, "rules + model": UnderstoodCheck(rules)}
    results = {}
    for name, check in checks.items():
        if args.misses:
            print(f"{name}:")
        results[name] = score(items, check, args.misses)
    for name, r in results.items():
        every = [x for v in r["cat"].values() for x in v]
        alarms = [x for v in r["alarms"].values() for x in v]
        print(f"\n{name}: recall {frac(every)}; false alarms {frac(alarms)}")
        if r["told"]:
            print(f"  told 'English only' with the help line: {dict(r['told'])}")
        for category in NAMES.values():
            mine = [x for k, v in r["cat"].items() if k.startswith(category) for x in v]
            levels = ", ".join(f"{k.split('(')[1][:-1]} {frac(v)}" for k, v in sorted(
                r["cat"].items()) if k.startswith(category))  # fmt: skip
            print(f"  {category:10s} {frac(mine)}  ({levels})")
    print("\nper family (rules | rules + model):")
    a, b = results["rules"], results["rules + model"]
    for family in sorted(a["family"]):
        print(f"  {family:45s} {frac(a['family'][family]):>16s} | {frac(b['family'][family])}")
    print("\nfalse alarms per family of ordinary answers (rules | rules + model):")
    for family in sorted(a["alarms"]):
        x, y = a["alarms"][family], b["alarms"][family]
        if any(x) or any(y):
            print(f"  {family:45s} {sum(x)}/{len(x)} | {sum(y)}/{len(y)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
