"""The voice: text -> audio buffer -> the player (full duplex) or a sink (half duplex).

A prompt is rendered part by part (sentences; a neural voice's pieces) on a worker thread, each
played as soon as it is ready. Full duplex: queued on the player while the listener hears it out
(`Ears.hear_out`) and may stop it (barge-in); after an interruption, prompts until the next listen
are printed, not spoken: the person is speaking. Half duplex (typed, a WAV of the person's side):
a sink plays the parts (pyttsx3 and espeak-ng render a prompt whole there, as one part).

pyttsx3's runAndWait returns before its audio starts on the first call and is known to hang in
some set-ups, so it is only used to synthesise into a file (no playback), on one worker thread,
with a time bound. If it fails or hangs, the espeak-ng command line takes over; if that fails too,
prompts are printed only. Playback belongs to the sink.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import numpy as np

from assistant.audio.player import Player
from assistant.audio.sinks import AudioSink, NullSink
from assistant.audio.wav import Audio, parse_wav, read_wav, resample, to_int16
from assistant.base.errors import AudioDeviceError, BadInputError
from assistant.base.settings import VoiceSettings
from assistant.events import TimedStep
from assistant.speech.timeline import ClockStage, SinkStage, Stage, TypedStage

#: Sample rate of the quiet that `Voice.pause` plays (the WAV sink's own, so it is not resampled).
PAUSE_RATE_HZ = 22_050
#: A number as written: digit groups joined by single spaces or dashes, maybe a leading +.
_NUMBER = re.compile(r"(?<![\w+])\+?\d+(?:[ -]\d+)*(?!\w)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


class Ears(Protocol):
    """The listener, as the voice needs it in full duplex."""

    @property
    def interrupted(self) -> bool:
        """A command was said over a prompt and has not been listened to yet."""

    def hear_out(self, pump: Callable[[bool], bool]) -> bool:
        """Listen until the player has finished; True when a barge-in stopped it."""


def _reading_s(text: str, wpm: int = 150) -> float:
    return len(text.split()) * 60 / wpm


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


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
                reply.put(self._render(engine, finished, text, path))
            except BaseException as exc:  # report everything to the waiting caller
                reply.put(exc)

    def _render(self, engine: Any, finished: threading.Event, text: str, path: str) -> Audio:
        """One prompt into the file and back. Both cores busy, pyttsx3's espeak driver now and
        then writes no samples (1 render in 20); asked again, it rendered (0 failures in 40)."""
        for attempt in range(2):
            finished.clear()
            engine.save_to_file(text, path)
            engine.runAndWait()
            if not finished.wait(self._settings.synth_timeout_s):
                raise SynthesisError("pyttsx3 never finished the prompt")
            try:
                return read_wav(path, rate_hz=None)
            except BadInputError:
                if attempt:
                    raise
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        raise AssertionError("unreachable")

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
        if self._settings.voice:
            cmd += ["-v", self._settings.voice]
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

    With a `player` (full duplex) prompts go onto the one audio clock while the ears listen.
    `wait` is the real clock's sleep, for timed pauses when nothing is played (typed mode).
    """

    def __init__(
        self,
        synths: list[Synthesizer],
        sink: AudioSink,
        show: Callable[[str], None],
        warn: Callable[[str], None] = lambda msg: print(f"reflect: {msg}", file=sys.stderr),
        show_clearly: Callable[[str], None] | None = None,
        player: Player | None = None,
        wait: Callable[[float], None] | None = None,
        gap_s: float = 0.4,
    ) -> None:
        self._synths = list(synths)
        self._all = list(synths)
        self._sink = sink
        self._show = show
        self._show_clearly = show_clearly or show
        self._warn = warn
        self._player = player
        self._wait = wait
        self._gap_s = gap_s
        self._ears: Ears | None = None
        self._owns_sink = True
        self._cues: dict[tuple[str, bool], Audio | None] = {}  # rendered cues of timed steps
        self._ahead: dict[tuple[str, bool], Future] = {}  # sentences rendered ahead (prepare)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reflect-render")

    def attach(self, ears: Ears) -> None:
        """Full duplex: the listener that hears the prompts out."""
        self._ears = ears

    @property
    def _duplex(self) -> bool:
        return self._player is not None and self._ears is not None

    def say(self, text: str, *, slow: bool = False, printed: str | None = None) -> None:
        """Print `text` (or `printed`, a fuller version of it) and speak `text`."""
        (self._show_clearly if slow else self._show)(printed or text)
        if self._duplex:
            assert self._ears is not None
            if not self._ears.interrupted:
                self._speak_over(self._parts(text), slow)
            return
        futures = [self._worker.submit(self._render, p, slow) for p in self._parts(text, True)]
        for i, audio in enumerate(future.result() for future in futures):
            if audio is not None:
                self._play(audio, more=i + 1 < len(futures))

    def _parts(self, text: str, whole: bool = False) -> list[str]:
        """`text` as spoken, in the first synthesiser's parts (`whole`: else all in one)."""
        split = getattr(self._synths[0], "parts", None) if self._synths else None
        return (split or ((lambda t: [t]) if whole else sentences))(spoken(text))

    def prepare(self, texts: Sequence[str], *, slow: bool = False) -> None:
        """Render the parts of prompts said later, ahead on the render thread, so that each one's
        first sound comes at once (full duplex: the time from an answer's end counts)."""
        if not self._duplex:
            return
        for text in texts:
            for part in self._parts(text):
                key = (part, slow)
                if key not in self._ahead:
                    self._ahead[key] = self._worker.submit(self._render, *key)

    def _speak_over(self, parts: list[str], slow: bool) -> None:
        """Queue each sentence as soon as it is rendered, while the ears listen."""
        assert self._player is not None and self._ears is not None
        futures: list[Future] = [
            self._ahead.get((p, slow)) or self._worker.submit(self._render, p, slow) for p in parts
        ]
        player = self._player
        gap = round(self._gap_s * player.rate_hz)  # between prompts, as a person pauses
        queued = 0

        def pump(wait: bool) -> bool:
            nonlocal queued, gap
            while queued < len(futures) and (wait or futures[queued].done()):
                audio = futures[queued].result()
                queued += 1
                if audio is not None:
                    player.play(audio, gap)
                    gap = 0
                wait = False
            return queued < len(futures)

        if self._ears.hear_out(pump):
            ahead = set(self._ahead.values())
            for future in futures[queued:]:
                if future not in ahead:  # what was rendered ahead may be said again later
                    future.cancel()

    def pause(self, seconds: float) -> None:
        """Quiet for `seconds` on the audio clock: listened through in full duplex, written into a
        WAV, waited out on a speaker or (typed) on the real clock."""
        if seconds <= 0:
            return
        quiet = Audio(np.zeros(round(seconds * PAUSE_RATE_HZ), np.int16), PAUSE_RATE_HZ)
        if self._duplex:
            assert self._player is not None and self._ears is not None
            if not self._ears.interrupted:
                self._player.play(quiet)
                self._ears.hear_out(lambda wait: False)
            return
        if isinstance(self._sink, NullSink) and self._wait is not None:
            self._wait(seconds)
            return
        self._play(quiet)

    def steps(self, steps: Sequence[TimedStep], *, slow: bool = False) -> None:
        """Cues at planned times: every one is rendered first, then each starts at its planned
        offset from the start, however long the synthesis or the previous cue took. A cue that
        runs past the next one's time is cut there (full duplex) or delays only that next one."""
        if not steps:
            return
        show = self._show_clearly if slow else self._show
        rendered = {text: self._cue(text, slow) for text in {s.text for s in steps}}
        if self._duplex:
            self._steps_on_clock(steps, rendered, show)
            return
        started = time.monotonic()
        elapsed = 0.0  # audio time written so far (a WAV or a speaker)
        for step in steps:
            audio = rendered[step.text]
            if isinstance(self._sink, NullSink) or audio is None:
                if self._wait is not None:  # typed: the real clock, against absolute times
                    self._wait(max(0.0, step.at_s - (time.monotonic() - started)))
                show(step.text)
                continue
            self.pause(step.at_s - elapsed)
            elapsed = max(elapsed, step.at_s)
            show(step.text)
            self._play(audio)
            elapsed += audio.duration_s

    def _cue(self, text: str, slow: bool) -> Audio | None:
        key = (text, slow)
        if key not in self._cues:
            self._cues[key] = self._render(spoken(text), slow)
        return self._cues[key]

    def plan(self, cues: Sequence[tuple[str, float]], *, slow: bool = False) -> list[TimedStep]:
        """Timed steps for cues each followed by seconds of quiet: every cue is rendered first,
        so the plan is made once from their lengths and nothing is pushed later while playing.
        Printed only, a cue is given the time it would take at the speaking rate."""
        steps, at = [], 0.0
        for text, quiet_s in cues:
            steps.append(TimedStep(at, text))
            audio = self._cue(text, slow)
            at += (audio.duration_s if audio is not None else _reading_s(text)) + quiet_s
        return steps

    def _steps_on_clock(
        self, steps: Sequence[TimedStep], rendered: dict, show: Callable[[str], None]
    ) -> None:
        assert self._player is not None and self._ears is not None
        player, rate = self._player, self._player.rate_hz
        if self._ears.interrupted:
            return
        t0 = player.end
        onsets = [t0 + round(step.at_s * rate) for step in steps]
        for i, (step, at) in enumerate(zip(steps, onsets, strict=True)):
            audio = rendered[step.text]
            if audio is None:
                continue
            limit = onsets[i + 1] - at if i + 1 < len(onsets) else None
            samples = audio.samples
            if limit is not None and audio.rate_hz == rate and len(samples) > limit:
                samples = samples[:limit]  # never push the next cue late
            player.schedule(at, Audio(samples, audio.rate_hz))
        shown = 0

        def pump(wait: bool) -> bool:
            nonlocal shown
            while shown < len(steps) and onsets[shown] <= player.now:
                show(steps[shown].text)
                shown += 1
            return shown < len(steps)

        self._ears.hear_out(pump)

    def cue_samples(self, text: str, rate_hz: int = 16_000) -> np.ndarray | None:
        """A cue rendered once (cached) as int16 samples at `rate_hz`; None when printed only."""
        audio = self._cue(text, False)
        if audio is None:
            return None
        if audio.rate_hz == rate_hz:
            return audio.samples
        return to_int16(resample(audio.samples / 32768.0, audio.rate_hz, rate_hz))

    def stage(self) -> Stage:
        """Where timed audio goes, and how it is heard through (speech/timeline.py)."""
        if self._duplex:
            assert self._player is not None
            return ClockStage(self._player, self._ears)  # type: ignore[arg-type]
        if isinstance(self._sink, NullSink) and self._wait is not None:  # typed: real time
            ears = self._ears if hasattr(self._ears, "poll") else None
            return TypedStage(ears, sleep=self._wait)  # type: ignore[arg-type]
        return SinkStage(self._play)  # a WAV or a speaker, half duplex (or nothing, silent)

    def show(self, text: str) -> None:
        """Print without speaking (a cue's words, a note during an exercise)."""
        self._show(text)

    def _play(self, audio: Audio, more: bool = False) -> None:
        try:  # `more`: the prompt goes on at once (a test's fake sink may know only play(audio))
            self._sink.play(audio, gap_after=False) if more else self._sink.play(audio)
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

    def speaking_as(self, synths: list[Synthesizer]) -> Voice:
        """Another voice (a rehearsal's partner) on the same sink, player and listener."""
        other = Voice(
            synths, self._sink, self._show, self._warn, self._show_clearly, self._player,
            self._wait, self._gap_s,
        )  # fmt: skip
        other._owns_sink = False
        if self._ears is not None:
            other.attach(self._ears)
        return other

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
        for synth in self._all:
            close = getattr(synth, "close", None)
            if close:
                close()
        if self._owns_sink:
            self._sink.close()
