"""A simulated person on the shared clock, for turn-taking tests and benchmarks: a transport like
FileDuplex whose microphone side is not a fixed file but reacts to the assistant. It answers
each question once the assistant has been quiet for `reply_after_s`, and speaks each answer to
the end, thinking pauses included, whatever the assistant does meanwhile (someone cut off in a
pause goes on). What cannot exist here is a person; everything it talks to is real."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.audio.duplex import Frame
from assistant.audio.player import Player
from assistant.base.settings import ListenSettings


def question_script(turns: int, end_silence_s: float | None = None, **listen: float | bool) -> str:
    """A script of `turns` plain questions (YAML text), for latency and turn-taking runs;
    `listen`: more of its listen settings (a rule being tuned)."""
    states = "\n".join(
        f"    - {{name: q{i}, prompt: Question {i + 1}. What else comes to mind about it?}}"
        for i in range(turns)
    )
    moves = "\n".join(
        f"    - {{trigger: next, source: q{i}, dest: {f'q{i + 1}' if i + 1 < turns else 'end'}}}"
        for i in range(turns)
    )
    end_silence_s = end_silence_s or ListenSettings().end_silence_s  # the shipped one, unless
    more = "".join(f", {key}: {value}" for key, value in listen.items())
    return (
        "description: turn-taking run\nintro: Hello.\noutro: Thank you.\n"
        f"listen: {{end_silence_s: {end_silence_s}{more}}}\nmachine:\n  initial: q0\n  states:\n"
        f"{states}\n    - {{name: end, final: true}}\n  transitions:\n{moves}\n"
    )


def listen_overrides(items: list[str]) -> dict[str, float | bool]:
    """KEY=VALUE items (a bench's --listen) as listen settings: true/false, else seconds."""
    flags = {"true": True, "false": False}
    pairs = (item.split("=", 1) for item in items)
    return {k: flags[v.lower()] if v.lower() in flags else float(v) for k, v in pairs}


@dataclass
class Said:
    """One answer as the person said it, in clock samples."""

    start: int
    end: int
    next_sound: int | None = None  # the assistant's first sound after it ended
    cut_in: list[int] = field(default_factory=list)  # assistant sound begun inside the answer


class Person:
    live = False
    echo_delay_s = 0.0

    def __init__(
        self,
        answers: list[np.ndarray],
        rate_hz: int = 16_000,
        frame_samples: int = 640,
        reply_after_s: float = 0.4,
        give_up_s: float = 30.0,
        min_question_s: float = 1.5,
    ) -> None:
        self.rate_hz = rate_hz
        self.player: Player | None = Player(rate_hz)
        self._answers = list(answers)
        self._frame = frame_samples
        self._reply_after = int(reply_after_s * rate_hz)
        self._give_up = int(give_up_s * rate_hz)
        self._now = 0
        self._speaking: np.ndarray | None = None
        self._pos = 0
        self._min_question = int(min_question_s * rate_hz)
        self._prompt_heard = 0  # samples of the assistant's voice since the last answer
        self._quiet_since = 0  # where the assistant's last sound ended
        self._was_loud = False
        self.said: list[Said] = []

    def read(self) -> Frame | None:
        assert self.player is not None
        n = self._frame
        played = self.player.pull(n)
        loud = bool(len(played)) and int(np.abs(played).max()) > 300
        if loud:
            if not self._was_loud:
                self._sound_began()
            self._prompt_heard += n
            self._quiet_since = self._now + n
        self._was_loud = loud
        quiet_for = self._now - self._quiet_since
        if self._speaking is None:
            asked = self._prompt_heard >= self._min_question  # a question, not just "Hello."
            if self._answers and asked and quiet_for >= self._reply_after:
                self._speaking, self._pos = self._answers.pop(0), 0
                self.said.append(Said(self._now, self._now))
            elif quiet_for >= self._give_up:
                return None  # nobody asks anything more
        chunk = np.zeros(n, np.int16)
        if self._speaking is not None:
            part = self._speaking[self._pos : self._pos + n]
            chunk[: len(part)] = part
            self._pos += n
            if self._pos >= len(self._speaking):
                self.said[-1].end = self._now + len(part)
                self._speaking, self._prompt_heard = None, 0
        frame = Frame(self._now, chunk, played)
        self._now += n
        return frame

    def _sound_began(self) -> None:
        if not self.said:
            return
        last = self.said[-1]
        if self._speaking is not None:
            last.cut_in.append(self._now)
        elif last.next_sound is None:
            last.next_sound = self._now

    def drop_buffered(self) -> None:
        pass

    def notes(self) -> list[str]:
        return []

    def close(self) -> None:
        pass
