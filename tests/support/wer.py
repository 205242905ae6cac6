"""Word error rate, and the plain Vosk loop the project's loop is compared with."""

from __future__ import annotations

import json

import numpy as np

from assistant.base.text import normalize


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize(reference).split(), normalize(hypothesis).split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(1, len(ref))


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
