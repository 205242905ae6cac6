"""The listener: audio chunks in, one answer or command out, decided in audio time.

Two recognisers hear the same audio. The free-text one transcribes the answer; the second is
limited to the command phrases plus "[unk]", because a lone command word is often misheard by the
free-text decoder ("skip" as "cape") while the grammar hears it right and returns "[unk]" for
ordinary sentences. A command counts only when said on its own, before any answer words.

Both recognisers live for the whole session, like a plain Vosk loop: a fresh recogniser per
answer would throw away the speaker adaptation (i-vectors, cepstral mean) and hear the first
words of every answer worse.

When an answer ends is the turn detector's (speech/turns.py, speech/smart_turns.py): both loops
ask it. Where the person speaks is the voice activity detector's (Silero), when there is one;
without it, where the partial transcript changes. An answer also ends at once on a closing phrase
said on its own ("that's all"), or at the end of the input. Time is the clock of the transport's
frames, in samples: no clock is read, so a WAV replays exactly and fast.

An answer that ended on a pause may not be over. When the session asks the next question it arms
the join (`arm_join`); if the person goes on speaking over the question's start (louder than its
echo), the question stops and the next listen hears the rest from where their speech began (the
recogniser hears those samples again; `_text_result` takes the difference off its times) and
returns it with `continues`, for the session to join to the same turn. Half duplex nothing can be
heard over a question, so there the end silence alone ends an answer.

Full duplex: while the assistant speaks (`hear_out`), frames keep coming. The free-text recogniser
is fed silence wherever the assistant's voice or its echo may be (audio/echo.py), so no answer
holds the assistant's words; the command recogniser hears everything, and a command said over a
prompt (and louder than the prompt's echo) stops the prompt at once (barge-in) and is the next
thing `listen` returns. Its partial result shows the phrase before Vosk closes the utterance
(about 0.9 s later), so the utterance is closed as soon as the speaker has gone quiet.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from assistant.audio.duplex import Frame, HalfDuplex, Transport
from assistant.audio.echo import EchoGate, EchoSettings
from assistant.audio.sources import AudioSource
from assistant.base.settings import ListenSettings
from assistant.events import Answer, Command, EndOfInput, Heard, NoAnswer
from assistant.speech.command_window import CommandWindow
from assistant.speech.commands import CommandSet
from assistant.speech.recent import RecentAudio
from assistant.speech.turn_text import default_turn_words
from assistant.speech.turns import SilenceTurns, TurnDetector, TurnEnd, TurnView
from assistant.speech.vad import WINDOW_MS, Edge, VoiceActivity

#: A command phrase is at most this many words; a longer free-text reading of the same stretch
#: means the person was saying a sentence that merely contains the word.
MAX_COMMAND_WORDS = 4
#: Words this close before a command or closing phrase belong to it (Vosk's word times jitter).
OVERLAP_S = 0.3
#: No spoken word lasts longer. Vosk closes 20 s of microphone hiss as one long "huh", and glues
#: the hiss before an answer onto its first word; such "words" are not speech.
MAX_WORD_S = 2.5
#: Over a prompt, a command phrase is taken once the speaker has been quiet this long (s).
BARGE_QUIET_S = 0.06
#: The person's side kept for the turn model (it reads the last 8 s) and for a continuation.
RECENT_S = 8.0
#: Over the next question, speech that goes on with an answer ended early counts once it has
#: lasted this long (s): a cough or an "mm" does not stop the question.
CONTINUE_AFTER_S = 0.25
#: What is heard again of a continuation before its speech began (s): Silero marks the start
#: a window late, and the recogniser needs the onset.
CONTINUE_PREROLL_S = 0.2
#: Live audio kept while the model loads (s); beyond it the listener waits for the model.
MAX_BACKLOG_S = 30.0


@dataclass
class _Heard:
    """What one listen has heard so far (times in seconds of audio heard this session)."""

    words: list[dict] = field(default_factory=list)
    partial: str = ""  # the text of the utterance in progress
    last_voice_s: float | None = None
    pending: Command | None = None  # the grammar heard a command; waiting for confirmation
    closing: tuple[float, float] | None = None  # where a closing phrase was heard (start, end)
    holding_s: float | None = None  # where the grammar heard "give me a minute" alone ended
    pause_checked: float | None = None  # last_voice_s of the pause the grammar was asked about
    segment_start_s: float = 0.0  # first word of the latest free-text segment
    grammar: str = ""  # the last phrase the grammar heard alone (a number, for a rating)

    @staticmethod
    def _speech(words: list[dict]) -> list[dict]:
        return [w for w in words if w["end"] - w["start"] <= MAX_WORD_S]

    def add_final(self, result: dict) -> None:
        words = self._speech(result.get("result", []))
        if words:
            self.segment_start_s = words[0]["start"]
            self.last_voice_s = max(self.last_voice_s or 0.0, words[-1]["end"])
        self.words.extend(words)
        self.partial = ""

    def set_partial(self, partial: str, now_s: float | None) -> bool:
        """Returns True when the words in progress changed. Without a voice activity detector
        (`now_s` given) that is the sign that someone is speaking now. (Partial word times
        would allow filtering here too, but Vosk then updates partials up to a second later,
        which would end answers during thinking pauses.)"""
        changed = partial != self.partial
        self.partial = partial
        if changed and partial and now_s is not None:
            self.last_voice_s = now_s
        return changed

    def voice(self, now_s: float) -> None:
        """The voice activity detector hears the person speaking now."""
        self.last_voice_s = max(self.last_voice_s or 0.0, now_s)

    def voice_ended(self, at_s: float) -> None:
        """The detector found where the speech ended (it knows a little later): the quiet counts
        from there, or from the last word's end if that is later."""
        last_word = self.words[-1]["end"] if self.words else 0.0
        if self.last_voice_s is not None:
            self.last_voice_s = max(at_s, last_word)

    @property
    def busy(self) -> bool:
        """The free-text recogniser is in the middle of an utterance."""
        return bool(self.partial)

    def text(self, before_s: float | None = None) -> str:
        words = self.words if before_s is None else [w for w in self.words if w["start"] < before_s]
        return " ".join(w["word"] for w in words)

    def live_text(self) -> str:
        return " ".join(filter(None, (self.text(), self.partial)))

    @property
    def started(self) -> bool:
        return bool(self.words or self.partial)

    def view(self, since_s: float, audio: Callable[[], np.ndarray] | None = None) -> TurnView:
        first = self.words[0]["start"] if self.words else None
        return TurnView(
            since_s, self.started, self.busy, self.last_voice_s, first, self.live_text(), audio,
            self.holding(),
        )  # fmt: skip

    def holding(self) -> bool | None:
        """True when the last thing said was a request for time that the grammar heard (the
        free text often mishears it: "let me think" as "lately think"); False when words came
        after it; None when the grammar heard none."""
        if self.holding_s is None:
            return None
        after = [w for w in self.words if w["start"] > self.holding_s + OVERLAP_S]
        speaking_again = (self.last_voice_s or 0.0) > self.holding_s + 2 * OVERLAP_S
        return not after and not speaking_again

    def answer(self, closed: bool = False, continues: bool = False) -> Answer:
        if not self.words:
            return Answer("", closed=closed, continues=continues)
        return Answer(
            self.text(), self.words[0]["start"], self.words[-1]["end"], closed, tuple(self.words),
            self.grammar, continues,
        )  # fmt: skip


