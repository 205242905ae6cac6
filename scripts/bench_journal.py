#!/usr/bin/env python3
"""Journal speed at 1, 100, 1,000 and 3,650 sessions (ten years of nightly use, 20 turns each):
saving one turn, and `reflect history`, for our journal and for plain TinyDB beside it.

Plain TinyDB is the obvious design: one JSON file, a document per session with its turns, each
turn saved by updating that document (which rewrites the whole file; no fsync). Ours saves a turn
by rewriting only that session's file, with fsync, atomically.

    .venv/bin/python scripts/bench_journal.py [--sizes 1,100,1000,3650] [--turns 20]
Figures on stdout; progress on stderr. Everything is built in a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tinydb import Query, TinyDB

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.journal.records import Turn  # noqa: E402
from assistant.journal.store import Journal  # noqa: E402

SAMPLE = (
    "i felt anxious when he did not answer my message for hours and i kept checking my phone "
    "wondering if i had said something wrong maybe i need to tell him how it feels calmly"
)
WORDS = SAMPLE.split()
PASS = "benchmark passphrase"


def answer(rng: random.Random) -> str:
    """A spoken answer: 20 to 110 words (the journal's answers are long, spoken paragraphs)."""
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 110)))


def session(n: int, turns: int, rng: random.Random) -> dict:
    start = datetime(2016, 1, 1, 21, tzinfo=timezone.utc) + timedelta(days=n)
    return {
        "id": f"{n:08x}",
        "script": "evening",
        "started_at": start.isoformat(timespec="seconds"),
        "ended_at": (start + timedelta(minutes=15)).isoformat(timespec="seconds"),
        "status": "completed",
        "owner": None,
        "turns": [
            {
                "state": f"q{t}",
                "prompt": "What happened today that stirred up a feeling of insecurity?",
                "answer": answer(rng),
                "at": start.isoformat(timespec="seconds"),
            }
            for t in range(turns)
        ],
    }


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def ours_save_turn(journal: Journal, turns: int, rng: random.Random) -> float:
    sid = journal.start("evening")
    times = []
    for t in range(turns):
        turn = Turn(state=f"q{t}", prompt="A question?", answer=answer(rng))
        began = time.perf_counter()
        journal.add_turn(sid, turn)
        times.append(time.perf_counter() - began)
    journal.finish(sid, "completed")
    return median_ms(times)


def cli_history_s(data: Path, env: dict[str, str], runs: int = 3) -> float:
    """`reflect history` as a user runs it: a new process, start-up included (best of runs)."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant", "history", "--data-dir", str(data)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - began)
    return min(times)


def plain_save_turn(db: TinyDB, sid: str, turns: int, rng: random.Random, most: int) -> float:
    table = db.table("sessions")
    table.insert({"id": sid, "script": "evening", "turns": []})
    times = []
    for t in range(min(turns, most)):
        turn = Turn(state=f"q{t}", prompt="A question?", answer=answer(rng))

        def append(doc: dict, turn: dict = turn) -> None:
            doc["turns"] = [*doc["turns"], turn]

        began = time.perf_counter()
        table.update(append, Query().id == sid)
        times.append(time.perf_counter() - began)
    return median_ms(times)


def in_process_s(run, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def history_lines(journal: Journal) -> list[str]:
    return [f"{s.id}  {s.script} {s.answers} answers" for s in journal.summaries()]


def plain_history_s(path: Path) -> float:
    def listing() -> list[str]:
        db = TinyDB(path)
        docs = db.table("sessions").all()
        db.close()
        return [f"{d['id']}  {d['script']} {len(d['turns'])} answers" for d in docs]

    return in_process_s(listing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000,3650")
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(7)
    env = {k: v for k, v in os.environ.items() if k != "REFLECT_PASSPHRASE"}

    print(f"sessions of {args.turns} turns; times are medians over the turns of one session")
    print("history: `reflect history` in a new process (start-up included); in-process: the")
    print("listing alone, for both designs")
    header = (
        f"{'sessions':>8}  {'ours MB':>7}  {'save turn':>9}  {'history':>7}  {'in-process':>10}"
        f"  |  {'plain MB':>8}  {'save turn':>9}  {'in-process':>10}"
    )
    print(header)
    with tempfile.TemporaryDirectory(prefix="bench-journal-") as tmp:
        data, plain = Path(tmp) / "ours", Path(tmp) / "plain.json"
        journal = Journal(data)
        plain_db = TinyDB(plain)
        built = 0
        for size in sizes:
            print(f"building {size} sessions ...", file=sys.stderr)
            new = [session(n, args.turns, rng) for n in range(built, size - 1)]
            journal.import_sessions(new)
            plain_db.table("sessions").insert_multiple(new)
            built = max(built, size - 1)
            # the size-th session is the one measured, saved turn by turn
            save = ours_save_turn(journal, args.turns, rng)
            history = cli_history_s(data, env)
            listing = in_process_s(lambda: history_lines(Journal(data, create=False)))
            mb = sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) / 1e6
            # plain TinyDB gets slow: 5 turns are enough for its median at the larger sizes
            p_save = plain_save_turn(plain_db, f"m{size}", args.turns, rng, 5 if size > 100 else 20)
            plain_db.table("sessions").remove(Query().id == f"m{size}")
            p_history = plain_history_s(plain)
            print(
                f"{size:>8}  {mb:>7.1f}  {save:>6.1f} ms  {history:>5.2f} s  {listing:>8.3f} s"
                f"  |  {plain.stat().st_size / 1e6:>8.1f}  {p_save:>6.1f} ms  {p_history:>8.3f} s",
                flush=True,
            )
            built += 1
        print(f"locked (scrypt + AES-GCM), {built} sessions:", file=sys.stderr)
        journal.lock(PASS)
        locked = Journal(data, passphrase=lambda: PASS)
        save = ours_save_turn(locked, args.turns, rng)
        history = cli_history_s(data, {**env, "REFLECT_PASSPHRASE": PASS})
        listing = in_process_s(
            lambda: history_lines(Journal(data, create=False, passphrase=lambda: PASS))
        )
        print(f"{'locked':>8}  {'':>7}  {save:>6.1f} ms  {history:>5.2f} s  {listing:>8.3f} s")
        plain_db.close()


if __name__ == "__main__":
    main()
