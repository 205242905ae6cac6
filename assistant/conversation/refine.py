"""The second pass inside a session: each spoken answer is saved at once with the live text, its
audio goes to the second pass (speech/second_pass.py) while the next question is spoken, and the
accurate text replaces the live one in the journal before the next answer is taken.

`Refining` keeps the answers still on their way; `SettledListener` is the session's listener
with one step in front of each listen: settle what the second pass has (waiting for it if need
be), so a concern that only the accurate text shows is answered before the person's next answer.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from assistant.base.settings import ListenSettings
from assistant.dialog.outcomes import Choice
from assistant.events import Answer, Command, EndOfInput, Heard, Listener
from assistant.speech.second_pass import SecondPass, timed_words


@dataclass
class Part:
    """One spoken part of a turn (an answer, or what the person went on to say)."""

    live: str
    job: Future | None  # the second pass at work; None: no audio, the live text stays

    def text(self) -> str:
        """The accurate text (waits for it), or the live one where there is none."""
        found = self.job.result() if self.job is not None else None
        return found if found else self.live


@dataclass
class Refined:
    """A turn whose accurate text has come: what the journal and the safety check need."""

    turn_id: int
    state: str
    text: str
    live: str


@dataclass
class Refining:
    """The turns of a session whose second pass is under way."""

    second_pass: SecondPass | None
    #: Every spoken turn's parts, kept once settled: what the person goes on to say later is
    #: joined to the accurate text of what they said first.
    _turns: dict[int, tuple[str, list[Part]]] = field(default_factory=dict)
    _open: set[int] = field(default_factory=set)  # turns with a part still to settle
    _last: int | None = None

    def part(self, heard: Answer) -> Part:
        """Start the second pass of `heard` (nothing happens to a typed answer)."""
        if self.second_pass is None or heard.audio is None or not heard.words:
            return Part(heard.text, None)
        job = self.second_pass.submit(heard.audio, heard.words, heard.audio_start_s)
        return Part(heard.text, job)

    def accurate(self, heard: Answer) -> Answer:
        """`heard` with the second pass's text, waiting for it (the coach needs the words);
        unchanged when there is none."""
        text = self.part(heard).text()
        if text == heard.text:
            return heard
        words = tuple(timed_words(text, heard.words))  # Vosk's times, the accurate words
        return replace(heard, text=text, words=words, heard_live=heard.text)

    def add(self, turn_id: int, state: str, heard: Answer) -> None:
        self._last = turn_id
        part = self.part(heard)
        self._turns[turn_id] = (state, [part])
        if part.job is not None:
            self._open.add(turn_id)

    def extend(self, heard: Answer) -> None:
        """More of the last turn's answer."""
        if self._last is None or self._last not in self._turns:
            return
        part = self.part(heard)
        self._turns[self._last][1].append(part)
        if part.job is not None:
            self._open.add(self._last)

    def settle(self) -> list[Refined]:
        """Every turn under way, once its accurate text has come (waits for it)."""
        done = []
        for turn_id in sorted(self._open):
            state, parts = self._turns[turn_id]
            text = " ".join(p.text() for p in parts)
            done.append(Refined(turn_id, state, text, " ".join(p.live for p in parts)))
        self._open.clear()
        return done


#: What a choice made in the safety flow, before the next answer was heard, means there.
_AFTER_FLOW: dict[Choice, Heard] = {
    Choice.CONTINUE: Command("repeat", ""),  # the question was asked before the flow: again
    Choice.PAUSE: Command("pause", ""),
    Choice.STOP: Command("stop", ""),
    Choice.INTERRUPTED: EndOfInput(),
}


class SettledListener:
    """A listener that first settles the second pass (`settle`: the safety flow's choice when a
    concern came up only in the accurate text). Inside that flow it is the plain listener."""

    def __init__(self, inner: Listener, settle: Callable[[ListenSettings], Choice | None]):
        self._inner = inner
        self._settle = settle
        self._settling = False

    def _settled(self, settings: ListenSettings) -> Choice | None:
        if self._settling:
            return None
        self._settling = True
        try:
            return self._settle(settings)
        finally:
            self._settling = False

    def listen(self, settings: ListenSettings) -> Heard:
        choice = self._settled(settings)
        return self._inner.listen(settings) if choice is None else _AFTER_FLOW[choice]

    def wait_for_command(
        self, names: tuple[str, ...], settings: ListenSettings
    ) -> Command | Answer | EndOfInput:
        choice = self._settled(settings)
        if choice is None or choice is Choice.CONTINUE or choice is Choice.PAUSE:
            return self._inner.wait_for_command(names, settings)
        return _AFTER_FLOW[choice]  # type: ignore[return-value]

    def after_speaking(self) -> None:
        self._inner.after_speaking()

    def arm_join(self, *, last: bool = False) -> None:
        self._inner.arm_join(last=last)

    @property
    def interrupted(self) -> bool:
        return self._inner.interrupted

    def hear_out(self, pump: Callable[[bool], bool]) -> bool:
        return self._inner.hear_out(pump)

    def __getattr__(self, name: str):  # the rest of the inner listener (attend, barge_ins, ...)
        return getattr(self._inner, name)
