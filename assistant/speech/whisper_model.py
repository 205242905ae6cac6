"""The second pass's model: Whisper base (OpenAI, MIT) as CTranslate2 weights, run with
faster-whisper, loaded by local path only (scripts/install_models.py puts it in models/).

Greedy decoding in English on one thread, int8: about a tenth of real time here, so the other
core keeps the live recogniser. A missing model or package is not an error: the session keeps
the live transcript, with one line saying why (`WhisperMissing`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.speech.onnx_models import INSTALL_HINT, MODELS_DIR

WHISPER_DIR = MODELS_DIR / "whisper-base"
WHISPER_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.json")
RATE_HZ = 16_000


class WhisperMissing(Exception):
    """The second pass cannot run; the message is the one line the user sees."""


@dataclass(frozen=True)
class Decoded:
    """One stretch of speech as Whisper wrote it."""

    text: str
    no_speech: float  # the model's probability that there was no speech
    avg_logprob: float


class WhisperModel:
    """Whisper on 16 kHz int16 audio: `decode` one stretch of speech (at most 30 s)."""

    def __init__(self, path: Path = WHISPER_DIR, cpu_threads: int = 1) -> None:
        missing = [name for name in WHISPER_FILES if not (path / name).is_file()]
        if missing:
            raise WhisperMissing(f"the second-pass model {path / missing[0]} is missing; "
                                 f"{INSTALL_HINT}")  # fmt: skip
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local path never downloads; be sure
        try:
            from faster_whisper import WhisperModel as _Model
        except ImportError as exc:
            raise WhisperMissing(f"faster-whisper is missing ({exc}); {INSTALL_HINT}") from None
        try:
            self._model = _Model(
                str(path), device="cpu", compute_type="int8", cpu_threads=cpu_threads,
                num_workers=1, local_files_only=True,
            )  # fmt: skip
        except (RuntimeError, ValueError, OSError) as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise WhisperMissing(f"the second-pass model {path} could not be loaded ({first}); "
                                 f"{INSTALL_HINT}") from None  # fmt: skip

    def decode(self, samples: np.ndarray, prompt: str | None = None) -> Sequence[Decoded]:
        """Whisper's segments for int16 samples: greedy, English, no timestamps, no context
        carried between windows (a hallucination must not feed the next one)."""
        audio = samples.astype(np.float32) / 32768.0
        segments, _ = self._model.transcribe(
            audio, language="en", beam_size=1, best_of=1, temperature=0.0,
            condition_on_previous_text=False, without_timestamps=True, vad_filter=False,
            initial_prompt=prompt,
        )  # fmt: skip
        return [Decoded(s.text.strip(), s.no_speech_prob, s.avg_logprob) for s in segments]
