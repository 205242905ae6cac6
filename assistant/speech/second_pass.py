"""The second pass: once an answer has ended, Whisper hears its audio again and writes it as
sentences, on a worker thread while the next question is spoken.

The live recogniser (Vosk) stays what turn-taking, commands and word times rest on; its words
also guard the second pass against Whisper's known failures:
- it invents text over silence ("Thank you for watching"): it is given only the stretches the
  voice activity detector (or Vosk) found speech in, and what it writes where Vosk heard nothing
  and it is itself unsure there was speech is dropped;
- it can skip part of a long answer: answers are cut into windows of at most `window_s` at
  pauses, and a window where it wrote far fewer words than Vosk heard keeps Vosk's words.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from assistant.base.text import normalize
from assistant.speech.vad import SileroVad, speech_segments
from assistant.speech.whisper_model import RATE_HZ, Decoded, WhisperMissing, WhisperModel

#: What Whisper writes over silence or noise, learned from subtitles; dropped where Vosk heard
#: nothing (a person may say "thank you" and Vosk hear it: then it stays).
INVENTED = re.compile(r"^(thank you|thanks)( (so much|very much))?( for watching| for listening)?$"
                      r"|subscribe|subtitles? by|^you$|^bye$")  # fmt: skip


#: The worker thread's nice value (0 is the live loop's): lower priority, same machine.
WORKER_NICE = 10


@dataclass(frozen=True)
class SecondPassSettings:
    window_s: float = 25.0  # at most this much speech per Whisper window (it reads 30 s)
    #: Audio kept either side of each stretch of speech: the detector marks its edges a window
    #: late and early, and Whisper hears better with the breath around words (pooled WER on
    #: ../shared/speech 0.080 with 0.2 s, 0.064 with 0.4 s; 0.069-0.073 with 0.3-0.6 s).
    pad_s: float = 0.4
    gap_s: float = 0.3  # quiet put between two stretches joined in one window
    margin_s: float = 0.5  # speech this far before Vosk's first word or after its last counts
    #: A window keeps Vosk's words when Whisper wrote fewer than this share of them ...
    keep_live_below: float = 0.6
    keep_live_min_words: int = 4  # ... and Vosk heard at least this many there
    #: Where Vosk heard nothing, Whisper's text counts only if it is this sure of speech.
    max_no_speech: float = 0.5
    min_avg_logprob: float = -1.0
    max_compression: float = 2.4  # Whisper's own sign of a loop
    max_more: float = 2.0  # or it wrote more than this many words for each Vosk heard


@dataclass(frozen=True)
class Window:
    """Stretches of speech (start, end in seconds of the answer's audio) heard as one."""

    spans: tuple[tuple[float, float], ...]

    def audio(self, samples: np.ndarray, gap: int) -> np.ndarray:
        quiet = np.zeros(gap, dtype=np.int16)
        parts = []
        for a, b in self.spans:
            parts += [samples[int(a * RATE_HZ) : int(b * RATE_HZ)], quiet]
        return np.concatenate(parts[:-1]) if parts else quiet

    def holds(self, word: dict, offset_s: float) -> bool:
        middle = (word["start"] + word["end"]) / 2 - offset_s
        return any(a <= middle <= b for a, b in self.spans)


def speech_spans(
    samples: np.ndarray, words: Sequence[dict], offset_s: float, settings: SecondPassSettings,
    vad: SileroVad | None = None,
) -> list[tuple[float, float]]:  # fmt: skip
    """Where there is speech in the answer's audio: what the detector found, plus any word Vosk
    heard outside it; padded, overlaps merged."""
    length = len(samples) / RATE_HZ
    spans = list(speech_segments(samples, vad=vad))
    if words:  # not the noise before the answer, nor a command said after it
        first = words[0]["start"] - offset_s - settings.margin_s
        last = words[-1]["end"] - offset_s + settings.margin_s
        spans = [(max(a, first), min(b, last)) for a, b in spans if b > first and a < last]
    spans += [(w["start"] - offset_s, w["end"] - offset_s) for w in words]
    pad = settings.pad_s
    merged: list[tuple[float, float]] = []
    for a, b in sorted((max(0.0, a - pad), min(length, b + pad)) for a, b in spans):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def windows(spans: Sequence[tuple[float, float]], window_s: float) -> list[Window]:
    """The spans grouped in order into windows of at most `window_s` of speech, cut at pauses;
    a span longer than that is cut into pieces."""
    pieces = []
    for a, b in spans:
        while b - a > window_s:
            pieces.append((a, a + window_s))
            a += window_s
        pieces.append((a, b))
    out: list[list[tuple[float, float]]] = []
    total = 0.0
    for a, b in pieces:
        if not out or total + (b - a) > window_s:
            out.append([])
            total = 0.0
        out[-1].append((a, b))
        total += b - a
    return [Window(tuple(w)) for w in out]


def as_sentence(words: Sequence[dict]) -> str:
    """Vosk's words, written as a sentence (where they stand in for Whisper's)."""
    text = " ".join(w["word"] for w in words)
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def timed_words(text: str, live: Sequence[dict]) -> list[dict]:
    """The words of `text` (the second pass's) with times taken from Vosk's words where the two
    agree, and spread over the stretch Vosk heard otherwise: what reads word times (a coach's
    pace and pauses) reads the accurate words on the live clock."""
    said = [w for w in (normalize(token).strip("'") for token in text.split()) if w]
    heard = [normalize(w["word"]) for w in live]
    out: list[dict] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, heard, said, autojunk=False).get_opcodes():
        if op == "equal":
            out += [{**live[i1 + k], "word": said[j1 + k]} for k in range(j2 - j1)]
        elif op in ("replace", "insert"):
            start = live[i1]["start"] if i1 < i2 else (out[-1]["end"] if out else 0.0)
            end = live[i2 - 1]["end"] if i1 < i2 else start
            step = (end - start) / (j2 - j1)
            out += [{"word": said[j1 + k], "start": round(start + k * step, 3),
                     "end": round(start + (k + 1) * step, 3), "conf": 1.0}
                    for k in range(j2 - j1)]  # fmt: skip
    return out


