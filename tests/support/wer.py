"""Word error rate, and the plain Vosk loop the project's loop is compared with."""

from __future__ import annotations

import json

import numpy as np

from assistant.base.text import normalize

#: Dropped from both sides when scoring a transcript (scripts/bench_asr.py): hesitations.
FILLERS = frozenset({"uh", "um", "uhm", "er", "erm", "ah", "hmm", "mm", "mhm"})
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]  # fmt: skip
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_in_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} hundred" + (f" {number_in_words(rest)}" if rest else "")
    if n < 1_000_000:
        rest = n % 1000
        head = f"{number_in_words(n // 1000)} thousand"
        return head + (f" {number_in_words(rest)}" if rest else "")
    return " ".join(_ONES[int(d)] for d in str(n))


def asr_words(text: str) -> list[str]:
    """A transcript as scored: lower case, no punctuation, numbers as words, fillers dropped."""
    words = []
    for word in normalize(text.replace("-", " ")).split():
        word = word.strip("'")
        if word.isdigit():
            words += number_in_words(int(word)).split()
        elif word and word not in FILLERS:
            words.append(word)
    return words


def asr_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word errors, reference words), both sides normalised as `asr_words`: pooled over files,
    the errors and the words are summed."""
    ref = asr_words(reference)
    return _edits(ref, asr_words(hypothesis)), len(ref)


def asr_error_rate(reference: str, hypothesis: str) -> float:
    errors, words = asr_errors(reference, hypothesis)
    return errors / max(1, words)


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref = normalize(reference).split()
    return _edits(ref, normalize(hypothesis).split()) / max(1, len(ref))


def _edits(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def plain_vosk_transcript(model, samples: np.ndarray, chunk: int = 4000) -> str:
    """The baseline: one recogniser, 4000-frame chunks, every final result joined."""
    import vosk

    rec = vosk.KaldiRecognizer(model, 16000)
    texts = []
    for i in range(0, len(samples), chunk):
        if rec.AcceptWaveform(samples[i : i + chunk].tobytes()):
            texts.append(json.loads(rec.Result())["text"])
    texts.append(json.loads(rec.FinalResult())["text"])
    return " ".join(t for t in texts if t)
