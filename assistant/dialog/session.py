"""One run of a script: ask, listen, save each turn as it ends, follow the voice commands.

Pure orchestration: the listener, the voice and the journal are passed in, so the same loop runs
on a microphone, a WAV file or typed lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from assistant.dialog.machine import Dialog
from assistant.dialog.script import Script
from assistant.events import Answer, Command, EndOfInput, Listener, NoAnswer
from assistant.journal.store import Journal
from assistant.speech.commands import CommandSet


class Speaker(Protocol):
    def say(self, text: str) -> None:
        """Print and speak; returns when speaking has finished."""


@dataclass(frozen=True)
class Outcome:
    session_id: str
    status: str  # completed, stopped or interrupted
    answers: int


class Session:
    def __init__(
        self,
        script: Script,
        listener: Listener,
        voice: Speaker,
        journal: Journal,
        commands: CommandSet,
        show_answer: Callable[[str], None] = lambda text: None,
    ) -> None:
        self._script = script
        self._listener = listener
        self._voice = voice
        self._journal = journal
        self._replies = commands.replies
        self._show_answer = show_answer
        self._answers = 0

    def run(self) -> Outcome:
        sid = self._journal.start(self._script.name)
        status = "interrupted"  # unless the loop says otherwise; Ctrl-C and crashes land here
        try:
            status = self._converse(sid)
        finally:
            self._journal.finish(sid, status)
        return Outcome(sid, status, self._answers)

    def _say(self, text: str) -> None:
        if text:
            self._voice.say(text)
            self._listener.after_speaking()  # half duplex: what the mic caught meanwhile is dropped

    def _converse(self, sid: str) -> str:
        dialog = Dialog(self._script)
        asked: list[str] = []  # questions moved on from, for "go back"
        self._say(self._script.intro)
        ask = True
        reprompted = ""  # the question that was already offered once more after a silence
        while not dialog.finished:
            state = self._script.states[dialog.state]
            if ask:
                self._say(state.prompt)
            ask = True
            heard = self._listener.listen(state.listen)

            if isinstance(heard, EndOfInput):
                return "interrupted"
            if isinstance(heard, Answer) and heard.text.strip():
                turn = {"state": state.name, "prompt": state.prompt, "answer": heard.text}
                if heard.end_s:
                    turn |= {"start_s": round(heard.start_s, 2), "end_s": round(heard.end_s, 2)}
                self._journal.add_turn(sid, turn)
                self._show_answer(heard.text)  # shown once it is safely saved
                self._answers += 1
                asked.append(state.name)
                dialog.advance(heard.text)
            elif isinstance(heard, Answer) and heard.closed:  # only "that's all": nothing to add
                asked.append(state.name)
                dialog.advance(None)
            elif isinstance(heard, (NoAnswer, Answer)):  # silence, or only noise
                if reprompted != state.name:
                    self._say(state.reprompt)
                    ask, reprompted = False, state.name
                else:
                    self._say(self._replies["movingon"])
                    asked.append(state.name)
                    dialog.advance(None)
            elif isinstance(heard, Command):
                outcome = self._command(heard, dialog, asked)
                if outcome == "ask":
                    continue
                if outcome == "listen":
                    ask = False
                    continue
                return outcome
        self._say(self._script.outro)
        return "completed"

    def _command(self, command: Command, dialog: Dialog, asked: list[str]) -> str:
        """Returns "ask" (ask the current question), "listen" (just listen again) or a status."""
        name = command.name
        if name == "skip":
            asked.append(dialog.state)
            dialog.advance(None)
        elif name == "back":
            if asked:
                dialog.go_to(asked.pop())
            else:
                self._say(self._replies["first"])
        elif name == "pause":
            self._say(self._replies["paused"])
            resumed = self._listener.wait_for_command(("continue", "stop"))
            if isinstance(resumed, EndOfInput):
                return "interrupted"
            if resumed.name == "stop":
                self._say(self._replies["stopped"])
                return "stopped"
            self._say(self._replies["resumed"])
        elif name == "stop":
            self._say(self._replies["stopped"])
            return "stopped"
        elif name == "continue":  # not paused: nothing to resume
            return "listen"
        return "ask"  # repeat, and after skip/back/pause: ask the (new) current question
