"""Typed events that flow from a listener to the session, and the ports the session talks through:
the listener, and the voice (what it says, and cues at planned times)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from assistant.base.settings import ListenSettings


@dataclass(frozen=True)
class Answer:
    """Something the user said (or typed) in reply; times are seconds of input audio."""

    text: str
    start_s: float = 0.0
    end_s: float = 0.0
    closed: bool = False  # ended by a closing phrase ("that's all"); with no text: nothing to add
    #: Vosk's word times (word, start, end, conf), seconds of input audio; empty when typed.
    words: tuple[dict, ...] = ()
    #: What the command grammar heard alone in it (it also knows the numbers one to ten, which
    #: the free-text decoder mishears: "seven" as "sam and"); read by rating questions.
    grammar: str = ""
    #: It goes on with the previous answer, which ended too early (the person spoke over the
    #: next question's start): the session joins the two into one turn.
    continues: bool = False
    #: The answer's audio (16 kHz int16) from `audio_start_s` on the clock, for the second pass
    #: (speech/second_pass.py); None when typed.
    audio: np.ndarray | None = field(default=None, compare=False, repr=False)
    audio_start_s: float = 0.0
    #: The live recogniser's text, once `text` is the second pass's (else None).
    heard_live: str | None = None


@dataclass(frozen=True)
class Command:
    name: Literal["repeat", "skip", "back", "pause", "continue", "stop", "breathe"]
    heard: str  # the phrase as recognised


@dataclass(frozen=True)
class NoAnswer:
    """Nothing was said for the whole no-answer timeout."""

    waited_s: float


@dataclass(frozen=True)
class EndOfInput:
    """The file or typed input ran out."""


Heard = Answer | Command | NoAnswer | EndOfInput


class Listener(Protocol):
    def listen(self, settings: ListenSettings) -> Heard:
        """Wait for one answer or command."""

    def wait_for_command(
        self, names: tuple[str, ...], settings: ListenSettings
    ) -> Command | Answer | EndOfInput:
        """While paused: one of these commands, or what was said meanwhile (to be saved and
        checked, never taken as a command); other commands are ignored."""

    def after_speaking(self) -> None:
        """The assistant just finished speaking (half duplex: drop what the microphone caught
        meanwhile)."""

    def arm_join(self, *, last: bool = False) -> None:
        """The next question is about to be asked (see SpeechListener.arm_join)."""

    @property
    def interrupted(self) -> bool:
        """A command said over the assistant's speech waits to be listened to."""

    def hear_out(self, pump: Callable[[bool], bool]) -> bool:
        """Listen while the assistant speaks; True when a barge-in stopped it."""


@dataclass(frozen=True)
class TimedStep:
    """A cue of a timed sequence: said at `at_s` seconds after the sequence starts."""

    at_s: float
    text: str


class TimedSteps(Protocol):
    def plan(self, cues: Sequence[tuple[str, float]], *, slow: bool = False) -> list[TimedStep]:
        """Timed steps for cues each followed by seconds of quiet."""

    def steps(self, steps: Sequence[TimedStep], *, slow: bool = False) -> None:
        """Cues at their planned times on the audio clock, listening meanwhile."""


class Speaker(TimedSteps, Protocol):
    def say(self, text: str, *, slow: bool = False) -> None:
        """Print and speak; returns when speaking has finished."""

    def pause(self, seconds: float) -> None:
        """A stretch of quiet, in audio (nothing when nothing is heard)."""

    def prepare(self, texts: Sequence[str], *, slow: bool = False) -> None:
        """Render prompts that will be said later, ahead."""
