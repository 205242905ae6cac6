"""Where an answer ends: each way is a small rule behind one interface, asked in order.

A rule reads the turn as heard so far (speech/turns.py: `HeardTurn`) and says whether it has ended
now, and why: a `TurnEnd`, or the `Command` that was said on its own. The first rule that decides
wins (as Pipecat's user-turn stop strategies). A rule may drop evidence it has judged and found
wanting (a closing phrase with more words after it). The listeners ask them:

- speech, one answer (`answer_rules`): a continuation with no words, a closing phrase said alone,
  a command said alone, the input over, then the pause rules (`PauseRules`: the end silence and
  holding the floor, `Silence`; the turn model's early end, speech/smart_turns.py `SmartTurn`);
- speech, paused (`paused_rules`): the command waited for, the input over, the pause rules;
- speech, through timed audio (`OVER_AUDIO`): a command, the first utterance, the input over;
- typed (`TYPED`): a closing phrase on its own line, a command on its own, the input over.

What a turn's end turns into (an Answer, a Command, NoAnswer, EndOfInput) is the listener's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from assistant.base.settings import ListenSettings
from assistant.events import Command
from assistant.speech.turn_text import TurnWords, default_turn_words
from assistant.speech.turns import OVERLAP_S, HeardTurn, TurnEnd

#: A command phrase is at most this many words; a longer free-text reading of the same stretch
#: means the person was saying a sentence that merely contains the word.
MAX_COMMAND_WORDS = 4

Ending = TurnEnd | Command


class EndRule(Protocol):
    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        """Whether the turn has ended at `now_s` (seconds on the audio clock), and how."""


def first_end(
    rules: Sequence[EndRule], turn: HeardTurn, now_s: float, settings: ListenSettings
) -> Ending | None:
    """The first rule's decision, in order; None while the turn goes on."""
    for rule in rules:
        ended = rule.decide(turn, now_s, settings)
        if ended is not None:
            return ended
    return None


class Continuation:
    """A continuation (more of an answer, said over the next question) with no words after the
    end silence: only a sound went on ("mm", a cough), so the question is asked again."""

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        waited = now_s - turn.since_s
        if turn.continues and not turn.started and waited >= settings.end_silence_s:
            return TurnEnd.CONTINUATION
        return None


class ClosingPhrase:
    """A closing phrase ("that's all") said on its own ends the answer at once. Confirmed only
    when the free text heard it as an utterance of its own with nothing after it: at the end of a
    sentence ("I told him I'm done") or followed by more ("that's all... actually, one more
    thing") it is part of the answer. The answer is what came before it."""

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        if turn.closing is None or turn.busy or not turn.words:
            return None
        begin, end = turn.closing[0] - OVERLAP_S, turn.closing[1] + OVERLAP_S
        if turn.segment_start_s >= begin and turn.words[-1]["end"] <= end:
            return TurnEnd.CLOSING_PHRASE
        turn.closing = None
        return None


class CommandAlone:
    """A command said on its own, before any answer words, once the free text has closed the
    same stretch: a few words means it was said alone; more, that it was part of a sentence."""

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        if turn.pending is None or turn.busy:
            return None
        if len(turn.words) <= MAX_COMMAND_WORDS:
            return turn.pending
        turn.pending = None
        return None


class CommandAtOnce:
    """Over timed audio a command said on its own counts at once, as quickly as a barge-in."""

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        return turn.pending


class CommandWhilePaused:
    """While paused, the command waited for, once the free text has closed its words too (so they
    do not leak into the next answer) or the input is over. What came before it is an answer of
    its own, which the listener returns first."""

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        if turn.pending is not None and (not turn.busy or turn.input_over):
            return turn.pending
        return None


class InputOver:
    """The file or typed input ran out: what was said so far is kept rather than lost."""

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        return TurnEnd.INPUT_OVER if turn.input_over else None


class UtteranceClosed:
    """Through timed audio (breathing, a break): the first utterance the recogniser closes."""

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        return TurnEnd.UTTERANCE if turn.words and not turn.busy else None


class Silence:
    """An answer ends after `end_silence_s` of quiet, long enough for a thinking pause; after
    "give me a minute" only after `hold_floor_s`, and then it counts as no answer when nothing
    else was said. Asked for an answer (`turn.asked`), a long silence with no word is no answer;
    a long answer ends at the length cap, at a pause."""

    def __init__(self, words: TurnWords | None = None) -> None:
        self.words = words or default_turn_words()

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        if not turn.started:
            waited = now_s - turn.since_s
            return TurnEnd.NO_ANSWER if turn.asked and waited >= settings.no_answer_s else None
        quiet_s = now_s - (turn.last_voice_s if turn.last_voice_s is not None else now_s)
        holding = turn.holds_floor(self.words)
        if quiet_s >= (settings.hold_floor_s if holding else settings.end_silence_s):
            if holding and turn.asked and self.words.only_holding(turn.text):
                return TurnEnd.NO_ANSWER  # asked for time, then said nothing: ask again gently
            return TurnEnd.SILENCE
        since = turn.since_s if turn.asked else (turn.first_word_s or now_s)
        if holding:
            since = max(since, now_s - settings.hold_floor_s)  # the cap waits for the hold
        if now_s - since >= settings.max_answer_s and not turn.busy:
            return TurnEnd.LENGTH
        return None


class PauseRules:
    """The rules that end a turn at a pause, in order (`Silence` first, then any earlier end),
    each ending reported in one line when `report` is given (`--show-turns`): how it ended, the
    quiet waited, and what the rules add (the turn model's verdict)."""

    def __init__(self, *rules: EndRule, report: Callable[[str], None] | None = None) -> None:
        self.rules = rules
        self._report = report

    def decide(self, turn: HeardTurn, now_s: float, settings: ListenSettings) -> Ending | None:
        ended = first_end(self.rules, turn, now_s, settings)
        if ended is not None and self._report is not None:
            self._report(self._explain(ended, turn, now_s))
        return ended

    def _explain(self, ended: Ending, turn: HeardTurn, now_s: float) -> str:
        quiet = now_s - turn.last_voice_s if turn.last_voice_s is not None else 0.0
        reason = ended.value if isinstance(ended, TurnEnd) else ended.name
        notes = (rule.note(turn) for rule in self.rules if hasattr(rule, "note"))
        return f"turn: {reason} after {quiet:.2f} s of quiet" + "".join(notes)


def answer_rules(pause: EndRule) -> tuple[EndRule, ...]:
    """One spoken answer."""
    return (Continuation(), ClosingPhrase(), CommandAlone(), InputOver(), pause)


def paused_rules(pause: EndRule) -> tuple[EndRule, ...]:
    """Spoken while paused."""
    return (CommandWhilePaused(), InputOver(), pause)


#: Spoken through timed audio (a breathing exercise, a break).
OVER_AUDIO: tuple[EndRule, ...] = (CommandAtOnce(), UtteranceClosed(), InputOver())
#: Typed: a line at a time.
TYPED: tuple[EndRule, ...] = (ClosingPhrase(), CommandAlone(), InputOver())
