"""The listener: audio frames in, one answer or command out, decided in audio time.

It pulls what each frame brought from the recogniser (speech/recogniser.py: two recognisers, the
command window, the echo gate, the voice activity detector), keeps it as the turn heard so far
(speech/turns.py), and asks the end rules in order (speech/endpoint.py): a continuation with no
words, a closing phrase said on its own ("that's all"), a command said on its own, the end of the
input, then the pause rules (the end silence, holding the floor after "give me a minute", the turn
model's early end). It turns their decision into the typed event (assistant/events.py). Commands
count only when said on their own, before any answer words. Time is the clock of the transport's
frames, in samples: no clock is read, so a WAV replays exactly and fast.

An answer that ended on a pause may not be over. When the session asks the next question it arms
the join (`arm_join`); if the person goes on speaking over the question's start (louder than its
echo), the question stops and the next listen hears the rest from where their speech began and
returns it with `continues`, for the session to join to the same turn. Half duplex nothing can be
heard over a question, so there the end silence alone ends an answer.

Where speech belongs, the one rule (full duplex): speech that begins while a question plays
1. in its last ANSWER_LEAD_S (once the whole question is queued, so its end is known) answers
   that question: the question plays out and the next listen hears the answer from its start;
2. else, if the join is armed and it begins within the join window of the question's start, goes
   on with the answer before: the question stops, the part is joined, the question is asked again;
3. else it is not an answer (the free text is gated over the assistant's voice); a command said
   on its own is a barge-in whenever it comes.
After the question, speech answers it, except after the goodbye (rule 2 listens on for the join
window there, since no answer is due).

Full duplex: while the assistant speaks (`hear_out`), frames keep coming. The free-text recogniser
is fed silence wherever the assistant's voice or its echo may be, so no answer holds the
assistant's words; the command recogniser hears everything, and a command said over a prompt
(and louder than the prompt's echo) stops the prompt at once (barge-in) and is the next thing
`listen` returns. At an early end the grammar's utterance may still be open: a command said alone
in it is that command ("skip" is often "cape" to the free text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from assistant.audio.duplex import HalfDuplex, Transport
from assistant.audio.echo import EchoSettings
from assistant.audio.sources import AudioSource
from assistant.base.settings import ListenSettings
from assistant.events import Answer, Command, EndOfInput, Heard, NoAnswer
from assistant.speech.commands import CommandSet
from assistant.speech.endpoint import (
    OVER_AUDIO,
    CommandAlone,
    EndRule,
    PauseRules,
    Silence,
    answer_rules,
    first_end,
    paused_rules,
)  # fmt: skip
from assistant.speech.recogniser import CONTINUE_PREROLL_S, FrameHeard, Recogniser
from assistant.speech.turn_text import default_turn_words
from assistant.speech.turns import OVERLAP_S, HeardTurn, Phrases, TurnEnd, alone_in
from assistant.speech.vad import VoiceActivity

#: Over the next question, speech that goes on with an answer ended early counts once it has
#: lasted this long (s): a cough or an "mm" does not stop the question.
CONTINUE_AFTER_S = 0.25
#: Speech that begins in a question's last this-many seconds answers it (people start about
#: 0.2 s before a question ends): never joined to the answer before, the question plays out.
ANSWER_LEAD_S = 1.0
#: ... and is heard as the answer's start once voiced this long (s): as for a continuation, a
#: cough does not count.
ANSWER_BEGUN_S = CONTINUE_AFTER_S
_ANY = ListenSettings()  # the rules over timed audio read no setting


@dataclass
class _Join:
    """An answer that ended on a pause may go on over the next question (see arm_join)."""

    may_go_on: bool = False  # the last answer ended on a pause: the person may go on
    armed: bool = False  # the prompt now playing may be cut by a continuation
    linger: bool = False  # and after it, for the join window: it is the goodbye
    continuing: int | None = None  # a continuation began here; for the next listen
    answering: int | None = None  # an answer to the question began here, over its end
    window_s: float = ListenSettings().join_window_s  # the current script's, once known
    cuts: list[tuple[int, int]] = field(default_factory=list)  # (speech start, cut), samples

    def ended(self, end: TurnEnd | None) -> None:
        self.may_go_on = end in (TurnEnd.EARLY, TurnEnd.SILENCE)


@dataclass
class _Kept:
    """Commands kept for the next call, and each barge-in with the clock sample of its cut."""

    barged: Command | None = None  # said over a prompt, for the next listen
    stashed: Command | None = None  # said right after speech, while paused
    barge_ins: list[tuple[Command, int]] = field(default_factory=list)


class SpeechListener:
    def __init__(
        self,
        transport: Transport | AudioSource,
        model: object,
        commands: CommandSet,
        on_partial: Callable[[str], None] | None = None,
        turns: EndRule | None = None,
        echo: EchoSettings | None = None,
        vad: VoiceActivity | None = None,
    ) -> None:
        if not hasattr(transport, "player"):  # a first-version source: half duplex
            transport = HalfDuplex(transport)
        words = default_turn_words()
        holding = [" ".join(p) for p in words.holding]
        self._rec = Recogniser(transport, model, commands, holding, echo, vad)
        self._commands = commands
        self._phrases = Phrases(commands, words)
        self._on_partial = on_partial or (lambda text: None)
        pause = turns or PauseRules(Silence(words))
        self._answer_rules, self._paused_rules = answer_rules(pause), paused_rules(pause)
        self._join = _Join()
        self._kept = _Kept()
        self._attending = HeardTurn(asked=False)  # free text heard through timed audio, not closed

    @property
    def barge_ins(self) -> list[tuple[Command, int]]:
        return self._kept.barge_ins

    @property
    def continuations(self) -> list[tuple[int, int]]:
        return self._join.cuts

    @property
    def interrupted(self) -> bool:
        """A command, or more of an answer, was said over the assistant's speech and has not been
        listened to yet."""
        return self._kept.barged is not None or self._join.continuing is not None

    def after_speaking(self) -> None:
        # A command kept from before the assistant spoke was said before hearing it: ask anew.
        self._kept.stashed = None
        self._join.armed = self._join.linger = False
        self._rec.transport.drop_buffered()  # half duplex only: what the mic caught meanwhile

    def arm_join(self, *, last: bool = False) -> None:
        """The next question is about to be asked: if the answer before it ended on a pause and
        the person goes on speaking over the question's start, the question stops and what they
        say is the same answer (listen's next result, with `continues`). `last`: it is the
        goodbye, so listen on for the whole join window even after it (no answer is due)."""
        # The goodbye too: with the early end off, a pause longer than the end silence in the
        # last answer would otherwise lose what follows it (a "thank you" said back is joined
        # to the answer instead, the smaller harm).
        may = self._join.may_go_on
        self._join.armed = may and self._rec.vad is not None
        self._join.linger = last and self._join.armed

    def _hear(self, turn: HeardTurn, quick_commands: bool = False) -> FrameHeard:
        """One frame heard, and taken into the turn (partial transcripts are shown)."""
        heard = self._rec.hear(quick_commands)
        for at_s in heard.voice_ended:
            turn.voice_ended(at_s)
        if heard.speaking:
            turn.voice(heard.now_s)
        turn.input_over = not heard.more
        if heard.utterance is not None:
            self._phrases.utterance(turn, heard.utterance)
            if heard.utterance.get("result"):
                self._on_partial(turn.closed_text())
        elif heard.partial is not None and turn.set_partial(
            heard.partial, heard.now_s if self._rec.vad is None else None
        ):
            self._on_partial(turn.text)
        return heard

    def _kept_command(self, names: tuple[str, ...] | None = None) -> Heard | None:
        """A command said over the last prompt (while paused, only one of `names`; another is
        dropped), or EndOfInput: what a call returns before hearing anything."""
        command, self._kept.barged = self._kept.barged, None
        if command is not None and (names is None or command.name in names):
            return command
        if names is not None and self._kept.stashed is not None:
            command, self._kept.stashed = self._kept.stashed, None
            return command
        return EndOfInput() if self._rec.ended else None

    # -- one answer --------------------------------------------------------------------------
    def listen(self, settings: ListenSettings) -> Heard:
        if (kept := self._kept_command()) is not None:
            return kept
        self._join.window_s = settings.join_window_s
        if self._rec.transport.player is None and settings.early_end:
            # Half duplex nothing is heard over the next question, so an answer cut too early
            # could not be joined again: only the end silence ends it.
            settings = replace(settings, early_end=False)
        continues = self._join.continuing is not None
        since = self._join.continuing if continues else self._join.answering
        if since is not None:
            self._rec.hear_again_from(since)
            self._rec.ungated = True  # the prompt's tail (and its echo) is theirs now
            self._rec.keep_audio(since / self._rec.rate - CONTINUE_PREROLL_S, raw=True)
        else:
            self._rec.keep_audio(self._rec.now_s)
        self._join.ended(None)  # a new answer: none that could go on yet
        try:
            return self._with_audio(self._listen(settings, continues, begun=since is not None))
        finally:
            self._join.continuing = self._join.answering = None
            self._rec.ungated = False
            self._rec.take_audio()  # keeping stops

    def _with_audio(self, heard: Heard) -> Heard:
        """An answer with the audio it was heard in, for the second pass."""
        if not isinstance(heard, Answer) or not heard.words:
            return heard
        audio, start_s = self._rec.take_audio()
        return replace(heard, audio=audio, audio_start_s=start_s)

    def _listen(self, settings: ListenSettings, continues: bool, begun: bool) -> Heard:
        """`begun`: the person's speech began over the prompt (heard again from its start)."""
        start = self._rec.now_s
        audio = self._rec.audio_since(start - CONTINUE_PREROLL_S if begun else start)
        turn = HeardTurn(start, asked=True, continues=continues, audio=audio)
        if begun:
            turn.voice(start)  # speaking now, though no word is out yet
        while True:
            heard = self._hear(turn)
            if self._rec.ungated and not self._rec.gated_now():
                self._rec.ungated = False  # the question's tail is over: gate as usual again
            self._phrases.answering(turn, heard.grammar)
            if heard.more:
                self._phrases.holding_in_progress(
                    turn, heard.now_s, self._rec.grammar_partial, settings.early_end_after_s
                )
            ended = first_end(self._answer_rules, turn, heard.now_s, settings)
            if ended is not None:
                return self._answer_ended(turn, ended, heard.now_s, settings)

    def _answer_ended(
        self, turn: HeardTurn, ended: TurnEnd | Command, now_s: float, settings: ListenSettings
    ) -> Heard:
        """The typed event for how the answer ended."""
        if isinstance(ended, Command):
            return ended
        if ended is TurnEnd.CLOSING_PHRASE:
            assert turn.closing is not None
            return turn.answer(closed=True, before_s=turn.closing[0] - OVERLAP_S)
        if ended is TurnEnd.INPUT_OVER:  # mid-answer: keep what was said rather than lose it
            return turn.answer() if turn.words else EndOfInput()
        if ended is TurnEnd.NO_ANSWER:
            return NoAnswer(round(now_s - turn.since_s, 2))
        if ended in (TurnEnd.SILENCE, TurnEnd.EARLY) and turn.busy:
            # the utterance is still open: close it (noise in it is dropped as "words")
            turn.add_final(self._rec.close_text())
            # A command the grammar already heard alone waited only for the free text to close
            # ("skip" that the free text was still writing as "cape"): now it can be taken.
            if isinstance(command := CommandAlone().decide(turn, now_s, settings), Command):
                return command
        if ended is TurnEnd.EARLY and (command := self._command_in_progress(turn)):
            return command
        self._join.ended(ended)  # on a pause the person may go on over the next question
        answer = turn.answer()
        # Where the command recogniser missed it (not fed, or outvoted by an echo), the free
        # text holding nothing but a command phrase is that command, as typed.
        name = self._commands.match(answer.text) if answer.text else None
        return Command(name, answer.text) if name else answer  # type: ignore[arg-type]

    def _command_in_progress(self, turn: HeardTurn) -> Command | None:
        """An early end can come before the grammar has closed its utterance: close it now."""
        alone = alone_in(self._rec.close_grammar())
        if not alone:
            return None
        turn.grammar = alone[0]  # a rating's number, read from the answer
        return self._phrases.command_first(turn, alone[0], alone[1])

    # -- through timed audio -------------------------------------------------------------------
    def attend(self, pump: Callable[[bool], bool]) -> Heard | None:
        """Listen through timed audio (a breathing exercise, a break) without stopping it. Returns
        the first command said on its own, as quickly as a barge-in is taken; else the first
        utterance of free text once the recogniser has closed it; EndOfInput; or None once
        `pump(wait)` (as in hear_out) says nothing more is coming and nothing is playing."""
        if (kept := self._kept_command()) is not None:
            return kept
        self._join.ended(None)  # nothing heard here goes on over a question
        self._join.answering = None  # nor answers one
        with self._rec.every_command():  # "stop" may come at any moment
            return self._attend(pump)

    def _attend(self, pump: Callable[[bool], bool]) -> Heard | None:
        player, live = self._rec.transport.player, self._rec.transport.live
        turn = self._attending
        while True:
            busy = player is not None and player.busy
            more = pump(not live and not busy)
            if not more and not busy and not turn.busy:
                self._attending = HeardTurn(asked=False)
                return turn.answer() if turn.words else None
            heard = self._hear(turn, quick_commands=True)
            self._phrases.over_audio(turn, heard.grammar)
            ended = first_end(OVER_AUDIO, turn, heard.now_s, _ANY)
            if isinstance(ended, Command):
                self._rec.close_text()  # its words must not come back as an answer
            if ended is TurnEnd.INPUT_OVER:
                return turn.answer() if turn.words else EndOfInput()
            if ended is not None:
                self._attending = HeardTurn(asked=False)
                return ended if isinstance(ended, Command) else turn.answer()

    # -- while the assistant speaks ---------------------------------------------------------------
    def hear_out(self, pump: Callable[[bool], bool]) -> bool:
        """Listen while the player speaks, until it has finished or a command said over it stops
        it. `pump(wait)` queues the prompt's next rendered sentences and says whether more are
        coming (`wait`: block for the next one, for a file, where rendering takes no audio time).
        Returns True when a barge-in stopped the prompt (the command is listen's next result)."""
        player = self._rec.transport.player
        if player is None or self._rec.ended:
            while pump(True):
                pass
            return False
        with self._rec.every_command():  # a barge-in may come at any moment
            return self._hear_out(pump, player)

    def _hear_out(self, pump: Callable[[bool], bool], player) -> bool:
        turn = HeardTurn()  # the free text is gated here; kept only to take what was heard
        join, live = self._join, self._rec.transport.live
        # Only over the last prompt before a listen: heard again from a prompt before it, the
        # audio would hold the whole prompt since (and its echo).
        join.answering = None
        join_until = self._rec.clock + int(join.window_s * self._rec.rate)
        while True:
            more = pump(not live and not player.busy)
            lingering = join.linger and join.armed and self._rec.clock < join_until
            if not more and not player.busy and not lingering:
                return False
            heard = self._hear(turn, quick_commands=True)
            self._phrases.over_audio(turn, heard.grammar)
            if turn.pending is not None:
                self._kept.barged = turn.pending
                self._kept.barge_ins.append((turn.pending, player.stop()))
                return True
            if not more and not join.linger and self._answer_begun(player):
                join.armed = False  # it answers this question: not joined (no goodbye answered)
            if join.armed and self._goes_on(join_until, player):
                return True
            if not heard.more:
                player.stop()
                return False

    def _answer_begun(self, player) -> bool:
        """Speech began in the last ANSWER_LEAD_S of the prompt (all of it queued, so its end is
        known): the answer to it, heard from its start by the next listen."""
        if self._join.answering is not None or not player.busy:
            return self._join.answering is not None
        end = player.end
        since = self._rec.speaking_over_echo(end, ANSWER_BEGUN_S)
        if since is None or since < end - int(ANSWER_LEAD_S * self._rec.rate):
            return False
        self._join.answering = since
        return True

    def _goes_on(self, join_until: int, player) -> bool:
        """The person has been speaking for CONTINUE_AFTER_S over the question's start, louder
        than its echo: they had not finished. The question stops; the next listen hears them."""
        since = self._rec.speaking_over_echo(join_until, CONTINUE_AFTER_S)
        if since is None:
            return False
        self._join.armed = False
        self._join.continuing = since
        self._rec.ungated = True  # the question's tail is theirs now
        self._join.cuts.append((since, player.stop()))
        return True

    # -- paused ------------------------------------------------------------------------------
    def wait_for_command(
        self, names: tuple[str, ...], settings: ListenSettings
    ) -> Command | Answer | EndOfInput:
        """While paused: one of these commands, or what was said meanwhile, as an answer (the
        session saves and checks it: someone who paused may still need to be heard). Speech ends
        as an answer does, after `end_silence_s` of quiet. "Continue" counts even with speech
        right after it (the person starts answering at once: the question is asked again);
        "stop" must be said on its own; other commands said on their own are passed over. A
        command said soon after other speech is kept for the next call, so neither is lost."""
        if (kept := self._kept_command(names)) is not None:
            return kept  # type: ignore[return-value]
        self._join.ended(None)  # nothing heard here goes on over a question
        self._join.answering = None  # nor answers one
        self._rec.keep_audio(self._rec.now_s)
        with self._rec.every_command():  # while paused, any moment may be "continue"
            # No question waits while paused: what is said ends on the end silence alone.
            heard = self._wait_for_command(names, replace(settings, early_end=False))
        return self._with_audio(heard)  # type: ignore[return-value]

    def _wait_for_command(
        self, names: tuple[str, ...], settings: ListenSettings
    ) -> Command | Answer | EndOfInput:
        turn = self._paused_turn()
        while True:
            heard = self._hear(turn)
            self._phrases.paused(turn, heard.grammar, names)
            ended = first_end(self._paused_rules, turn, heard.now_s, settings)
            if isinstance(ended, Command):
                said = turn.answer(before_s=turn.pending_at_s - OVERLAP_S)
                if said.words:  # what came before it is an answer of its own
                    self._kept.stashed = ended
                    return said
                return ended
            if ended is TurnEnd.INPUT_OVER:
                return turn.answer() if turn.kept_words() else EndOfInput()
            if ended is not None:
                if turn.busy:  # only noise in progress: close it, its "words" are dropped
                    turn.add_final(self._rec.close_text())
                if turn.kept_words():
                    return turn.answer()
                turn = self._paused_turn()  # only commands or noise: wait on

    def _paused_turn(self) -> HeardTurn:
        now = self._rec.now_s
        return HeardTurn(now, asked=False, audio=self._rec.audio_since(now))
