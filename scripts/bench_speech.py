#!/usr/bin/env python3
"""The speech loop's cost, measured side by side in one run on the same audio.

For ../shared/speech and espeak-ng speech made now: the real-time factor of
`reflect journal --audio-in FILE --silent` and of a plain Vosk loop (Model, KaldiRecognizer,
AcceptWaveform in 4000-frame chunks, FinalResult), each a separate process with start-up included,
their ratio and both word error rates (medians of interleaved repeats); the peak resident memory
and time of a whole session from a long WAV (built here by concatenation) next to the plain loop
reading the same file 4000 frames at a time; start-up to the first prompt's
first audio sample (--audio-out, the file polled); and prompt ready to first audio sample for
pyttsx3 as used and the espeak-ng program. The machine's core count heads the output.

    .venv/bin/python scripts/bench_speech.py [--repeats 3] [--long-s 3600] [--json FILE]
        [--parts files,start,prompt,long]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from assistant.audio.wav import read_wav  # noqa: E402
from assistant.base.settings import VoiceSettings  # noqa: E402
from assistant.speech.voice import EspeakCliSynth, Pyttsx3Synth  # noqa: E402

from audio_helpers import conversation, write  # noqa: E402
from wer import word_error_rate  # noqa: E402

SHARED = ROOT.parent / "shared" / "speech"
ANSWERS = [
    "He cancelled our dinner plans at the last minute and did not say why.",
    "I felt that he does not want to spend time with me any more.",
    "My father often cancelled on me when I was a child.",
]
PLAIN = """
import sys
sys.path[:0] = [{root!r}, {tests!r}]
from assistant.audio.wav import read_wav
from assistant.speech.model import load_model
from wer import plain_vosk_transcript
print(plain_vosk_transcript(load_model(), read_wav(sys.argv[1]).samples))
"""


PLAIN_STREAMED = """
import json, sys, wave
sys.path[:0] = [{root!r}]
from assistant.speech.model import load_model
import vosk
rec = vosk.KaldiRecognizer(load_model(), 16000)
texts = []
with wave.open(sys.argv[1], "rb") as wav:
    while data := wav.readframes(4000):
        if rec.AcceptWaveform(data):
            texts.append(json.loads(rec.Result())["text"])
texts.append(json.loads(rec.FinalResult())["text"])
print(" ".join(t for t in texts if t))
"""


def _run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB, from wait4) and stdout of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.decode()[-400:]}")
    return seconds, usage.ru_maxrss // 1024, out.decode()


def _journal(wav: Path, data: Path) -> tuple[float, int, str]:
    cmd = [sys.executable, "-m", "assistant", "journal", "--audio-in", str(wav), "--silent"]
    seconds, rss, _ = _run([*cmd, "--data-dir", str(data)])
    exported = subprocess.run(
        [sys.executable, "-m", "assistant", "export", "--data-dir", str(data)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    sessions = json.loads(exported.stdout)["sessions"]
    text = " ".join(t["answer"] for s in sessions for t in s["turns"])
    return seconds, rss, text


def _plain(wav: Path) -> tuple[float, int, str]:
    code = PLAIN.format(root=str(ROOT), tests=str(ROOT / "tests" / "support"))
    return _run([sys.executable, "-c", code, str(wav)])


def _plain_streamed(wav: Path) -> tuple[float, int, str]:
    """Vosk's own example loop: the file read 4000 frames at a time (nothing held)."""
    code = PLAIN_STREAMED.format(root=str(ROOT))
    return _run([sys.executable, "-c", code, str(wav)])


def compare(name: str, wav: Path, reference: str, tmp: Path, repeats: int) -> dict:
    audio_s = read_wav(wav).duration_s
    ours, plain = [], []
    for i in range(repeats):  # interleaved: the machine's load drifts
        ours.append(_journal(wav, tmp / f"{name}-{i}"))
        plain.append(_plain(wav))
    med = statistics.median
    row = {
        "audio_s": round(audio_s, 1),
        "loop_s": round(med(r[0] for r in ours), 2),
        "plain_s": round(med(r[0] for r in plain), 2),
        "loop_wer": round(med(word_error_rate(reference, r[2]) for r in ours), 3),
        "plain_wer": round(med(word_error_rate(reference, r[2]) for r in plain), 3),
        "loop_rss_mb": max(r[1] for r in ours),
        "plain_rss_mb": max(r[1] for r in plain),
    }
    row["loop_rtf"] = round(row["loop_s"] / audio_s, 3)
    row["plain_rtf"] = round(row["plain_s"] / audio_s, 3)
    row["ratio"] = round(row["loop_s"] / row["plain_s"], 3)
    return row


def first_prompt_s(wav: Path, tmp: Path, repeats: int) -> float:
    """Start-up to the first audio sample of the first prompt in --audio-out (file polled).
    Warm, as on a second start: the project's bytecode is compiled first (an install or a first
    run writes it; PYTHONDONTWRITEBYTECODE, set in some sandboxes, would compile every module
    from source on every start: a fifth of the import time, measured here)."""
    compileall.compile_dir(ROOT / "assistant", quiet=1)
    times = []
    for i in range(repeats):
        out = tmp / f"first{i}.wav"
        cmd = [sys.executable, "-m", "assistant", "journal", "--audio-in", str(wav)]
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "--audio-out", str(out), "--data-dir", str(tmp / f"first{i}")],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while not (out.exists() and out.stat().st_size > 44) and proc.poll() is None:
            time.sleep(0.002)
        times.append(time.perf_counter() - start)
        proc.wait()
    return round(statistics.median(times), 3)


