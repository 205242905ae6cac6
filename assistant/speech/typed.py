"""The typed listener (for --typed, pipes and tests): one line of text is one answer, except
where the script says answers are long (`listen: {long_answer: true}`, as in the journal): there
an answer runs over as many lines as are typed, until an empty line, a closing phrase on its own
line ("that's all"), or the end of input. Each line is one unit of the turn, said alone; the end
rules that apply to lines (speech/endpoint.py TYPED: a closing phrase, a command on its own, the
input over) are the spoken listener's."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import TextIO

from assistant.base.settings import ListenSettings
from assistant.events import Answer, Command, EndOfInput, Heard, NoAnswer
from assistant.speech.commands import CommandSet
from assistant.speech.endpoint import TYPED, first_end
from assistant.speech.turn_text import default_turn_words
from assistant.speech.turns import HeardTurn, Phrases, TurnEnd


class TypedListener:
    def __init__(self, lines: TextIO, commands: CommandSet, prompt: str = "") -> None:
        self._lines = lines
        self._commands = commands
        self._phrases = Phrases(commands, default_turn_words())
        self._prompt = prompt  # shown before each line when a person is typing at a terminal
        self._pending: str | None = None  # a command line that ended a long answer, still to do
        #: Lines read ahead by a thread, once something had to wait for a line with a timeout.
        self._ahead: queue.Queue[str | None] | None = None
        self._eof = False

    def _read_ahead(self) -> None:
        while True:
            line = self._lines.readline()
            assert self._ahead is not None
            self._ahead.put(None if line == "" else line)
            if line == "":
                return

    def _next_line(self, timeout_s: float | None = None) -> str | None:
        """The next raw line ("" on a timeout, None at the end of input)."""
        if self._ahead is None:
            if timeout_s is None:
                return self._lines.readline() or None
            self._ahead = queue.Queue()
            threading.Thread(target=self._read_ahead, daemon=True, name="reflect-typed").start()
        if self._eof:
            return None
        try:
            line = self._ahead.get(timeout=timeout_s)
        except queue.Empty:
            return ""
        self._eof = line is None
        return line

    def poll(self, timeout_s: float) -> Heard | None:
        """A line typed within `timeout_s` (timed exercises): a command, or an answer; None when
        nothing was typed; EndOfInput once the input has ended."""
        line = self._next_line(max(0.0, timeout_s))
        if line is None:
            return EndOfInput()
        line = line.strip()
        if not line:
            return None
        name = self._commands.match(line)
        return Command(name, line) if name else Answer(line)

    def _readline(self, prompt: str | None = None) -> str | None:
        if self._pending is not None:
            line, self._pending = self._pending, None
            return line
        if self._prompt:
            print(self._prompt if prompt is None else prompt, end="", flush=True)
        line = self._next_line()
        return None if line is None else line.strip()

    def listen(self, settings: ListenSettings) -> Heard:
        if settings.long_answer and self._prompt and self._pending is None:
            print(self._commands.replies["typed_long"], flush=True)  # in typing words
        turn, lines = HeardTurn(), []
        while True:
            line = self._readline(prompt=("  " if self._prompt else None) if lines else None)
            if line == "":  # an empty line ends a long answer; alone it is no answer
                return Answer("\n".join(lines)) if lines else NoAnswer(0.0)
            if line is None:
                turn.input_over = True  # (after an answer, heard on the next listen)
            else:
                self._phrases.line(turn, line, len(lines))
            ended = first_end(TYPED, turn, 0.0, settings)
            if isinstance(ended, Command):
                return ended
            if ended is TurnEnd.CLOSING_PHRASE:
                return Answer("\n".join(lines), closed=True)
            if ended is TurnEnd.INPUT_OVER:
                return Answer("\n".join(lines)) if lines else EndOfInput()
            assert line is not None
            if lines and self._commands.match(line):
                self._pending = line  # a command on its own line ends a long answer, then counts
                return Answer("\n".join(lines))
            lines.append(line)
            if not settings.long_answer:
                return Answer(line)

    def wait_for_command(
        self, names: tuple[str, ...], settings: ListenSettings
    ) -> Command | Answer | EndOfInput:
        """While paused: one of `names`, or any other line that is not a command, as an answer
        (the session saves and checks it). Empty lines, other commands and closing phrases are
        passed over."""
        while (line := self._readline()) is not None:
            name = self._commands.match(line)
            if name in names:
                return Command(name, line)
            if line and not name and not self._commands.is_closing(line):
                return Answer(line)
        return EndOfInput()

    def after_speaking(self) -> None:
        pass

    def arm_join(self, *, last: bool = False) -> None:
        pass  # a typed answer ends when it is sent

    interrupted = False  # typing cannot interrupt a prompt

    def hear_out(self, pump: Callable[[bool], bool]) -> bool:
        while pump(True):
            pass
        return False
