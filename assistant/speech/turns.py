"""What one turn has heard so far, on the audio clock, and what the phrases in it mean.

`HeardTurn` is the state the end rules (speech/endpoint.py) read: the words the free-text recogniser
closed and the ones in progress, where the person's voice was last heard, and the evidence the
command grammar gave (a command or a closing phrase said alone, a request for time). `Phrases`
notes that evidence on a turn. Neither decides where the turn ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from assistant.events import Answer, Command
from assistant.speech.commands import CommandSet
from assistant.speech.turn_text import TurnWords

#: Words this close before a command or closing phrase belong to it (Vosk's word times jitter).
OVERLAP_S = 0.3
#: No spoken word lasts longer. Vosk closes 20 s of microphone hiss as one long "huh", and glues
#: the hiss before an answer onto its first word; such "words" are not speech.
MAX_WORD_S = 2.5
#: A typed line is one unit of a turn (its words carry no times), this far from the next.
LINE_S = 1.0


class TurnEnd(Enum):
    """Why a turn ended (a command said on its own ends it as that Command instead)."""

    SILENCE = "silence"  # quiet long enough after the last word
    EARLY = "early"  # a short pause, and the turn model judged the turn complete
    LENGTH = "length"  # the length cap, at a pause
    NO_ANSWER = "no answer"  # nothing at all was said (or only "give me a minute")
    CLOSING_PHRASE = "closing phrase"  # "that's all" said on its own
    CONTINUATION = "continuation"  # only a sound went on over the question, no words
    INPUT_OVER = "input over"  # the file or typed input ran out
    UTTERANCE = "utterance"  # through timed audio: the first utterance the recogniser closed


@dataclass
class HeardTurn:
    """One turn as heard so far (times in seconds of audio heard this session)."""

    since_s: float = 0.0  # listening since
    asked: bool = True  # a question waits for this turn: a long silence means no answer
    continues: bool = False  # it goes on with an answer that ended too early
    #: The person's side of the last seconds up to a time (16 kHz int16), made when asked for.
    audio: Callable[[float], np.ndarray] | None = None
    words: list[dict] = field(default_factory=list)
    partial: str = ""  # the text of the utterance in progress
    last_voice_s: float | None = None
    segment_start_s: float = 0.0  # first word of the latest free-text utterance
    input_over: bool = False
    # -- what the grammar heard (and a rule may drop once judged) --
    grammar: str = ""  # the last phrase the grammar heard alone (a number, for a rating)
    pending: Command | None = None  # a command, waiting for the free text to confirm it
    pending_at_s: float = 0.0  # where it begins
    closing: tuple[float, float] | None = None  # where a closing phrase was heard (start, end)
    holding_s: float | None = None  # where the grammar heard "give me a minute" alone ended
    pause_checked: float | None = None  # last_voice_s of the pause the grammar was asked about
    passed_over: list[tuple[float, float]] = field(default_factory=list)  # not part of it

    def add_final(self, result: dict) -> None:
        words = [w for w in result.get("result", []) if w["end"] - w["start"] <= MAX_WORD_S]
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

    @property
    def started(self) -> bool:
        return bool(self.words or self.partial)

    @property
    def first_word_s(self) -> float | None:
        return self.words[0]["start"] if self.words else None

    def closed_text(self, before_s: float | None = None) -> str:
        words = self.words if before_s is None else [w for w in self.words if w["start"] < before_s]
        return " ".join(w["word"] for w in words)

    @property
    def text(self) -> str:
        """The transcript so far, words in progress included."""
        return " ".join(filter(None, (self.closed_text(), self.partial)))

    @property
    def holding(self) -> bool | None:
        """True when the last thing said was a request for time that the grammar heard (the
        free text often mishears it: "let me think" as "lately think"); False when words came
        after it; None when the grammar heard none."""
        if self.holding_s is None:
            return None
        after = [w for w in self.words if w["start"] > self.holding_s + OVERLAP_S]
        speaking_again = (self.last_voice_s or 0.0) > self.holding_s + 2 * OVERLAP_S
        return not after and not speaking_again

    def holds_floor(self, words: TurnWords) -> bool:
        """The person asked for time ("give me a minute") and has said nothing since: as the
        grammar heard it, else as the transcript says."""
        if self.holding is not None:
            return self.holding
        return bool(self.text) and words.asks_for_time(self.text)

    def kept_words(self, before_s: float | None = None) -> list[dict]:
        """The words that belong to the answer: before `before_s`, outside what was passed over
        (commands while paused)."""
        return [
            w
            for w in self.words
            if (before_s is None or w["start"] < before_s)
            and not any(w["end"] > a and w["start"] < b for a, b in self.passed_over)
        ]

    def answer(self, *, closed: bool = False, before_s: float | None = None) -> Answer:
        words = self.kept_words(before_s)
        if not words:
            return Answer("", closed=closed, continues=self.continues)
        return Answer(
            " ".join(w["word"] for w in words), words[0]["start"], words[-1]["end"], closed,
            tuple(words), self.grammar, self.continues,
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


def alone_in(grammar: dict | None) -> tuple[str, float, float] | None:
    """The phrase a grammar result holds said on its own (see said_alone), if any."""
    return said_alone(grammar.get("result", [])) if grammar else None


class Phrases:
    """Notes on a turn what the phrases heard mean: a closing phrase, a command said alone, a
    request for time. Each way of listening reads the grammar its own way."""

    def __init__(self, commands: CommandSet, words: TurnWords) -> None:
        self._commands = commands
        self._words = words

    def utterance(self, turn: HeardTurn, result: dict) -> None:
        """The free-text recogniser closed an utterance: a closing phrase when it is one."""
        words = result.get("result", [])
        if words and self._commands.is_closing(result.get("text", "")):
            turn.closing = (words[0]["start"], words[-1]["end"])
        turn.add_final(result)

    def alone(self, turn: HeardTurn, phrase: str, first: float, last: float) -> None:
        """A phrase said on its own (the grammar's, or a typed line)."""
        turn.grammar = phrase
        if self._commands.is_closing(phrase):
            turn.closing = (first, last)
        if self._words.asks_for_time(phrase):
            turn.holding_s = last
        turn.pending = self.command_first(turn, phrase, first) or turn.pending

    def answering(self, turn: HeardTurn, grammar: dict | None) -> None:
        """While an answer is listened to: whatever the grammar heard alone."""
        if alone := alone_in(grammar):
            self.alone(turn, *alone)

    def command_first(self, turn: HeardTurn, phrase: str, first: float) -> Command | None:
        """The command `phrase` says, if nothing of the answer came before it."""
        name = self._commands.match(phrase)
        if name and not turn.closed_text(before_s=first - OVERLAP_S):
            return Command(name, phrase)  # type: ignore[arg-type]
        return None

    def line(self, turn: HeardTurn, line: str, index: int) -> None:
        """A typed line: one unit of the turn, said alone."""
        at = index * LINE_S
        self.utterance(turn, {"text": line, "result": [{"word": line, "start": at, "end": at}]})
        self.alone(turn, line, at, at)

    def over_audio(self, turn: HeardTurn, grammar: dict | None) -> None:
        """Over a prompt or timed audio: a command said on its own counts at once."""
        alone = alone_in(grammar)
        name = self._commands.match(alone[0]) if alone else None
        if alone and name:
            turn.pending = Command(name, alone[0])  # type: ignore[arg-type]

    def paused(self, turn: HeardTurn, grammar: dict | None, names: tuple[str, ...]) -> None:
        """While paused: one of `names` is the command waited for; other commands and closing
        phrases are passed over (not part of what was said)."""
        for name, phrase, first, last in self._paused_commands(grammar):
            if name in names:
                turn.pending, turn.pending_at_s = Command(name, phrase), first  # type: ignore[arg-type]
            else:
                turn.passed_over.append((first - OVERLAP_S, last + OVERLAP_S))
        alone = alone_in(grammar)
        if alone and self._commands.is_closing(alone[0]):
            turn.passed_over.append((alone[1] - OVERLAP_S, alone[2] + OVERLAP_S))

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

    def holding_in_progress(self, turn: HeardTurn, now_s: float, grammar_partial: Callable[[], str],
                            early_end_after_s: float) -> None:  # fmt: skip
        """Once per pause, before an early end could be taken: the grammar's utterance still in
        progress may be "hold on, let me think" (its closed result comes up to a second later,
        and the free text often mishears it)."""
        last = turn.last_voice_s
        if turn.holding_s is not None or last is None or turn.pause_checked == last:
            return
        if now_s - last < early_end_after_s - 0.1:
            return
        turn.pause_checked = last
        partial = grammar_partial()
        if partial and self._words.asks_for_time(partial):
            turn.holding_s = last
