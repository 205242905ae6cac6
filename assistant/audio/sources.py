"""Where the user's audio comes from: a WAV file (replayed in audio time) or the microphone.

A source hands out chunks of 16 kHz mono int16 samples. Time is the count of samples read, so a
file replays a session exactly and as fast as the recogniser can go.
"""

from __future__ import annotations

import queue
from typing import Protocol

import numpy as np

from assistant.audio.wav import Audio
from assistant.errors import AudioDeviceError


class AudioSource(Protocol):
    rate_hz: int
    #: True for a live device: audio captured while the assistant speaks must be dropped.
    live: bool

    def read(self) -> np.ndarray | None:
        """The next chunk, or None at the end of the input."""

    def discard_buffered(self) -> None:
        """Drop what was captured so far (called when the assistant stops speaking)."""

    def close(self) -> None: ...


class WavSource:
    """Replays a file. The assistant's speaking time does not consume it (the file holds only the
    user's side of the conversation)."""

    live = False

    def __init__(self, audio: Audio, chunk_frames: int = 4_000) -> None:
        self.rate_hz = audio.rate_hz
        self._samples = audio.samples
        self._chunk = chunk_frames
        self._pos = 0

    def read(self) -> np.ndarray | None:
        if self._pos >= len(self._samples):
            return None
        chunk = self._samples[self._pos : self._pos + self._chunk]
        self._pos += len(chunk)
        return chunk

    def discard_buffered(self) -> None:
        pass

    def close(self) -> None:
        pass


class MicSource:
    """The microphone through sounddevice: a callback feeds a queue that read() drains."""

    live = True

    def __init__(
        self,
        device: int | str | None = None,
        rate_hz: int = 16_000,
        chunk_frames: int = 4_000,
        stall_s: float = 5.0,
    ) -> None:
        import sounddevice as sd

        self.rate_hz = rate_hz
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._stall_s = stall_s + chunk_frames / rate_hz
        try:
            self._stream = sd.InputStream(
                samplerate=rate_hz,
                blocksize=chunk_frames,
                device=device,
                channels=1,
                dtype="int16",
                callback=self._on_audio,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError, ValueError for a bad device name
            raise AudioDeviceError(
                f"cannot open the microphone ({exc}); try --typed or --audio-in FILE.wav"
            ) from None

    def _on_audio(self, indata: np.ndarray, frames: int, time: object, status: object) -> None:
        # Runs on the audio thread: copy and hand over, nothing else.
        self._queue.put(indata[:, 0].copy())

    def read(self) -> np.ndarray | None:
        try:
            return self._queue.get(timeout=self._stall_s)
        except queue.Empty:
            raise AudioDeviceError(
                f"the microphone delivered no audio for {self._stall_s:.0f} s; check the device "
                "or use --typed"
            ) from None

    def discard_buffered(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class RecordingSource:
    """Passes another source through and keeps what it read (--keep-audio only): the user's side
    of the conversation, without what the microphone caught while the assistant spoke."""

    def __init__(self, source: AudioSource) -> None:
        self._source = source
        self.rate_hz = source.rate_hz
        self.live = source.live
        self._chunks: list[np.ndarray] = []

    def read(self) -> np.ndarray | None:
        chunk = self._source.read()
        if chunk is not None:
            self._chunks.append(chunk)
        return chunk

    def discard_buffered(self) -> None:
        self._source.discard_buffered()

    def recording(self) -> Audio:
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return Audio(samples, self.rate_hz)

    def close(self) -> None:
        self._source.close()