class Transcriber:
    """An answer's audio and the live words heard in it -> the accurate transcript."""

    def __init__(self, model: WhisperModel, settings: SecondPassSettings = SecondPassSettings()):
        self._model = model
        self._settings = settings
        self._vad = SileroVad()

    def transcribe(self, samples: np.ndarray, words: Sequence[dict], offset_s: float) -> str:
        """`samples`: 16 kHz int16 from `offset_s` on the live clock (where `words` are timed)."""
        s = self._settings
        end_s = offset_s + len(samples) / RATE_HZ
        beyond = [w for w in words if w["start"] >= end_s]  # past the audio kept: Vosk's words
        words = [w for w in words if w["start"] < end_s]
        spans = speech_spans(samples, words, offset_s, s, self._vad)
        texts = []
        for window in windows(spans, s.window_s):
            heard = [w for w in words if window.holds(w, offset_s)]
            decoded = self._model.decode(window.audio(samples, int(s.gap_s * RATE_HZ)))
            texts.append(self._choose(decoded, heard))
        return " ".join(t for t in (*texts, as_sentence(beyond)) if t)

    def _choose(self, decoded: Decoded, heard: Sequence[dict]) -> str:
        s, text = self._settings, decoded.text
        if not heard:  # Vosk heard nothing here: keep only what Whisper is sure is speech
            sure = decoded.no_speech < s.max_no_speech and decoded.avg_logprob > s.min_avg_logprob
            unsure = not sure
            return "" if unsure or INVENTED.search(normalize(text)) else text
        written = len(normalize(text).split())
        if decoded.compression > s.max_compression or written > s.max_more * len(heard) + 4:
            return as_sentence(heard)  # it went round in a loop
        if len(heard) >= s.keep_live_min_words and written < s.keep_live_below * len(heard):
            return as_sentence(heard)  # Whisper skipped a stretch here
        return text


class SecondPass:
    """The transcriber on one worker thread: `submit` an ended answer, get its accurate text
    later (None: no second pass, keep the live text). The model loads on the worker at once."""

    def __init__(
        self, load: Callable[[], WhisperModel] = WhisperModel,
        note: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
    ) -> None:  # fmt: skip
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="reflect-second-pass")
        self._note = note
        self._transcriber: Transcriber | None = None
        self.missing: str | None = None  # why there is no second pass
        self._loaded = self._worker.submit(self._load, load)

    def _load(self, load: Callable[[], WhisperModel]) -> None:
        # The live recogniser must never wait for this thread: on a busy machine the scheduler
        # gives it the core first (the model's own threads, made here, inherit it).
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
        try:
            self._transcriber = Transcriber(load())
        except WhisperMissing as exc:
            self.missing = f"{exc}; answers keep the live transcript"
            self._note(self.missing)

    def submit(self, samples: np.ndarray, words: Sequence[dict], offset_s: float) -> Future:
        return self._worker.submit(self._run, samples, tuple(words), offset_s)

    def _run(self, samples: np.ndarray, words: Sequence[dict], offset_s: float) -> str | None:
        if self._transcriber is None:
            return None
        try:
            return self._transcriber.transcribe(samples, words, offset_s)
        finally:
            _give_back()

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)


def _give_back() -> None:
    """Return the freed working memory of a window to the system (about 45 MB; glibc keeps it
    otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
