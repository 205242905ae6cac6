"""Transports: input and output on one clock. Each input frame comes with the clock sample it
starts at and the output that played over the same span (the echo reference).

* `FileDuplex` (--audio-in FILE --duplex): the file is what the microphone heard from the start of
  the session; output is pulled frame by frame, so --audio-out is aligned sample for sample with
  the input, and a session replays exactly, as fast as recognition runs.
* `MicDuplex`: the microphone's blocks are the clock; each pulls a block of output for the
  speaker, so output and input share one count of samples.
* `HalfDuplex`: the first version's sources (a WAV of the person's side only, the microphone
  with prompts played whole) behind the same interface; nothing plays while it listens.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.audio.player import Player
from assistant.audio.sinks import WavWriter
from assistant.audio.sources import AudioSource
from assistant.audio.wav import Audio, HeldAudio, WavStream, reader
from assistant.base.errors import AudioDeviceError


@dataclass(frozen=True)
class Frame:
    start: int  #: clock sample of samples[0]
    samples: np.ndarray  #: what the microphone heard (int16)
    reference: np.ndarray | None  #: what played over the same span (int16), None if nothing can

    @property
    def end(self) -> int:
        return self.start + len(self.samples)


class Transport(Protocol):
    rate_hz: int
    #: Where the assistant's speech goes while listening; None: prompts play whole, unheard.
    player: Player | None
    #: How long after a sample is played its echo may still be heard (output + input latency).
    echo_delay_s: float
    #: Frames come in real time (a device), not as fast as they are read (a file).
    live: bool

    def read(self) -> Frame | None:
        """The next frame, or None at the end of the input."""

    def drop_buffered(self) -> None:
        """Half duplex only: drop what was captured while a prompt played."""

    def notes(self) -> list[str]:
        """Things worth one line at the end (input overflows)."""

    def close(self) -> None: ...


class AlignedWav(WavWriter):
    """--audio-out in duplex mode: every output sample at its clock position, silence included."""

    def __init__(self, path: Path | str, rate_hz: int = 16_000) -> None:
        super().__init__(path, rate_hz)


class FileDuplex:
    live = False
    echo_delay_s = 0.0  # the file's echo, if any, was recorded with it: nothing to add

    def __init__(
        self, audio: Audio | WavStream | HeldAudio, out: AlignedWav | None, frame_samples: int = 800
    ) -> None:
        self._audio = reader(audio)  # read as it is heard: an hour is not held
        self.rate_hz = self._audio.rate_hz
        self.player: Player | None = Player(self.rate_hz)
        self._out = out
        self._frame = frame_samples
        self._pos = 0

    def read(self) -> Frame | None:
        chunk = self._audio.read(self._frame)
        if not len(chunk):
            return None
        assert self.player is not None
        played = self.player.pull(len(chunk))
        if self._out is not None:
            self._out.write(played)
        frame = Frame(self._pos, chunk, played)
        self._pos += len(chunk)
        return frame

    def drop_buffered(self) -> None:
        pass

    def notes(self) -> list[str]:
        return []

    def close(self) -> None:
        self._audio.close()
        if self._out is not None:
            self._out.close()


class MicDuplex:
    """The microphone's stream is the clock: each input block pulls the same number of samples
    from the player, exactly as for a file, and hands them to the speaker's stream through a
    short queue (one PortAudio duplex stream through ALSA's pulse plugin underruns and stalls, so
    the two directions are separate streams). With no speaker the pulled output is written to
    `out`, or dropped."""

    live = True
    #: Output waiting for the speaker beyond this is dropped, so the echo delay stays bounded (s).
    MAX_QUEUED_S = 0.25
    #: Quiet waiting beyond this many blocks is dropped: the microphone's blocks come in bursts
    #: under load, and what they pulled then stayed queued, so every prompt started up to
    #: MAX_QUEUED_S late. Only silence is dropped, never speech.
    KEEP_QUIET_BLOCKS = 2

    def __init__(
        self,
        device: int | str | None = None,
        output_device: int | str | None = None,
        speaker: bool = True,
        out: AlignedWav | None = None,
        rate_hz: int = 16_000,
        frame_samples: int = 800,
        stall_s: float = 5.0,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        import sounddevice as sd

        self.rate_hz = rate_hz
        self.player: Player | None = Player(rate_hz)
        self._out = out
        self._on_close = on_close or (lambda: None)
        self._queue: queue.Queue[tuple[np.ndarray, np.ndarray]] = queue.Queue()
        self._stall_s = stall_s + frame_samples / rate_hz
        self._overflows = 0
        self._clock = 0
        self._lock = threading.Lock()
        self._pending = np.zeros(0, np.int16)  # pulled, not yet taken by the speaker
        self._max_pending = int(self.MAX_QUEUED_S * rate_hz)
        self._keep = self.KEEP_QUIET_BLOCKS * frame_samples
        self._speaker: object | None = None
        try:
            self._mic = sd.InputStream(
                samplerate=rate_hz,
                blocksize=frame_samples,
                device=device,
                channels=1,
                dtype="int16",
                callback=self._input,
            )
            if speaker:
                self._speaker = sd.OutputStream(
                    samplerate=rate_hz,
                    blocksize=frame_samples,
                    device=output_device,
                    channels=1,
                    dtype="int16",
                    latency="low",  # what the device holds still plays after a barge-in
                    callback=self._output,
                )
                self._speaker.start()
            self._mic.start()
        except Exception as exc:  # PortAudioError, ValueError for a bad device name
            raise AudioDeviceError(
                f"cannot open the sound device ({exc}); try --typed or --audio-in FILE.wav"
            ) from None
        self.echo_delay_s = float(self._mic.latency) + (
            float(self._speaker.latency) + self.MAX_QUEUED_S if self._speaker else 0.0
        )
        self.player.on_stop = self._drop_pending

    # Both callbacks run on the audio threads: copy, pull, hand over; nothing slow.
    def _input(self, indata, frames, time, status) -> None:
        if status.input_overflow:
            self._overflows += 1
        assert self.player is not None
        played = self.player.pull(frames)
        if self._speaker is not None:
            with self._lock:
                pending = np.concatenate([self._pending, played])
                extra = len(pending) - self._keep
                if extra > 0 and not pending[:extra].any():
                    pending = pending[extra:]  # only quiet was waiting: no need to wait
                self._pending = pending[-self._max_pending :]
        self._queue.put((indata[:, 0].copy(), played))

    def _output(self, outdata, frames, time, status) -> None:
        with self._lock:
            take = self._pending[:frames]
            self._pending = self._pending[frames:]
        outdata[: len(take), 0] = take
        outdata[len(take) :, 0] = 0

    def _drop_pending(self) -> None:
        with self._lock:
            self._pending = np.zeros(0, np.int16)

    def read(self) -> Frame | None:
        try:
            samples, played = self._queue.get(timeout=self._stall_s)
        except queue.Empty:
            raise AudioDeviceError(
                f"the sound device delivered no audio for {self._stall_s:.0f} s (was it "
                "unplugged?); every answer so far is saved"
            ) from None
        if self._out is not None:
            self._out.write(played)
        frame = Frame(self._clock, samples, played)
        self._clock += len(samples)
        return frame

    def drop_buffered(self) -> None:
        pass

    def notes(self) -> list[str]:
        if not self._overflows:
            return []
        return [f"the microphone overflowed {self._overflows} times (audio was lost there)"]

    def close(self) -> None:
        for stream in (self._mic, self._speaker):
            with contextlib.suppress(Exception):
                stream.stop()  # type: ignore[union-attr]
                stream.close()  # type: ignore[union-attr]
        if self._out is not None:
            self._out.close()
        self._on_close()


class HalfDuplex:
    """A first-version source: the listener is deaf while a prompt plays whole."""

    player: Player | None = None
    echo_delay_s = 0.0

    def __init__(self, source: AudioSource) -> None:
        self.source = source
        self.rate_hz = source.rate_hz
        self.live = source.live
        self._clock = 0

    def read(self) -> Frame | None:
        samples = self.source.read()
        if samples is None:
            return None
        frame = Frame(self._clock, samples, None)
        self._clock += len(samples)
        return frame

    def drop_buffered(self) -> None:
        if self.source.live:
            self.source.discard_buffered()

    def notes(self) -> list[str]:
        notes = getattr(self.source, "notes", None)
        return notes() if notes else []

    def close(self) -> None:
        self.source.close()


class Recorded:
    """Passes a transport through and keeps what the microphone heard (--keep-audio only)."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self.rate_hz = transport.rate_hz
        self.player = transport.player
        self.echo_delay_s = transport.echo_delay_s
        self.live = transport.live
        self._chunks: list[np.ndarray] = []

    def read(self) -> Frame | None:
        frame = self._transport.read()
        if frame is not None:
            self._chunks.append(frame.samples)
        return frame

    def drop_buffered(self) -> None:
        self._transport.drop_buffered()

    def notes(self) -> list[str]:
        return self._transport.notes()

    def recording(self) -> Audio:
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return Audio(samples, self.rate_hz)

    def close(self) -> None:
        self._transport.close()