def prompt_to_audio_ms(repeats: int) -> dict:
    """A prompt's first sentence ready to its audio rendered (prompts render whole sentences)."""
    text = "What's on your mind tonight?"
    figures = {}
    for name, synth in (
        ("pyttsx3", Pyttsx3Synth(VoiceSettings())),
        ("espeak-ng", EspeakCliSynth(VoiceSettings())),
    ):
        synth.render("Hello.")  # the first call starts the engine: that is start-up, not this
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            synth.render(text)
            times.append((time.perf_counter() - start) * 1000)
        figures[name] = round(statistics.median(times))
        close = getattr(synth, "close", None)
        if close:
            close()
    return figures


def long_wav(path: Path, seconds: float) -> Path:
    """The shared recordings (or, without them, generated speech) one after another, 2 s apart,
    until `seconds` long: one long answer, so the whole file is heard. Written piece by piece."""
    names = [n for n in ("polar", "dagon") if (SHARED / f"{n}.wav").exists()]
    if names:
        pieces = [read_wav(SHARED / f"{n}.wav").samples for n in names]
    else:
        pieces = [conversation([answer]) for answer in ANSWERS]
    gap = np.zeros(32_000, np.int16)
    left, i = int(seconds * 16_000), 0
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        while left > 0:
            part = np.concatenate([pieces[i % len(pieces)], gap])[:left]
            out.writeframes(part.astype("<i2").tobytes())
            left -= len(part)
            i += 1
    return path


def long_session(tmp: Path, seconds: float) -> dict:
    """Peak RSS and wall time of a whole session from a long WAV and of the plain loop streaming
    the same file, run side by side (an hour each: the machine's load is then the same for both;
    each is one process on one core)."""
    long = long_wav(tmp / "long.wav", seconds)
    with ThreadPoolExecutor(max_workers=2) as pool:
        ours_job = pool.submit(_journal, long, tmp / "long")
        plain_job = pool.submit(_plain_streamed, long)
        ours, plain = ours_job.result(), plain_job.result()
    return {
        "audio_s": seconds,
        "loop_s": round(ours[0], 1),
        "plain_s": round(plain[0], 1),
        "ratio": round(ours[0] / plain[0], 3),
        "loop_rss_mb": ours[1],
        "plain_rss_mb": plain[1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--long-s", type=float, default=3600.0, help="long session, seconds")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--parts", default="files,start,prompt,long",
        help="which figures: files (ratio, WER), start, prompt, long (default: all)",
    )  # fmt: skip
    args = parser.parse_args()
    parts_wanted = set(args.parts.split(","))
    report: dict = {"cores": os.cpu_count(), "repeats": args.repeats, "files": {}}
    print(f"cores: {report['cores']}, medians of {args.repeats} interleaved runs")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        parts: list[str | float] = [1.0]
        for answer in ANSWERS:
            parts += [answer, 2.0]
        espeak = write(tmp / "espeak.wav", conversation(parts))
        files = [("espeak", espeak, " ".join(ANSWERS))]
        for name in ("polar", "dagon"):
            if (SHARED / f"{name}.wav").exists():
                files.append((name, SHARED / f"{name}.wav", (SHARED / f"{name}.txt").read_text()))
        for name, wav, reference in files if "files" in parts_wanted else []:
            row = report["files"][name] = compare(name, wav, reference, tmp, args.repeats)
            print(
                f"{name:8s} {row['audio_s']:6.1f} s | loop {row['loop_s']:5.2f} s "
                f"(RTF {row['loop_rtf']:.3f}, WER {row['loop_wer']:.3f}, {row['loop_rss_mb']} MB)"
                f" | plain {row['plain_s']:5.2f} s (RTF {row['plain_rtf']:.3f}, WER "
                f"{row['plain_wer']:.3f}, {row['plain_rss_mb']} MB) | ratio {row['ratio']:.3f}"
            )
        if "start" in parts_wanted:
            report["first_prompt_s"] = first_prompt_s(espeak, tmp, args.repeats)
            first = report["first_prompt_s"]
            print(f"start-up to the first prompt's first audio sample: {first} s")
        if "prompt" in parts_wanted:
            report["prompt_to_audio_ms"] = prompt_to_audio_ms(args.repeats)
            print(f"prompt ready to first audio sample: {report['prompt_to_audio_ms']} (ms)")
        if "long" in parts_wanted:
            row = report["long_session"] = long_session(tmp, args.long_s)
            print(
                f"whole session from a {args.long_s:.0f} s WAV: peak RSS {row['loop_rss_mb']} MB, "
                f"{row['loop_s']} s | plain loop streaming it: {row['plain_rss_mb']} MB, "
                f"{row['plain_s']} s | ratio {row['ratio']:.3f}"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
