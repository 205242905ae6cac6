"""The typed listener: one line of text is one answer (for --typed, pipes and tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from assistant.events import Answer, Command, EndOfInput, Heard, NoAnswer
from assistant.settings import ListenSettings
from assistant.speech.commands import CommandSet


class TypedListener:
    def __init__(self, lines: TextIO, commands: CommandSet, prompt: str = "") -> None:
        self._lines = lines
        self._commands = commands
        self._prompt = prompt  # shown before each line when a person is typing at a terminal

    def _readline(self) -> str | None:
        if self._prompt:
            print(self._prompt, end="", flush=True)
        line = self._lines.readline()
        return None if line == "" else line.strip()

    def listen(self, settings: ListenSettings) -> Heard:
        line = self._readline()
        if line is None:
            return EndOfInput()
        if not line:
            return NoAnswer(0.0)
        if self._commands.is_closing(line):
            return Answer("", closed=True)
        name = self._commands.match(line)
        return Command(name, line) if name else Answer(line)

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

    interrupted = False  # typing cannot interrupt a prompt

    def hear_out(self, pump: Callable[[bool], bool]) -> bool:
        while pump(True):
            pass
        return False
