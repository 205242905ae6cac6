"""The voice: text -> audio buffer -> sink, so the session knows exactly when speaking ends.

pyttsx3's runAndWait returns before its audio starts on the first call and is known to hang in
some set-ups, so it is only used to synthesise into a file (no playback), on one worker thread,
with a time bound. If it fails or hangs, the espeak-ng command line takes over; if that fails too,
prompts are printed only. Playback belongs to the sink.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Protocol

import numpy as np

from assistant.audio.sinks import AudioSink, NullSink
from assistant.audio.wav import Audio, parse_wav, read_wav
from assistant.errors import AudioDeviceError, BadInputError
from assistant.settings import VoiceSettings

#: Sample rate of the quiet that `Voice.pause` plays (the WAV sink's own, so it is not resampled).
PAUSE_RATE_HZ = 22_050
#: A number as written: digit groups joined by single spaces or dashes, maybe a leading +.
_NUMBER = re.compile(r"(?<![\w+])\+?\d+(?:[ -]\d+)*(?!\w)")


class SynthesisError(Exception):
    pass


class Synthesizer(Protocol):
    name: str

    def render(self, text: str, slow: bool = False) -> Audio:
        """Speech for `text` at the settings' rate (`slow`: their slow rate)."""


def spoken(text: str) -> str:
    """Numbers of three digits or more are phone numbers here: said digit by digit, with a short
    pause (a comma) between their groups. espeak-ng would say "988" as "nine hundred eighty-eight"
    and read the dashes in "1-800-799-7233" aloud; this says "1, 8 0 0, 7 9 9, 7 2 3 3". Only
    the spoken form changes: the printed text keeps the number as written."""
    return _NUMBER.sub(_digits, text)


def _digits(match: re.Match[str]) -> str:
    number = match.group()
    if sum(c.isdigit() for c in number) < 3:
        return number  # "10 pm"
    plus = "plus " if number.startswith("+") else ""
    return plus + ", ".join(" ".join(group) for group in re.findall(r"\d+", number))


class Pyttsx3Synth:
    """pyttsx3 with espeak-ng, driven on one daemon thread so a hang cannot block the session."""

    name = "pyttsx3"

    def __init__(self, settings: VoiceSettings) -> None:
        self._settings = settings
        self._requests: queue.Queue[tuple[str, int, queue.Queue | None]] = queue.Queue()
        self._dir = tempfile.mkdtemp(prefix="reflect-voice-")
        self._thread = threading.Thread(target=self._work, name="reflect-tts", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        engine = None
        path = os.path.join(self._dir, "prompt.wav")
        # runAndWait can return before the file is written (seen on the first call, and under
        # load), so wait for the driver's own "finished" event, which follows the write.
        finished = threading.Event()
        rate = self._settings.rate_wpm
        while True:
            text, wanted_rate, reply = self._requests.get()
            if reply is None:  # close()
                return
            try:
                if engine is None:
                    import pyttsx3
                    import pyttsx3.drivers.espeak as espeak_driver

                    # The driver prints "Audio saved to ..." on stdout, which carries results.
                    espeak_driver.print = lambda *args, **kwargs: None
                    engine = pyttsx3.init("espeak")
                    engine.setProperty("rate", self._settings.rate_wpm)
                    engine.setProperty("volume", self._settings.volume)
                    engine.connect("finished-utterance", lambda **event: finished.set())
                if wanted_rate != rate:
                    engine.setProperty("rate", wanted_rate)
                    rate = wanted_rate
                finished.clear()
                engine.save_to_file(text, path)
                engine.runAndWait()
                if not finished.wait(self._settings.synth_timeout_s):
                    raise SynthesisError("pyttsx3 never finished the prompt")
                reply.put(read_wav(path, rate_hz=None))
                os.unlink(path)
            except BaseException as exc:  # report everything to the waiting caller
                reply.put(exc)

    def render(self, text: str, slow: bool = False) -> Audio:
        reply: queue.Queue = queue.Queue()
        self._requests.put((text, self._settings.rate(slow), reply))
        try:
            result = reply.get(timeout=self._settings.synth_timeout_s)
        except queue.Empty:
            raise SynthesisError(f"no audio after {self._settings.synth_timeout_s:g} s") from None
        if isinstance(result, BaseException):
            raise SynthesisError(str(result) or type(result).__name__)
        return result

    def close(self) -> None:
        self._requests.put(("", 0, None))
        shutil.rmtree(self._dir, ignore_errors=True)


class EspeakCliSynth:
    """The espeak-ng program writing WAV to stdout; a subprocess can always be timed out."""

    name = "espeak-ng"

    def __init__(self, settings: VoiceSettings) -> None:
        self._settings = settings

    def render(self, text: str, slow: bool = False) -> Audio:
        amplitude = str(int(self._settings.volume * 100))
        rate = str(self._settings.rate(slow))
        # The text goes on stdin: as an argument, a prompt starting with "-" would be an option.
        cmd = ["espeak-ng", "-s", rate, "-a", amplitude, "--stdout"]
        try:
            done = subprocess.run(
                cmd,
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self._settings.synth_timeout_s,
                check=True,
            )
            return parse_wav(done.stdout, rate_hz=None)
        except (OSError, subprocess.SubprocessError, BadInputError) as exc:
            raise SynthesisError(str(exc)) from None

    def close(self) -> None:
        pass


class Voice:
    """Prints every prompt, then speaks it through the first synthesiser that works.

    `say(text, slow=True)` is for what must be taken in (the safety flow): spoken at the
    synthesisers' slow rate and shown through `show_clearly` (default: `show`).
    """

    def __init__(
        self,
        synths: list[Synthesizer],
        sink: AudioSink,
        show: Callable[[str], None],
        warn: Callable[[str], None] = lambda msg: print(f"reflect: {msg}", file=sys.stderr),
        show_clearly: Callable[[str], None] | None = None,
    ) -> None:
        self._synths = list(synths)
        self._all = list(synths)
        self._sink = sink
        self._show = show
        self._show_clearly = show_clearly or show
        self._warn = warn

    def say(self, text: str, *, slow: bool = False) -> None:
        (self._show_clearly if slow else self._show)(text)
        audio = self._render(spoken(text), slow)
        if audio is not None:
            self._play(audio)

    def pause(self, seconds: float) -> None:
        """Quiet for `seconds`, through the sink: written into a WAV, waited out on a speaker,
        nothing when prompts are only printed."""
        if seconds > 0:
            self._play(Audio(np.zeros(round(seconds * PAUSE_RATE_HZ), np.int16), PAUSE_RATE_HZ))

    def _play(self, audio: Audio) -> None:
        try:
            self._sink.play(audio)
        except AudioDeviceError as exc:
            self._warn(f"{exc}; prompts are printed only from now on")
            self._sink.close()
            self._sink = NullSink()

    def _render(self, text: str, slow: bool) -> Audio | None:
        while self._synths:
            synth = self._synths[0]
            try:
                return synth.render(text, slow)
            except SynthesisError as exc:
                self._synths.pop(0)
                after = self._synths[0].name if self._synths else "printing prompts only"
                self._warn(f"speech with {synth.name} failed ({exc}); using {after}")
        return None

    def close(self) -> None:
        for synth in self._all:
            close = getattr(synth, "close", None)
            if close:
                close()
        self._sink.close()
