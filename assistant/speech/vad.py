"""Voice activity detection: Silero VAD v5 on onnxruntime, and a hysteresis speech tracker.

The model scores windows of 512 samples at 16 kHz (32 ms). Silero v5 expects each window
with the last 64 samples of the previous one in front of it (576 in all), and a recurrent
state (2 x 1 x 128) carried from window to window; both are kept here. Time is counted in
samples, never read from a clock, so a WAV replays exactly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.base.errors import ModelMissingError
from assistant.speech.onnx_models import INSTALL_HINT, VAD_MODEL_PATH, open_session

SAMPLE_RATE_HZ = 16_000
WINDOW_SAMPLES = 512
CONTEXT_SAMPLES = 64
WINDOW_MS = WINDOW_SAMPLES * 1000 / SAMPLE_RATE_HZ  # 32 ms


class SileroVad:
    """Speech probability per 32 ms window, for a stream of 16 kHz int16 samples."""

    def __init__(self, model_path: Path = VAD_MODEL_PATH) -> None:
        self._session = open_session(model_path, "Silero VAD")
        names = sorted(i.name for i in self._session.get_inputs())
        if names != ["input", "sr", "state"]:  # what silero_vad.onnx v5 declares
            raise ModelMissingError(
                f"{model_path} is not Silero VAD v5 (inputs {names}); {INSTALL_HINT}"
            )
        self._rate = np.array(SAMPLE_RATE_HZ, dtype=np.int64)
        self.reset()

    def reset(self) -> None:
        """Forget the recurrent state, the context and any partial window (a new stream)."""
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros((1, CONTEXT_SAMPLES), dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self.windows_seen = 0

    def window_probability(self, window: np.ndarray) -> float:
        """Score exactly one window of 512 samples (int16, or float in [-1, 1])."""
        if window.shape != (WINDOW_SAMPLES,):
            raise ValueError(f"expected {WINDOW_SAMPLES} samples, got {window.shape}")
        x = _as_float(window)[np.newaxis, :]
        framed = np.concatenate((self._context, x), axis=1)
        out, self._state = self._session.run(
            None, {"input": framed, "state": self._state, "sr": self._rate}
        )
        self._context = framed[:, -CONTEXT_SAMPLES:]
        self.windows_seen += 1
        return float(out[0, 0])

    def feed(self, samples: np.ndarray) -> np.ndarray:
        """Probabilities for every window completed by `samples` (any length); the remainder
        waits for the next call."""
        buffered = np.concatenate((self._pending, _as_float(samples)))
        whole = len(buffered) // WINDOW_SAMPLES * WINDOW_SAMPLES
        probabilities = np.array(
            [
                self.window_probability(buffered[i : i + WINDOW_SAMPLES])
                for i in range(0, whole, WINDOW_SAMPLES)
            ],
            dtype=np.float32,
        )
        self._pending = buffered[whole:]
        return probabilities


def _as_float(samples: np.ndarray) -> np.ndarray:
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / 32768.0
    return samples.astype(np.float32, copy=False)


@dataclass(frozen=True)
class VadSettings:
    """When the probabilities count as speech starting or ending."""

    #: A window at or above this probability is speech.
    threshold: float = 0.5
    #: Inside speech, a window counts as silence only below threshold - release_margin
    #: (hysteresis, as Silero's own iterator does), so a soft syllable does not end speech.
    release_margin: float = 0.15
    #: Speech must last this long before it counts (ms): clicks and breaths are shorter.
    min_speech_ms: float = 96.0
    #: Silence must last this long before speech counts as ended (ms): gaps between words.
    min_silence_ms: float = 256.0

    def __post_init__(self) -> None:
        if not 0 < self.threshold < 1 or not 0 <= self.release_margin < self.threshold:
            raise ValueError("VadSettings: need 0 < threshold < 1, 0 <= release_margin < it")
        if self.min_speech_ms < 0 or self.min_silence_ms < 0:
            raise ValueError("VadSettings: durations must not be negative")


class Edge(enum.Enum):
    SPEECH_STARTED = "speech started"
    SPEECH_ENDED = "speech ended"


@dataclass(frozen=True)
class SpeechEdge:
    kind: Edge
    #: Where the change happened in the stream (samples): the first window of the speech, or
    #: the first window of the silence that ended it. Known later, once the minimum has passed.
    at_sample: int

    @property
    def at_s(self) -> float:
        return self.at_sample / SAMPLE_RATE_HZ


class SpeechTracker:
    """Turns per-window probabilities into speech started / ended edges, with hysteresis."""

    def __init__(self, settings: VadSettings = VadSettings()) -> None:
        self.settings = settings
        self.speech_windows = max(1, round(settings.min_speech_ms / WINDOW_MS))
        self._silence_windows = max(1, round(settings.min_silence_ms / WINDOW_MS))
        self.speaking = False
        self._window = 0  # index of the next window
        self._run = 0  # windows in a row that point the other way
        self._run_start = 0

    def update(self, probability: float) -> SpeechEdge | None:
        index = self._window
        self._window += 1
        if self.speaking:
            other_way = probability < self.settings.threshold - self.settings.release_margin
        else:
            other_way = probability >= self.settings.threshold
        if not other_way:
            self._run = 0
            return None
        if self._run == 0:
            self._run_start = index
        self._run += 1
        needed = self._silence_windows if self.speaking else self.speech_windows
        if self._run < needed:
            return None
        self.speaking = not self.speaking
        self._run = 0
        kind = Edge.SPEECH_STARTED if self.speaking else Edge.SPEECH_ENDED
        return SpeechEdge(kind, self._run_start * WINDOW_SAMPLES)


class VoiceActivity:
    """The model and the tracker together: feed 16 kHz int16 chunks, get speech edges."""

    def __init__(self, settings: VadSettings = VadSettings(), vad: SileroVad | None = None):
        self.vad = vad or SileroVad()
        self.vad.reset()
        self.tracker = SpeechTracker(settings)
        self.last_probability = 0.0
        #: Windows at or above the threshold since the current speech began (the state itself
        #: stays "speaking" for min_silence_ms after a short sound, so it cannot say how long
        #: someone has really spoken).
        self.voiced_windows = 0

    @property
    def speaking(self) -> bool:
        return self.tracker.speaking

    def feed(self, samples: np.ndarray) -> list[SpeechEdge]:
        edges = []
        threshold = self.tracker.settings.threshold
        for p in self.vad.feed(samples):
            self.last_probability = float(p)
            edge = self.tracker.update(float(p))
            if edge is not None:
                edges.append(edge)
                if edge.kind is Edge.SPEECH_STARTED:
                    self.voiced_windows = self.tracker.speech_windows  # those that started it
            elif self.tracker.speaking and p >= threshold:
                self.voiced_windows += 1
        return edges


def speech_segments(
    samples: np.ndarray, settings: VadSettings = VadSettings(), vad: SileroVad | None = None
) -> list[tuple[float, float]]:
    """(start_s, end_s) of each stretch of speech in a whole recording; speech still going at
    the end ends at the end."""
    activity = VoiceActivity(settings, vad)
    segments: list[tuple[float, float]] = []
    start: float | None = None
    for edge in activity.feed(samples):
        if edge.kind is Edge.SPEECH_STARTED:
            start = edge.at_s
        elif start is not None:
            segments.append((start, edge.at_s))
            start = None
    if start is not None:
        segments.append((start, len(samples) / SAMPLE_RATE_HZ))
    return segments
