"""A WAV file of the person's side only, replayed in audio time (half duplex; the microphone and
--duplex files are transports in duplex.py).

A source hands out chunks of 16 kHz mono int16 samples. Time is the count of samples read, so a
file replays a session exactly and as fast as the recogniser can go.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from assistant.audio.wav import Audio, HeldAudio, WavStream, reader


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
    """Replays a file (or audio in memory) as it is read. The assistant's speaking time does not
    consume it (the file holds only the user's side of the conversation)."""

    live = False

    def __init__(self, audio: Audio | WavStream | HeldAudio, chunk_frames: int = 4_000) -> None:
        self._audio = reader(audio)
        self.rate_hz = self._audio.rate_hz
        self._chunk = chunk_frames

    def read(self) -> np.ndarray | None:
        chunk = self._audio.read(self._chunk)
        return chunk if len(chunk) else None

    def discard_buffered(self) -> None:
        pass

    def close(self) -> None:
        self._audio.close()
