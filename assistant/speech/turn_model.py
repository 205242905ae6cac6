"""Smart Turn v3.2: the probability that what was just said is a finished turn.

The model (Daily, BSD-2) is a small Whisper-encoder classifier. Its input is what
transformers' WhisperFeatureExtractor(chunk_length=8) makes of the last 8 s of 16 kHz audio,
padded with zeros at the front when shorter (as pipecat's LocalSmartTurnAnalyzerV3 does):
the waveform scaled to zero mean and unit variance, a centred STFT (periodic Hann, n_fft 400,
hop 160), the power spectrum on 80 Slaney mel filters, log10, floored at 8 below the peak,
then (x + 4) / 4. That gives 80 x 800 features. The code below is our own numpy version,
checked against WhisperFeatureExtractor values in tests/unit/speech/test_turn_model.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from assistant.base.errors import ModelMissingError
from assistant.speech.onnx_models import INSTALL_HINT, TURN_MODEL_PATH, open_session

SAMPLE_RATE_HZ = 16_000
WINDOW_S = 8
WINDOW_SAMPLES = WINDOW_S * SAMPLE_RATE_HZ  # 128,000
N_FFT = 400
HOP_SAMPLES = 160
N_MELS = 80
N_FRAMES = WINDOW_SAMPLES // HOP_SAMPLES  # 800 (the STFT gives 801; Whisper drops the last)
_MEL_FLOOR = 1e-10
_VARIANCE_EPS = 1e-7
_DYNAMIC_RANGE = 8.0  # log10 units kept below the loudest value (80 dB)


def last_window(samples: np.ndarray) -> np.ndarray:
    """The last 8 s as float32 in [-1, 1], zeros in front when there is less."""
    x = samples.astype(np.float32) / 32768.0 if samples.dtype == np.int16 else samples
    x = np.asarray(x, dtype=np.float32)[-WINDOW_SAMPLES:]
    if len(x) < WINDOW_SAMPLES:
        x = np.concatenate((np.zeros(WINDOW_SAMPLES - len(x), dtype=np.float32), x))
    return x


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear (3 mels per 200 Hz) below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz * 3.0 / 200.0
    log = 15.0 + np.log(np.maximum(hz, 1e-12) / 1000.0) * (27.0 / np.log(6.4))
    return np.where(hz >= 1000.0, log, linear)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    linear = mel * 200.0 / 3.0
    log = 1000.0 * np.exp((mel - 15.0) * (np.log(6.4) / 27.0))
    return np.where(mel >= 15.0, log, linear)


@cache
def mel_filters() -> np.ndarray:
    """(80, 201) triangular filters from 0 to 8 kHz, each scaled to unit area (Slaney)."""
    bins_hz = np.linspace(0.0, SAMPLE_RATE_HZ / 2, N_FFT // 2 + 1)
    edges_hz = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE_HZ / 2), N_MELS + 2))
    lower, centre, upper = edges_hz[:-2, None], edges_hz[1:-1, None], edges_hz[2:, None]
    rising = (bins_hz - lower) / (centre - lower)
    falling = (upper - bins_hz) / (upper - centre)
    triangles = np.maximum(0.0, np.minimum(rising, falling))
    filters = triangles * (2.0 / (upper - lower))
    filters.flags.writeable = False
    return filters


@cache
def _hann() -> np.ndarray:
    """Periodic Hann window of N_FFT samples (torch.hann_window's default)."""
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(N_FFT) / N_FFT)
    window.flags.writeable = False
    return window


def log_mel_features(samples: np.ndarray) -> np.ndarray:
    """(80, 800) float32 features of the last 8 s of `samples` (16 kHz, int16 or float)."""
    x = last_window(samples)
    # Normalised over the whole padded window, in float32, like the reference.
    x = (x - x.mean()) / np.sqrt(x.var() + _VARIANCE_EPS)
    padded = np.pad(x.astype(np.float64), N_FFT // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP_SAMPLES]
    spectrum = np.fft.rfft(frames * _hann(), axis=1)  # (801, 201)
    power = spectrum.real**2 + spectrum.imag**2
    mel = mel_filters() @ power[:N_FRAMES].T  # (80, 800)
    log_mel = np.log10(np.maximum(mel, _MEL_FLOOR))
    log_mel = np.maximum(log_mel, log_mel.max() - _DYNAMIC_RANGE)
    return ((log_mel + 4.0) / 4.0).astype(np.float32)


@dataclass(frozen=True)
class TurnVerdict:
    #: Probability that the turn is complete, 0 to 1.
    probability: float
    features_ms: float
    model_ms: float


class TurnModel:
    """Smart Turn v3.2 on onnxruntime, one session, one thread."""

    def __init__(self, model_path: Path = TURN_MODEL_PATH, intra_op_threads: int = 1) -> None:
        self._session = open_session(model_path, "Smart Turn", intra_op_threads)
        shapes = {i.name: i.shape[1:] for i in self._session.get_inputs()}
        if shapes != {"input_features": [N_MELS, N_FRAMES]}:
            raise ModelMissingError(
                f"{model_path} is not Smart Turn v3 (inputs {shapes}); {INSTALL_HINT}"
            )

    def verdict(self, samples: np.ndarray) -> TurnVerdict:
        """Judge the audio heard so far (16 kHz int16; only the last 8 s are used)."""
        start = time.perf_counter()
        features = log_mel_features(samples)
        middle = time.perf_counter()
        probability = self.probability_of_features(features)
        end = time.perf_counter()
        return TurnVerdict(probability, (middle - start) * 1000, (end - middle) * 1000)

    def probability(self, samples: np.ndarray) -> float:
        """Probability that the turn is complete."""
        return self.verdict(samples).probability

    def probability_of_features(self, features: np.ndarray) -> float:
        """The model alone, on (80, 800) features from log_mel_features."""
        (out,) = self._session.run(None, {"input_features": features[np.newaxis]})
        # The graph ends in a sigmoid, so the output named "logits" is already a probability.
        return float(out[0, 0])