def said_alone(grammar_words: list[dict]) -> tuple[str, float, float] | None:
    """The phrase a grammar result holds, with its start and end, if nothing was said right next
    to it. "[unk]" marks other speech; one that ends well before the phrase (the tail of an earlier
    answer) is not part of it, one touching it means the phrase was inside a sentence."""
    core = [w for w in grammar_words if w["word"] != "[unk]"]
    if not core:
        return None
    first, last = core[0]["start"], core[-1]["end"]
    for w in grammar_words:
        if w["word"] == "[unk]" and w["end"] > first - OVERLAP_S and w["start"] < last + OVERLAP_S:
            return None
    return " ".join(w["word"] for w in core), first, last


class SpeechListener:
    def __init__(
        self,
        transport: Transport | AudioSource,
        model: object,
        commands: CommandSet,
        on_partial: Callable[[str], None] | None = None,
        turns: TurnDetector | None = None,
        echo: EchoSettings | None = None,
        vad: VoiceActivity | None = None,
    ) -> None:
        if not hasattr(transport, "player"):  # a first-version source: half duplex
            transport = HalfDuplex(transport)
        self._source = transport
        self._commands = commands
        self._on_partial = on_partial or (lambda text: None)
        self._turns = turns or SilenceTurns()
        self._rate = transport.rate_hz
        self._turn_words = default_turn_words()
        self._model = model  # a vosk Model, or one still loading (a Background)
        self._text: Any = None  # both recognisers are made when the first frame is heard
        self._grammar = CommandWindow(None, self._rate)  # fed only what may be a command
        self._backlog: deque[tuple[Frame, bool]] = deque()  # live frames read while it loads
        self._input_over = False
        self._echo = EchoGate(
            transport.player, self._rate, transport.echo_delay_s, echo or EchoSettings()
        )
        self._heard_samples = 0  # the listener's clock: the end of the last frame heard
        self._ended = False
        self._stashed: Command | None = None  # a command heard right after speech, while paused
        self._barged: Command | None = None  # a command said over a prompt, for the next listen
        self._attending = _Heard()  # free text heard through timed audio, not yet closed
        self.barge_ins: list[tuple[Command, int]] = []  # each, with the clock sample of the cut
        # Speech is where the voice activity detector hears it; without one, where the partial
        # transcript changes (later, and fooled by noise the recogniser turns into words).
        self._vad = vad
        self._recent = RecentAudio(int(RECENT_S * self._rate))  # as fed to the recogniser
        self._raw = RecentAudio(int(RECENT_S * self._rate))  # as heard (for a continuation)
        self._speech_since: int | None = None  # where the detector's current speech began
        self._may_go_on = False  # the last answer ended on a pause: the person may go on
        self._ended_early = False  # on the turn model's word
        self._join_armed = False  # the prompt now playing may be cut by a continuation
        self._linger = False  # and after it, for the join window: it is the goodbye
        self._continuing: int | None = None  # a continuation began here; for the next listen
        self._join_window_s = ListenSettings().join_window_s  # the current script's, once known
        self._text_shift_s = 0.0  # the recogniser has heard this much audio twice
        self.continuations: list[tuple[int, int]] = []  # (speech start, cut), clock samples

    @property
    def interrupted(self) -> bool:
        """A command, or more of an answer, was said over the assistant's speech and has not been
        listened to yet."""
        return self._barged is not None or self._continuing is not None

    def after_speaking(self) -> None:
        # A command kept from before the assistant spoke was said before hearing it: ask anew.
        self._stashed = None
        self._join_armed = self._linger = False
        self._source.drop_buffered()  # half duplex only: what the mic caught meanwhile

    def arm_join(self, *, last: bool = False) -> None:
        """The next question is about to be asked: if the answer before it ended on a pause and
        the person goes on speaking over the question's start, the question stops and what they
        say is the same answer (listen's next result, with `continues`). `last`: it is the
        goodbye, so listen on for the whole join window even after it (no answer is due)."""
        # The goodbye only after an early end: after the end silence a reply to it ("thank
        # you") is far more likely than more of the answer.
        may = self._ended_early if last else self._may_go_on
        self._join_armed = may and self._vad is not None
        self._linger = last and self._join_armed

    def _text_result(self, raw: str) -> dict:
        """A recogniser result on the clock: its times, less what it heard twice."""
        result = json.loads(raw)
        if self._text_shift_s:
            for w in result.get("result", []):
                w["start"] = round(w["start"] - self._text_shift_s, 3)
                w["end"] = round(w["end"] - self._text_shift_s, 3)
        return result

    def _feed(self, heard: _Heard) -> tuple[bool, dict | None]:
        """Hear one frame with both recognisers. Returns (input continues, grammar result).
        At the end of the input both are flushed, so a last word or command is not lost."""
        got = self._next_frame()
        if got is False:
            return True, None  # the model is still loading; the frame is kept for then
        if got is None:
            self._ended = True
            self._segment(heard, self._text_result(self._text.FinalResult()))
            return False, self._grammar.final()
        frame, gated = got
        if gated and self._continuing is not None:
            gated = False  # the tail of a question cut by a continuation: the person's words
        self._heard_samples = frame.end
        now = self._heard_samples / self._rate
        # Silence in place of the assistant's voice keeps the recogniser's times on the clock.
        text_samples = np.zeros_like(frame.samples) if gated else frame.samples
        self._recent.write(text_samples)
        self._raw.write(frame.samples)
        if self._vad is not None:
            self._hear_voice(frame.samples, gated, heard, now)
        if self._text.AcceptWaveform(text_samples.tobytes()):
            self._segment(heard, self._text_result(self._text.Result()))
        elif heard.set_partial(
            json.loads(self._text.PartialResult()).get("partial", ""),
            None if self._vad is not None else now,
        ):
            self._on_partial(heard.live_text())
        grammar = self._grammar.hear(frame.start, frame.samples)
        if grammar and not self._own_voice_free(grammar):
            grammar = None  # a command word in the assistant's own voice (its echo)
        return True, grammar

    def _next_frame(self) -> tuple[Frame, bool] | Literal[False] | None:
        """The next frame to hear and whether it is gated (the assistant's voice may be in it);
        None at the end of the input. While the model loads, a live transport's frames are read
        on time (the prompt goes on playing, the echo gate follows it) and kept in order, and
        False is returned; a file, or a full backlog, waits for the model instead."""
        if self._text is None:
            kept = self._backlog[-1][0].end - self._backlog[0][0].start if self._backlog else 0
            bounded = kept < MAX_BACKLOG_S * self._rate
            if self._source.live and bounded and not self._model_ready():
                frame = self._source.read()
                if frame is not None:
                    self._backlog.append((frame, self._echo.observe(frame)))
                    return False
                self._input_over = True
            self._make_recognisers()
        if self._backlog:
            return self._backlog.popleft()
        frame = None if self._input_over else self._source.read()
        if frame is None:
            return None
        return frame, self._echo.observe(frame)

    def _model_ready(self) -> bool:
        return getattr(self._model, "ready", True)

    def _make_recognisers(self) -> None:
        """Both recognisers live for the session; made once the model is there (waiting for it
        if it is still loading). The grammar also knows the requests for time."""
        import vosk

        model = self._model.result() if hasattr(self._model, "result") else self._model
        self._text = vosk.KaldiRecognizer(model, self._rate)
        self._text.SetWords(True)
        holding = [" ".join(p) for p in self._turn_words.holding]
        grammar = vosk.KaldiRecognizer(model, self._rate, self._commands.grammar(holding))
        grammar.SetWords(True)
        self._grammar.attach(grammar)

    def _hear_voice(self, samples: np.ndarray, gated: bool, heard: _Heard, now: float) -> None:
        """The voice activity detector's view of one frame: the person speaking now marks the
        answer as still going (not where the assistant's voice may be)."""
        assert self._vad is not None
        for edge in self._vad.feed(samples):
            started = edge.kind is Edge.SPEECH_STARTED
            self._speech_since = edge.at_sample if started else None
            if started and gated and not self._echo.near_end(edge.at_s, now):
                self._speech_since = None  # the assistant's own voice coming back (an echo)
            if not started and not gated:
                heard.voice_ended(edge.at_s)
        if self._vad.speaking and not gated:
            heard.voice(now)

    def _command_in_progress(self, heard: _Heard) -> Command | None:
        """An early end can come before the grammar has closed its utterance (its result comes
        up to a second after the words): close it now, and a command said alone is the
        command ("skip" is often "cape" to the free text)."""
        if not self._grammar.partial():
            return None
        alone = said_alone(self._grammar.final().get("result", []))
        if not alone:
            return None
        heard.grammar = alone[0]  # a rating's number, read from the answer
        name = self._commands.match(alone[0])
        if name and not heard.text(before_s=alone[1] - OVERLAP_S):
            return Command(name, alone[0])  # type: ignore[arg-type]
        return None

    def _check_holding(self, heard: _Heard, now: float, settings: ListenSettings) -> None:
        """Once per pause, before an early end could be taken: the grammar's utterance still in
        progress may be "hold on, let me think" (its closed result comes up to a second later,
        and the free text often mishears it)."""
        last = heard.last_voice_s
        if heard.holding_s is not None or last is None or heard.pause_checked == last:
            return
        if now - last < settings.early_end_after_s - 0.1:
            return
        heard.pause_checked = last
        partial = self._grammar.partial()
        if partial and self._turn_words.asks_for_time(partial):
            heard.holding_s = last

    def _turn_audio(self, start_s: float) -> Callable[[float], np.ndarray]:
        """The person's side of this turn (from `start_s`, at most RECENT_S) up to a time (not
        after now): the turn model judges this turn, not the end of the one before."""

        def audio(end_s: float) -> np.ndarray:
            now = self._heard_samples
            after = max(0, now - int(end_s * self._rate))
            kept = self._recent.last(now - int(start_s * self._rate))
            return kept[: len(kept) - after]

        return audio

    def _own_voice_free(self, grammar: dict) -> bool:
        """False when the grammar's phrase lies where the assistant spoke and is no louder than
        its echo: the assistant heard itself."""
        core = [w for w in grammar.get("result", []) if w["word"] != "[unk]"]
        if not core:
            return True
        a, b = int(core[0]["start"] * self._rate), int(core[-1]["end"] * self._rate)
        return not self._echo.gated(a, b) or self._echo.near_end(core[0]["start"], core[-1]["end"])

    # -- while the assistant speaks ---------------------------------------------------------------
    def hear_out(self, pump: Callable[[bool], bool]) -> bool:
        """Listen while the player speaks, until it has finished or a command said over it stops
        it. `pump(wait)` queues the prompt's next rendered sentences and says whether more are
        coming (`wait`: block for the next one, for a file, where rendering takes no audio time).
        Returns True when a barge-in stopped the prompt (the command is listen's next result)."""
        player = self._source.player
        if player is None or self._ended:
            while pump(True):
                pass
            return False
        heard = _Heard()  # the free-text side is gated here; kept only for the recogniser calls
        live = self._source.live
        self._grammar.always = True  # a barge-in may come at any moment
        try:
            return self._hear_out(pump, player, heard, live)
        finally:
            self._grammar.always = False

    def _hear_out(self, pump: Callable[[bool], bool], player, heard: _Heard, live: bool) -> bool:
        join_until = self._heard_samples + int(self._join_window_s * self._rate)
        while True:
            more = pump(not live and not player.busy)
            lingering = self._linger and self._join_armed and self._heard_samples < join_until
            if not more and not player.busy and not lingering:
                return False
            going, grammar = self._feed(heard)
            command = self._barge_in(grammar)
            if command is not None:
                at = player.stop()
                self._barged = command
                self.barge_ins.append((command, at))
                return True
            if self._join_armed and self._goes_on(join_until):
                self._join_armed = False
                assert self._speech_since is not None
                self._continuing = self._speech_since
                self.continuations.append((self._speech_since, player.stop()))
                return True
            if not going:
                player.stop()
                return False

    def _goes_on(self, join_until: int) -> bool:
        """The person has been speaking for CONTINUE_AFTER_S over the question's start, louder
        than its echo: they had not finished."""
        since = self._speech_since
        if since is None or since > join_until or not self._vad or not self._vad.speaking:
            return False
        if self._vad.voiced_windows * WINDOW_MS / 1000 < CONTINUE_AFTER_S:
            return False  # voiced windows, not the time since: an "mm" stays "speaking" longer
        return self._echo.near_end(since / self._rate, self._heard_samples / self._rate)

    def _resume_continuation(self) -> None:
        """Hear the continuation from its start: the recogniser was fed silence over the
        question; its utterance is closed and the person's audio since the start heard again
        (its times then run ahead of the clock by that much, which _text_result takes off)."""
        assert self._continuing is not None
        self._text.FinalResult()
        back = self._heard_samples - self._continuing + int(CONTINUE_PREROLL_S * self._rate)
        again = self._raw.last(back)
        self._text.AcceptWaveform(again.tobytes())
        self._text_shift_s += len(again) / self._rate

    def _barge_in(self, grammar: dict | None) -> Command | None:
        """A command said on its own over the prompt: from a closed grammar result, or from the
        partial once the speaker has been quiet for BARGE_QUIET_S (then the utterance is closed
        here rather than a second later by Vosk)."""
        if grammar is None:
            partial = self._grammar.partial()
            if not partial or not self._commands.match(partial):
                return None
            if self._echo.voiced_recently(self._heard_samples, BARGE_QUIET_S):
                return None
            grammar = self._grammar.final()
            if not self._own_voice_free(grammar):
                return None
        alone = said_alone(grammar.get("result", []))
        name = self._commands.match(alone[0]) if alone else None
        return Command(name, alone[0]) if name else None  # type: ignore[arg-type]

    def _segment(self, heard: _Heard, segment: dict) -> None:
        words = segment.get("result", [])
        if words and self._commands.is_closing(segment.get("text", "")):
            heard.closing = (words[0]["start"], words[-1]["end"])
        heard.add_final(segment)
        if words:
            self._on_partial(heard.text())

    # -- one answer --------------------------------------------------------------------------
    def listen(self, settings: ListenSettings) -> Heard:
        if self._barged is not None:
            command, self._barged = self._barged, None
            return command
        if self._ended:
            return EndOfInput()
        self._join_window_s = settings.join_window_s
        if self._source.player is None and settings.early_end:
            # Half duplex nothing is heard over the next question, so an answer cut too early
            # could not be joined again: only the end silence ends it.
            settings = replace(settings, early_end=False)
        continues = self._continuing is not None
        if continues:
            self._resume_continuation()
        self._may_go_on = self._ended_early = False
        try:
            return self._listen(settings, continues)
        finally:
            self._continuing = None

    def _listen(self, settings: ListenSettings, continues: bool) -> Heard:
        start = self._heard_samples / self._rate
        audio = self._turn_audio(start - CONTINUE_PREROLL_S if continues else start)
        heard = _Heard()
        if continues:
            heard.voice(start)  # speaking now, though no word is out yet
        while True:
            more, grammar = self._feed(heard)
            now = self._heard_samples / self._rate
            if (
                continues
                and self._continuing is not None
                and not self._echo.gated(self._heard_samples, self._heard_samples + 1)
            ):
                self._continuing = None  # the question's tail is over: gate as usual again
            if continues and not heard.started and now - start >= settings.end_silence_s:
                return heard.answer(continues=True)  # only a sound: the question is asked again

            alone = said_alone(grammar.get("result", [])) if grammar else None
            if alone:
                phrase, first, last = alone
                heard.grammar = phrase
                if self._commands.is_closing(phrase):
                    heard.closing = (first, last)
                if self._turn_words.asks_for_time(phrase):
                    heard.holding_s = last
                name = self._commands.match(phrase)
                if name and not heard.text(before_s=first - OVERLAP_S):
                    heard.pending = Command(name, phrase)

            if heard.closing is not None and not heard.busy and heard.words:
                # Confirmed only if the free-text recogniser heard it as an utterance of its own,
                # with nothing after it: at the end of a sentence ("I told him I'm done") or
                # followed by more ("that's all... actually, one more thing") it is the answer.
                begin, end = heard.closing[0] - OVERLAP_S, heard.closing[1] + OVERLAP_S
                if heard.segment_start_s >= begin and heard.words[-1]["end"] <= end:
                    heard.words = [w for w in heard.words if w["start"] < begin]
                    return heard.answer(closed=True, continues=continues)
                heard.closing = None

            if heard.pending and not heard.busy:
                # The free-text recogniser has closed the same stretch: a few words means the
                # command was said alone; more means it was part of a sentence.
                if len(heard.words) <= MAX_COMMAND_WORDS:
                    return heard.pending
                heard.pending = None

            if not more:
                # The input ended mid-answer: keep what was said rather than lose it.
                return heard.answer(continues=continues) if heard.words else EndOfInput()

            self._check_holding(heard, now, settings)
            end = self._turns.decide(heard.view(start, audio), now, settings, asked=True)
            if end is TurnEnd.NO_ANSWER:
                return NoAnswer(round(now - start, 2))
            if end in (TurnEnd.SILENCE, TurnEnd.EARLY) and heard.busy:
                # the utterance is still open: close it (noise in it is dropped as "words")
                heard.add_final(self._text_result(self._text.FinalResult()))
            if end is TurnEnd.EARLY:
                command = self._command_in_progress(heard)
                if command is not None:
                    return command
            if end is not None:
                # ended on a pause (early, or a thinking pause as long as the end silence)
                self._may_go_on = end in (TurnEnd.EARLY, TurnEnd.SILENCE)
                self._ended_early = end is TurnEnd.EARLY
                answer = heard.answer(continues=continues)
                # Where the command recogniser missed it (not fed, or outvoted by an echo), the
                # free text holding nothing but a command phrase is that command, as typed.
                name = self._commands.match(answer.text) if answer.text else None
                return Command(name, answer.text) if name else answer  # type: ignore[arg-type]

    # -- through timed audio -------------------------------------------------------------------
    def attend(self, pump: Callable[[bool], bool]) -> Heard | None:
        """Listen through timed audio (a breathing exercise, a break) without stopping it. Returns
        the first command said on its own, as quickly as a barge-in is taken; else the first
        utterance of free text once the recogniser has closed it; EndOfInput; or None once
        `pump(wait)` (as in hear_out) says nothing more is coming and nothing is playing."""
        if self._barged is not None:
            command, self._barged = self._barged, None
            return command
        if self._ended:
            return EndOfInput()
        self._grammar.always = True  # "stop" may come at any moment
        self._may_go_on = self._ended_early = False
        try:
            return self._attend(pump)
        finally:
            self._grammar.always = False

    def _attend(self, pump: Callable[[bool], bool]) -> Heard | None:
        player = self._source.player
        live = self._source.live
        heard = self._attending
        while True:
            busy = player is not None and player.busy
            more = pump(not live and not busy)
            if not more and not busy and not heard.busy:
                self._attending = _Heard()
                return heard.answer() if heard.words else None
            going, grammar = self._feed(heard)
            command = self._barge_in(grammar)
            if command is not None:
                self._text.FinalResult()  # its words must not come back as an answer
                self._attending = _Heard()
                return command
            if heard.words and not heard.busy:
                self._attending = _Heard()
                return heard.answer()
            if not going:
                return heard.answer() if heard.words else EndOfInput()

    # -- paused ------------------------------------------------------------------------------
    def _paused_commands(self, grammar: dict | None) -> list[tuple[str, str, float, float]]:
        """Commands in a grammar result: (name, phrase, start, end). A phrase said on its own,
        and "continue" at the start of an utterance even with speech right after it."""
        if not grammar or not grammar.get("result"):
            return []
        found = []
        words = grammar["result"]
        alone = said_alone(words)
        if alone and self._commands.match(alone[0]):
            found.append((self._commands.match(alone[0]), *alone))
        core = [w for w in words if w["word"] != "[unk]"]
        if not core or any(
            w["word"] == "[unk]" and core[0]["start"] - OVERLAP_S < w["end"] <= core[0]["start"]
            for w in words
        ):
            return found  # speech right before it: "I don't want to continue" is an answer
        for size in range(len(core), 0, -1):  # the longest phrase at the start first
            phrase = " ".join(w["word"] for w in core[:size])
            if self._commands.match(phrase) == "continue":
                found.append(("continue", phrase, core[0]["start"], core[size - 1]["end"]))
                break
        return found

    def wait_for_command(
        self, names: tuple[str, ...], settings: ListenSettings
    ) -> Command | Answer | EndOfInput:
        """While paused: one of these commands, or what was said meanwhile, as an answer (the
        session saves and checks it: someone who paused may still need to be heard). Speech ends
        as an answer does, after `end_silence_s` of quiet. "Continue" counts even with speech
        right after it (the person starts answering at once: the question is asked again);
        "stop" must be said on its own; other commands said on their own are passed over. A
        command said soon after other speech is kept for the next call, so neither is lost."""
        if self._barged is not None:
            command, self._barged = self._barged, None
            if command.name in names:
                return command
        if self._stashed is not None:
            command, self._stashed = self._stashed, None
            return command
        if self._ended:
            return EndOfInput()
        self._grammar.always = True  # while paused, any moment may be "continue"
        self._may_go_on = self._ended_early = False
        try:
            # No question waits while paused: what is said ends on the end silence alone.
            return self._wait_for_command(names, replace(settings, early_end=False))
        finally:
            self._grammar.always = False

    def _wait_for_command(
        self, names: tuple[str, ...], settings: ListenSettings
    ) -> Command | Answer | EndOfInput:
        heard = _Heard()
        command_at = 0.0  # where the pending command begins
        passed_over: list[tuple[float, float]] = []  # other commands and closing phrases
        audio = self._turn_audio(self._heard_samples / self._rate)
        while True:
            more, grammar = self._feed(heard)
            now = self._heard_samples / self._rate
            for name, phrase, first, last in self._paused_commands(grammar):
                if name in names:
                    heard.pending, command_at = Command(name, phrase), first
                else:
                    passed_over.append((first - OVERLAP_S, last + OVERLAP_S))
            alone = said_alone(grammar.get("result", [])) if grammar else None
            if alone and self._commands.is_closing(alone[0]):
                passed_over.append((alone[1] - OVERLAP_S, alone[2] + OVERLAP_S))
            if heard.pending and (not heard.busy or not more):
                # Once the free-text recogniser has closed the command's words too, so they do
                # not leak into the next answer; what came before it is an answer of its own.
                early = [w for w in heard.words if w["start"] < command_at - OVERLAP_S]
                said = _without(_Heard(words=early), passed_over)
                if said.words:
                    self._stashed = heard.pending
                    return said.answer()
                return heard.pending
            if not more:
                said = _without(heard, passed_over)
                return said.answer() if said.words else EndOfInput()
            end = self._turns.decide(heard.view(now, audio), now, settings, asked=False)
            if end is not None:
                if heard.busy:  # only noise in progress: close it, its "words" are dropped
                    heard.add_final(self._text_result(self._text.FinalResult()))
                said = _without(heard, passed_over)
                if said.words:
                    return said.answer()
                heard, passed_over = _Heard(), []  # only commands or noise: wait on
                audio = self._turn_audio(now)


def _without(heard: _Heard, spans: list[tuple[float, float]]) -> _Heard:
    """The words heard outside these spans (commands that were passed over)."""
    words = [w for w in heard.words if not any(w["end"] > a and w["start"] < b for a, b in spans)]
    return _Heard(words=words)
