#!/usr/bin/env python3
"""How accurately spoken answers are stored, and what the second pass costs, in one run.

Accuracy, on every recording of ../shared/speech with an exact text (NAME.exact.txt, else
NAME.txt; polar.txt and dagon.txt are imperfect on purpose and not used): each file is the answer
of `reflect journal --audio-in FILE --silent` (a child process, the CLI as shipped), and three
texts are scored against the exact one, per file and pooled (errors summed over words summed):
the stored answer, the live Vosk text kept beside it (`heard_live`), and a plain Vosk loop.
Both sides are normalised: lower case, no punctuation, numbers as words, fillers dropped.

Cost:
- the second pass's real-time factor on one thread (the answers' audio with plain Vosk words),
  wall and CPU time;
- answer end to accurate transcript stored: the second pass plus the journal write, per file
  (for a 15 s answer this is what a rehearsal's coach waits longer than before);
- the live loop's real-time factor (a whole spoken session from a WAV, in this process) with
  the second pass working beside it on another thread, against without, interleaved;
- peak memory of a spoken session (a child process, the flows harness) with and without it.

    .venv/bin/python scripts/bench_asr.py [--repeats 2] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "support")]

from assistant.audio.wav import read_wav  # noqa: E402
from assistant.journal.records import Turn  # noqa: E402
from assistant.journal.store import Journal  # noqa: E402
from assistant.speech.model import load_model  # noqa: E402
from assistant.speech.second_pass import SecondPass  # noqa: E402

from audio_helpers import silence  # noqa: E402
from wer import asr_errors  # noqa: E402

SHARED = Path(os.environ.get("REFLECT_SHARED_SPEECH") or ROOT.parent / "shared" / "speech")
IMPERFECT = {"polar", "dagon"}  # their .txt; their .exact.txt is used
MEMORY = """
import resource, sys
sys.path[:0] = [{root!r}, {tests!r}, {support!r}]
from pathlib import Path
from assistant.speech.model import load_model
from assistant.speech.second_pass import SecondPass
from flows import run_wav
second = SecondPass() if sys.argv[2] == "on" else None
result = run_wav("journal", Path(sys.argv[1]), data_dir=Path(sys.argv[3]), model=load_model(),
                 second_pass=second)
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, rss // 1024)
"""


def recordings() -> list[tuple[str, Path, str]]:
    found = []
    for wav in sorted(SHARED.glob("*.wav")):
        exact = wav.with_suffix(".exact.txt")
        text = exact if exact.exists() else wav.with_suffix(".txt")
        if (wav.stem in IMPERFECT and not exact.exists()) or not text.exists():
            continue
        found.append((wav.stem, wav, text.read_text()))
    return found


def vosk_words(model, samples: np.ndarray) -> tuple[str, list[dict]]:
    """The plain Vosk loop (4000-frame chunks): its text and timed words."""
    import vosk

    rec = vosk.KaldiRecognizer(model, 16000)
    rec.SetWords(True)
    words: list[dict] = []
    for i in range(0, len(samples), 4000):
        if rec.AcceptWaveform(samples[i : i + 4000].tobytes()):
            words += json.loads(rec.Result()).get("result", [])
    words += json.loads(rec.FinalResult()).get("result", [])
    return " ".join(w["word"] for w in words), words


def stored(wav: Path, data: Path) -> tuple[str, str]:
    """The stored answer and the live text of a `reflect journal` session on `wav`."""
    run = [sys.executable, "-m", "assistant"]
    subprocess.run([*run, "journal", "--audio-in", str(wav), "--silent", "--data-dir", str(data)],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    out = subprocess.run([*run, "export", "--data-dir", str(data)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    turns = [t for s in json.loads(out)["sessions"] for t in s["turns"]]
    answer = " ".join(t["answer"] for t in turns)
    return answer, " ".join(t.get("heard_live") or t["answer"] for t in turns)


def accuracy(files, model, tmp: Path) -> dict:
    rows, pooled = {}, {"stored": [0, 0], "live": [0, 0], "plain": [0, 0]}
    for name, wav, exact in files:
        answer, live = stored(wav, tmp / f"j-{name}")
        plain, _ = vosk_words(model, read_wav(wav).samples)
        row = {}
        for key, text in (("stored", answer), ("live", live), ("plain", plain)):
            errors, words = asr_errors(exact, text)
            pooled[key][0] += errors
            pooled[key][1] += words
            row[key] = round(errors / max(1, words), 3)
        rows[name] = row
        print(f"  {name:34s} stored {row['stored']:.3f}  live {row['live']:.3f}  "
              f"plain vosk {row['plain']:.3f}", flush=True)  # fmt: skip
    totals = {k: round(e / max(1, n), 4) for k, (e, n) in pooled.items()}
    print(f"  {'POOLED':34s} stored {totals['stored']:.4f}  live {totals['live']:.4f}  "
          f"plain vosk {totals['plain']:.4f}  ({pooled['stored'][1]} words)")  # fmt: skip
    return {"files": rows, "pooled": totals}


def second_pass_cost(files, model, second: SecondPass, tmp: Path) -> dict:
    """RTF, and answer end -> accurate text stored (journal write included), as the session runs
    it: SecondPass's worker (one thread, nice 10). Wall time, and the process's CPU time (the
    main thread only waits meanwhile), which the machine's other load does not inflate."""
    journal = Journal(tmp / "latency")
    sid = journal.start("journal")
    audio_s = wall_s = cpu_s = 0.0
    latency = {}
    for name, wav, _ in files:
        samples = read_wav(wav).samples
        _, words = vosk_words(model, samples)
        live = " ".join(w["word"] for w in words)
        turn_id = journal.add_turn(sid, Turn(prompt="p", answer=live))
        start, cpu = time.perf_counter(), time.process_time()
        text = second.submit(samples, words, 0.0).result()
        wall_s += time.perf_counter() - start
        cpu_s += time.process_time() - cpu
        journal.refine_turn(sid, turn_id, text, live)
        took = time.perf_counter() - start
        latency[name] = (round(len(samples) / 16000, 1), round(took, 2),
                         round(time.process_time() - cpu, 2))  # fmt: skip
        audio_s += len(samples) / 16000
    journal.close()
    print(f"  second pass RTF on one thread: {wall_s / audio_s:.3f} wall, {cpu_s / audio_s:.3f} "
          f"CPU ({wall_s:.1f} s, CPU {cpu_s:.1f} s, for {audio_s:.0f} s of speech)")  # fmt: skip
    for name, (seconds, took, cpu) in latency.items():
        print(f"  answer end -> stored: {name:34s} {seconds:5.1f} s answer: {took:.2f} s "
              f"(CPU {cpu:.2f} s)")  # fmt: skip
    return {"rtf_one_thread": round(wall_s / audio_s, 3), "rtf_cpu": round(cpu_s / audio_s, 3),
            "end_to_stored_s": latency}  # fmt: skip


