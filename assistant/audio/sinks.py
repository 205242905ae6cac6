"""Where the assistant's voice goes: speakers, a WAV file, or nowhere.

play() returns only when the audio has finished, so the caller knows exactly when speaking ends
(the listener ignores the microphone until then).
"""

from __future__ import annotations

import contextlib
import time
import wave
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.audio.wav import Audio, resample, to_int16
from assistant.base.errors import AudioDeviceError, BadInputError


class AudioSink(Protocol):
    def play(self, audio: Audio, gap_after: bool = True) -> None:
        """`gap_after` False: more of the same prompt follows at once (no pause between)."""

    def close(self) -> None: ...


class SpeakerSink:
    """The default (or chosen) output device through sounddevice, bounded so it cannot hang."""

    def __init__(self, device: int | str | None = None, slack_s: float = 2.0) -> None:
        import sounddevice as sd

        self._sd = sd
        self._device = device
        self._slack_s = slack_s

    def play(self, audio: Audio, gap_after: bool = True) -> None:
        sd = self._sd
        try:
            sd.play(audio.samples, audio.rate_hz, device=self._device)
            deadline = time.monotonic() + audio.duration_s + self._slack_s
            while sd.get_stream().active and time.monotonic() < deadline:
                time.sleep(0.02)
            sd.stop()
        except sd.PortAudioError as exc:
            raise AudioDeviceError(f"the speaker failed ({exc}); try --silent") from None

    def close(self) -> None:
        pass


class WavSink:
    """Writes everything the assistant says to one WAV file, prompts separated by short gaps.

    The header is patched after each prompt, so the file is valid even if the session dies.
    """

    def __init__(self, path: Path | str, rate_hz: int = 22_050, gap_s: float = 0.4) -> None:
        self._writer = WavWriter(path, rate_hz)
        self.path = self._writer.path
        self._rate_hz = rate_hz
        self._gap = np.zeros(int(gap_s * rate_hz), dtype=np.int16)

    def play(self, audio: Audio, gap_after: bool = True) -> None:
        samples = audio.samples
        if audio.rate_hz != self._rate_hz:
            samples = to_int16(resample(samples / 32768.0, audio.rate_hz, self._rate_hz))
        self._writer.write(np.concatenate([samples, self._gap]) if gap_after else samples)

    def close(self) -> None:
        self._writer.close()


class WavWriter:
    """A 16-bit mono WAV written as it goes; the header is patched on every write, so the file is
    valid even if the session dies. Failures are one line: unwritable path, full disk."""

    def __init__(self, path: Path | str, rate_hz: int) -> None:
        self.path = Path(path)
        try:
            self._file = open(self.path, "wb")  # noqa: SIM115 (closed in close())
        except OSError as exc:
            raise BadInputError(f"cannot write {self.path}: {exc.strerror}") from None
        self._out = wave.open(self._file, "wb")  # noqa: SIM115 (closed in close())
        self._out.setnchannels(1)
        self._out.setsampwidth(2)
        self._out.setframerate(rate_hz)

    def write(self, samples: np.ndarray) -> None:
        try:
            self._out.writeframes(samples.astype("<i2").tobytes())
        except OSError as exc:  # disk full, file removed from under us
            raise AudioDeviceError(f"cannot write {self.path}: {exc.strerror}") from None

    def close(self) -> None:
        # Already reported by write() if the disk filled up; closing must not fail again.
        with contextlib.suppress(OSError):
            self._out.close()
        with contextlib.suppress(OSError):
            self._file.close()


class NullSink:
    """--silent, or no speaker: prompts are only printed."""

    def play(self, audio: Audio, gap_after: bool = True) -> None:
        pass

    def close(self) -> None:
        pass
