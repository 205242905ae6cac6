"""The recogniser side of the listener: transport frames in, what was heard out, on the clock.

Two recognisers hear the same audio. The free-text one transcribes; the second is limited to the
command phrases plus "[unk]" (speech/command_window.py feeds it only what may be a command),
because a lone command word is often misheard by the free-text decoder ("skip" as "cape") while
the grammar hears it right. Both live for the whole session, like a plain Vosk loop: a fresh
recogniser per answer would throw away the speaker adaptation and hear the first words of every
answer worse. They are made when the first frame is heard; while the model still loads, a live
transport's frames are kept in order.

Where the assistant's voice or its echo may be (audio/echo.py), the free-text recogniser is fed
silence, so no answer holds the assistant's words and its times stay on the clock; the command
recogniser hears everything, and a phrase it hears there counts only if louder than the echo.
Speech is where the voice activity detector (Silero) hears it, when there is one.

A continuation (more of an answer, said over the next question) is heard again from where its
speech began: the samples are fed a second time, and the free text's times are moved back by
what it heard twice. Time is the transport's clock, in samples: nothing reads a wall clock, so a
WAV replays exactly and fast. Nothing here decides where an answer ends (speech/endpoint.py).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from assistant.audio.duplex import Frame, Transport
from assistant.audio.echo import EchoGate, EchoSettings
from assistant.speech.command_window import CommandWindow
from assistant.speech.commands import CommandSet
from assistant.speech.recent import RecentAudio
from assistant.speech.vad import WINDOW_MS, Edge, VoiceActivity

#: The person's side kept for the turn model (it reads the last 8 s) and for a continuation.
RECENT_S = 8.0
#: What is heard again of a continuation before its speech began (s): Silero marks the start
#: a window late, and the recogniser needs the onset.
CONTINUE_PREROLL_S = 0.2
#: Live audio kept while the model loads (s); beyond it the listener waits for the model.
MAX_BACKLOG_S = 30.0
#: An answer's audio kept for the second pass, at most (s): 29 MB; Vosk's words stand for the rest.
MAX_KEPT_S = 900.0
#: Over a prompt, a command phrase is taken once the speaker has been quiet this long (s).
BARGE_QUIET_S = 0.06


@dataclass(frozen=True)
class FrameHeard:
    """What one frame brought (times in seconds on the clock)."""

    now_s: float  # the end of the frame
    more: bool = True  # False: the input is over (both recognisers were flushed)
    utterance: dict | None = None  # the free-text recogniser closed an utterance (Vosk result)
    partial: str | None = None  # else the free text in progress
    voice_ended: tuple[float, ...] = ()  # where the detector found the person's speech ended
    #: The person speaks now, as the voice activity detector hears them (not where the
    #: assistant's voice may be). Without a detector, a partial that changes is the sign.
    speaking: bool = False
    grammar: dict | None = None  # the command grammar closed a result, not the assistant's echo


class _FreeText:
    """The free-text recogniser, its results on the clock."""

    def __init__(self, recogniser: Any) -> None:
        self._rec = recogniser
        self._shift_s = 0.0  # it has heard this much audio twice

    def accept(self, samples: np.ndarray) -> dict | None:
        """The closed utterance, if these samples closed one."""
        if self._rec.AcceptWaveform(samples.tobytes()):
            return self._on_clock(self._rec.Result())
        return None

    def partial(self) -> str:
        return json.loads(self._rec.PartialResult()).get("partial", "")

    def close(self) -> dict:
        return self._on_clock(self._rec.FinalResult())

    def hear_again(self, samples: np.ndarray, rate_hz: int) -> None:
        self._rec.AcceptWaveform(samples.tobytes())
        self._shift_s += len(samples) / rate_hz

    def _on_clock(self, raw: str) -> dict:
        result = json.loads(raw)
        if self._shift_s:
            for w in result.get("result", []):
                w["start"] = round(w["start"] - self._shift_s, 3)
                w["end"] = round(w["end"] - self._shift_s, 3)
        return result


class Recogniser:
    """Hears the transport's frames one at a time (`hear`), keeps the clock, and closes or asks
    the recognisers when the listener's rules need it."""

    def __init__(
        self,
        transport: Transport,
        model: object,
        commands: CommandSet,
        holding: Sequence[str] = (),
        echo: EchoSettings | None = None,
        vad: VoiceActivity | None = None,
    ) -> None:
        self.transport = transport
        self.rate = transport.rate_hz
        self._commands = commands
        self._holding = holding  # requests for time, which the grammar knows too
        self._model = model  # a vosk Model, or one still loading (a Background)
        self._backlog: deque[tuple[Frame, bool]] = deque()  # live frames read while it loads
        self._input_over = False  # the input ended while the model loaded
        self._text: _FreeText | None = None
        self._grammar = CommandWindow(None, self.rate)  # fed only what may be a command
        self._echo = EchoGate(
            transport.player, self.rate, transport.echo_delay_s, echo or EchoSettings()
        )
        self.vad = vad
        self._recent = RecentAudio(int(RECENT_S * self.rate))  # as fed to the free text
        self._raw = RecentAudio(int(RECENT_S * self.rate))  # as heard (for a continuation)
        self.clock = 0  # samples: the end of the last frame heard
        self.ended = False
        self.speech_since: int | None = None  # where the person's current speech began
        #: The assistant's voice is the person's here: the tail of a question cut by them.
        self.ungated = False
        self._kept: list[np.ndarray] | None = None  # the answer's audio, for the second pass
        self._kept_from = 0  # clock sample where it begins

    @property
    def now_s(self) -> float:
        return self.clock / self.rate

    # -- hearing ---------------------------------------------------------------------------------
    def hear(self, quick_commands: bool = False) -> FrameHeard:
        """Hear one frame with both recognisers; at the end of the input both are flushed, so a
        last word or command is not lost. `quick_commands` (over a prompt): a command phrase in
        the grammar's partial is closed as soon as the speaker has gone quiet, not about 0.9 s
        later when Vosk closes the utterance."""
        got = self._next_frame()
        if got is False:
            return FrameHeard(self.now_s)  # the model is still loading; the frame is kept
        assert self._text is not None
        if got is None:
            self.ended = True
            utterance = self._text.close()
            return FrameHeard(self.now_s, False, utterance, grammar=self._grammar.final())
        frame, gated = got
        gated = gated and not self.ungated
        self.clock = frame.end
        # Silence in place of the assistant's voice keeps the recogniser's times on the clock.
        text_samples = np.zeros_like(frame.samples) if gated else frame.samples
        self._recent.write(text_samples)
        self._raw.write(frame.samples)
        if self._kept is not None and self.clock - self._kept_from <= MAX_KEPT_S * self.rate:
            self._kept.append(text_samples)
        ended, speaking = self._hear_voice(frame.samples, gated) if self.vad else ((), False)
        utterance = self._text.accept(text_samples)
        partial = self._text.partial() if utterance is None else None
        grammar = self._grammar.hear(frame.start, frame.samples)
        if grammar and not self._own_voice_free(grammar):
            grammar = None  # a command word in the assistant's own voice (its echo)
        if quick_commands and grammar is None:
            grammar = self._quick_command()
        return FrameHeard(self.now_s, True, utterance, partial, ended, speaking, grammar)

    def _hear_voice(self, samples: np.ndarray, gated: bool) -> tuple[tuple[float, ...], bool]:
        """The voice activity detector's view of one frame: where the person's speech ended, and
        whether they speak now (not where the assistant's voice may be)."""
        assert self.vad is not None
        ended = []
        for edge in self.vad.feed(samples):
            started = edge.kind is Edge.SPEECH_STARTED
            self.speech_since = edge.at_sample if started else None
            if started and gated and not self._echo.near_end(edge.at_s, self.now_s):
                self.speech_since = None  # the assistant's own voice coming back (an echo)
            if not started and not gated:
                ended.append(edge.at_s)
        return tuple(ended), self.vad.speaking and not gated

    def _quick_command(self) -> dict | None:
        partial = self._grammar.partial()
        if not partial or not self._commands.match(partial):
            return None
        if self._echo.voiced_recently(self.clock, BARGE_QUIET_S):
            return None
        grammar = self._grammar.final()
        return grammar if self._own_voice_free(grammar) else None

    def _own_voice_free(self, grammar: dict) -> bool:
        """False when the grammar's phrase lies where the assistant spoke and is no louder than
        its echo: the assistant heard itself."""
        core = [w for w in grammar.get("result", []) if w["word"] != "[unk]"]
        if not core:
            return True
        a, b = int(core[0]["start"] * self.rate), int(core[-1]["end"] * self.rate)
        return not self._echo.gated(a, b) or self._echo.near_end(core[0]["start"], core[-1]["end"])

    def _next_frame(self) -> tuple[Frame, bool] | Literal[False] | None:
        """The next frame to hear and whether it is gated (the assistant's voice may be in it);
        None at the end of the input. While the model loads, a live transport's frames are read
        on time (the prompt goes on playing, the echo gate follows it) and kept in order, and
        False is returned; a file, or a full backlog, waits for the model instead."""
        if self._text is None:
            kept = self._backlog[-1][0].end - self._backlog[0][0].start if self._backlog else 0
            bounded = kept < MAX_BACKLOG_S * self.rate
            if self.transport.live and bounded and not getattr(self._model, "ready", True):
                frame = self.transport.read()
                if frame is not None:
                    self._backlog.append((frame, self._echo.observe(frame)))
                    return False
                self._input_over = True
            self._make_recognisers()
        if self._backlog:
            return self._backlog.popleft()
        frame = None if self._input_over else self.transport.read()
        if frame is None:
            return None
        return frame, self._echo.observe(frame)

    def _make_recognisers(self) -> None:
        """Made once the model is there (waiting for it if it is still loading)."""
        import vosk

        model = self._model.result() if hasattr(self._model, "result") else self._model
        text = vosk.KaldiRecognizer(model, self.rate)
        text.SetWords(True)
        self._text = _FreeText(text)
        grammar = vosk.KaldiRecognizer(model, self.rate, self._commands.grammar(self._holding))
        grammar.SetWords(True)
        self._grammar.attach(grammar)

    # -- closing and asking ----------------------------------------------------------------------
    def close_text(self) -> dict:
        """Close the free text's utterance in progress (its result, on the clock)."""
        assert self._text is not None
        return self._text.close()

    def close_grammar(self) -> dict | None:
        """Close the grammar's utterance, if one is in progress (its result comes up to a second
        after the words)."""
        return self._grammar.final() if self._grammar.partial() else None

    def grammar_partial(self) -> str:
        return self._grammar.partial()

    @contextmanager
    def every_command(self) -> Iterator[None]:
        """The grammar hears everything meanwhile (over a prompt, while paused): a command may
        come at any moment, not only after a pause."""
        self._grammar.always = True
        try:
            yield
        finally:
            self._grammar.always = False

    def audio_since(self, start_s: float) -> Callable[[float], np.ndarray]:
        """The person's side from `start_s` (at most RECENT_S) up to a time (not after now): the
        turn model judges this turn, not the end of the one before."""

        def audio(end_s: float) -> np.ndarray:
            now = self.clock
            after = max(0, now - int(end_s * self.rate))
            kept = self._recent.last(now - int(start_s * self.rate))
            return kept[: len(kept) - after]

        return audio

    # -- the answer's audio, for the second pass ------------------------------------------------
    def keep_audio(self, start_s: float, *, raw: bool = False) -> None:
        """Keep what the free text hears from `start_s` (at most RECENT_S back) until
        `take_audio`; `raw`: the part before now as heard (a continuation, heard again)."""
        start = max(0, int(start_s * self.rate))
        before = (self._raw if raw else self._recent).last(self.clock - start)
        self._kept, self._kept_from = [before], self.clock - len(before)

    def take_audio(self) -> tuple[np.ndarray, float]:
        """The audio kept since `keep_audio` (16 kHz int16, silence where the assistant's voice
        was) and where it begins on the clock (s); keeping stops."""
        kept, self._kept = self._kept or [], None
        audio = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int16)
        return audio, self._kept_from / self.rate

    # -- a continuation --------------------------------------------------------------------------
    def speaking_over_echo(self, began_by: int, min_voiced_s: float) -> int | None:
        """Where the person's speech began, if it began by clock sample `began_by` and has been
        voiced for `min_voiced_s` (voiced windows, not the time since: an "mm" stays "speaking"
        longer), louder than the assistant's echo."""
        since, vad = self.speech_since, self.vad
        if since is None or since > began_by or vad is None or not vad.speaking:
            return None
        if vad.voiced_windows * WINDOW_MS / 1000 < min_voiced_s:
            return None
        return since if self._echo.near_end(since / self.rate, self.now_s) else None

    def gated_now(self) -> bool:
        """The assistant's voice or its echo may be in what is heard now."""
        return self._echo.gated(self.clock, self.clock + 1)

    def hear_again_from(self, sample: int) -> None:
        """Hear a continuation from its start: the free text was fed silence over the question;
        its utterance is closed and the person's audio since the start is heard again."""
        assert self._text is not None
        self._text.close()
        back = self.clock - sample + int(CONTINUE_PREROLL_S * self.rate)
        self._text.hear_again(self._raw.last(back), self.rate)
