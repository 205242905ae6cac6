#!/usr/bin/env python3
"""What the learned text model costs each answer, on one thread: the safety check (rules and
model together, as the session runs it) and the coach's labels, per answer, and the memory the
model adds to the process (resident set, /proc/self/status).

The issue's targets: at most 100 ms an answer, at most 100 MB added. Answers are read from
corpus/author_a (spoken style, 3 to 80 words), each once (no vector remembered from before).

    OMP_NUM_THREADS=1 .venv/bin/python scripts/bench_text_model.py [--answers 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from text_model_data import coaching_rows, safety_rows  # noqa: E402

from assistant.base.settings import DIALOGS_DIR  # noqa: E402
from assistant.coach.analyse import assess  # noqa: E402
from assistant.coach.rules import load_coaching  # noqa: E402
from assistant.safety.check import load_safety  # noqa: E402
from assistant.safety.understood import UnderstoodCheck  # noqa: E402
from assistant.understand.model import shared_model  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--answers", type=int, default=200)
    args = ap.parse_args()
    rows = safety_rows("author_a")
    answers = [r["text"] for r in rows[:: max(1, len(rows) // args.answers)]][: args.answers]
    sentences = [r["text"] for r in coaching_rows("author_a")][: args.answers // 2]
    rules = load_safety(DIALOGS_DIR / "safety.yaml")
    coach = load_coaching(DIALOGS_DIR / "coaching.yaml")
    rules.check_all("warm up the rules")
    assess("warm up the rules", coach, model=False)
    before = rss_mb()
    started = time.perf_counter()
    model = shared_model()
    check = UnderstoodCheck(rules, model)
    check.check_all("the first answer loads the encoder")
    load_s = time.perf_counter() - started
    loaded = rss_mb()
    safety_ms, coach_ms, rules_ms = [], [], []
    for text in answers:
        t0 = time.perf_counter()
        rules.check_all(text)
        t1 = time.perf_counter()
        check.check_all(text + " ")  # a new text: the vector is not remembered
        t2 = time.perf_counter()
        rules_ms.append((t1 - t0) * 1000)
        safety_ms.append((t2 - t1) * 1000)
    for text in sentences:
        t0 = time.perf_counter()
        assess(text + " ", coach)
        coach_ms.append((time.perf_counter() - t0) * 1000)
    after = rss_mb()

    def line(name: str, ms: list[float]) -> str:
        q = statistics.quantiles(ms, n=20)
        return f"  {name:34s} median {statistics.median(ms):6.1f} ms   p95 {q[-1]:6.1f} ms"

    threads = os.environ["OMP_NUM_THREADS"]
    print(f"load average {os.getloadavg()[0]:.1f}; OMP_NUM_THREADS={threads}")
    print(f"model load and first answer: {load_s * 1000:.0f} ms")
    print(line(f"safety, rules alone ({len(answers)})", rules_ms))
    print(line(f"safety, rules + model ({len(answers)})", safety_ms))
    print(line(f"coach labels, rules + model ({len(sentences)})", coach_ms))
    print(f"memory: {before:.0f} MB before the model, {loaded:.0f} MB loaded "
          f"(+{loaded - before:.0f}), {after:.0f} MB after the answers "
          f"(+{after - before:.0f})")  # fmt: skip
    ok = statistics.median(safety_ms) <= 100 and after - before <= 100
    print("within the targets (100 ms an answer, 100 MB)" if ok else "OVER a target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
