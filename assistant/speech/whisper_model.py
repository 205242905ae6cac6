"""The second pass's model: Whisper base (OpenAI, MIT) as CTranslate2 weights, run with
faster-whisper, loaded by local path only (scripts/install_models.py puts it in models/).

Greedy decoding in English on one thread, int8: about a tenth of real time here, so the other
core keeps the live recogniser. A missing model or package is not an error: the session keeps
the live transcript, with one line saying why (`WhisperMissing`).
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.speech.onnx_models import INSTALL_HINT, MODELS_DIR

WHISPER_DIR = MODELS_DIR / "whisper-base"
WHISPER_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.json")
RATE_HZ = 16_000
MAX_WINDOW_S = 29.0  # the encoder reads at most 30 s
FULL_FRAMES = 3000  # 30 s of 10 ms feature frames
#: Quiet read after a shorter window: with less, Whisper base repeats a short answer ("I felt
#: alone. I felt alone. ...").
PAD_FRAMES = 300
TOKENS_PER_S = 8  # far above the fastest speech: a longer output is a loop
MAX_LENGTH = 448  # the decoder's limit


class WhisperMissing(Exception):
    """The second pass cannot run; the message is the one line the user sees."""


@dataclass(frozen=True)
class Decoded:
    """One stretch of speech as Whisper wrote it."""

    text: str
    no_speech: float  # the model's probability that there was no speech
    avg_logprob: float
    compression: float  # zlib's ratio on the text: high when it repeats itself (a loop)


def compression_ratio(text: str) -> float:
    data = text.encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0


class WhisperModel:
    """Whisper on 16 kHz int16 audio: `decode` one stretch of speech (at most 30 s)."""

    def __init__(self, path: Path = WHISPER_DIR, cpu_threads: int = 1) -> None:
        missing = [name for name in WHISPER_FILES if not (path / name).is_file()]
        if missing:
            raise WhisperMissing(f"the second-pass model {path / missing[0]} is missing; "
                                 f"{INSTALL_HINT}")  # fmt: skip
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local path never downloads; be sure
        try:
            import ctranslate2
            from faster_whisper import WhisperModel as _Model
            from faster_whisper.audio import pad_or_trim
            from faster_whisper.tokenizer import Tokenizer
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
        self._storage, self._pad = ctranslate2.StorageView.from_array, pad_or_trim
        self._tokenizer = Tokenizer(
            self._model.hf_tokenizer, self._model.model.is_multilingual, task="transcribe",
            language="en",
        )  # fmt: skip

    def decode(self, samples: np.ndarray) -> Decoded:
        """Whisper's text for at most MAX_WINDOW_S of int16 samples: greedy, English, no
        timestamps. The encoder reads the window and PAD_FRAMES of quiet, not the 30 s it was
        trained on: as accurate on ../shared/speech (scripts/bench_asr.py) at about half the
        cost, and a short answer costs little."""
        audio = samples[: int(MAX_WINDOW_S * RATE_HZ)].astype(np.float32) / 32768.0
        whisper = self._model
        features = whisper.feature_extractor(audio)
        frames = min(FULL_FRAMES, features.shape[-1] + PAD_FRAMES)
        features = np.ascontiguousarray(self._pad(features, length=frames)[np.newaxis])
        encoded = whisper.model.encode(self._storage(features))
        prompt = [*self._tokenizer.sot_sequence, self._tokenizer.no_timestamps]
        most = len(prompt) + int(TOKENS_PER_S * len(audio) / RATE_HZ) + 16  # no endless loop
        result = whisper.model.generate(
            encoded, [prompt], beam_size=1, max_length=min(most, MAX_LENGTH),
            return_scores=True, return_no_speech_prob=True, suppress_blank=True,
        )[0]  # fmt: skip
        tokens = result.sequences_ids[0]
        text = self._tokenizer.decode(tokens).strip()
        mean = result.scores[0] * len(tokens) / (len(tokens) + 1)  # as faster-whisper has it
        return Decoded(text, result.no_speech_prob, mean, compression_ratio(text))