def live_loop(files, model, second: SecondPass, repeats: int) -> dict:
    """A spoken session's wall time over its audio, alone, and with the second pass doing beside
    it the work it would do for that session (each answer once, on SecondPass's worker),
    interleaved."""
    from flows import run_wav

    chosen = files[:6]
    parts = []
    for _, wav, _ in chosen:
        parts += [silence(1.0), read_wav(wav).samples, silence(7.0)]
    session = np.concatenate(parts)
    audio_s = len(session) / 16000
    clips = [(read_wav(w).samples, vosk_words(model, read_wav(w).samples)[1]) for _, w, _ in chosen]

    def run(beside: bool) -> float:
        with tempfile.TemporaryDirectory() as data:
            start = time.perf_counter()
            jobs = [second.submit(audio, words, 0.0) for audio, words in clips] if beside else []
            run_wav("journal", session, data_dir=Path(data), model=model)
            took = time.perf_counter() - start
        for job in jobs:
            job.result()
        return took / audio_s

    alone, beside = [], []
    for _ in range(repeats):  # interleaved: the machine's load drifts
        alone.append(run(False))
        beside.append(run(True))
    a, b = statistics.median(alone), statistics.median(beside)
    print(f"  live loop RTF ({audio_s:.0f} s session, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}): alone {a:.3f}, with the second pass beside it {b:.3f}: "
          f"{b / a:.2f}x")  # fmt: skip
    return {"alone_rtf": round(a, 4), "beside_rtf": round(b, 4), "ratio": round(b / a, 3)}


def memory(files, tmp: Path) -> dict:
    wav = max(files, key=lambda f: read_wav(f[1]).duration_s)[1]
    code = MEMORY.format(root=str(ROOT), tests=str(ROOT / "tests"),
                         support=str(ROOT / "tests" / "support"))  # fmt: skip
    peak, end = {}, {}
    for mode in ("off", "on"):
        cmd = [sys.executable, "-c", code, str(wav), mode, str(tmp / f"m-{mode}")]
        out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        peak[mode], end[mode] = (int(v) for v in out.split()[:2])
    print(f"  memory of a spoken session ({wav.stem}): peak {peak['off']} MB without the second "
          f"pass, {peak['on']} MB with it (+{peak['on'] - peak['off']} MB); resident at its end "
          f"{end['off']} MB and {end['on']} MB (+{end['on'] - end['off']} MB)")  # fmt: skip
    return {"peak_without_mb": peak["off"], "peak_with_mb": peak["on"],
            "peak_added_mb": peak["on"] - peak["off"], "end_added_mb": end["on"] - end["off"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    files = recordings()
    if not files:
        raise SystemExit(f"bench_asr: no recordings with exact texts in {SHARED}")
    print(f"bench_asr: {len(files)} recordings, {os.cpu_count()} cores", flush=True)
    model = load_model()
    second = SecondPass()
    out = {}
    with tempfile.TemporaryDirectory(prefix="bench-asr-") as tmp:
        print("word error rate against the exact text:")
        out["accuracy"] = accuracy(files, model, Path(tmp))
        print("cost:")
        out["second_pass"] = second_pass_cost(files, model, second, Path(tmp))
        out["live_loop"] = live_loop(files, model, second, args.repeats)
        out["memory"] = memory(files, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
