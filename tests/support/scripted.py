"""The conversation's ports, scripted: a listener that hands out a list of events, and a voice that
records what it says. They stand where a microphone, a keyboard and the speakers would (the ports
of assistant/events.py); everything behind the ports is the real code.

Also a context for one activity, whose record function keeps the turns in a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from assistant.base.settings import DIALOGS_DIR, ListenSettings
from assistant.conversation.breathing import flow_exercise
from assistant.conversation.context import Context
from assistant.dialog.script import Script, load_script
from assistant.events import Answer, Command, EndOfInput, Heard, TimedStep
from assistant.safety.check import CATEGORIES, load_safety
from assistant.safety.resources import Resources
from assistant.safety.respond import Safeguards, SafetyFlow
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.speech.commands import CommandSet, load_commands
from assistant.speech.timeline import TypedStage

COMMANDS = load_commands(DIALOGS_DIR / "commands.yaml")
REPLIES = COMMANDS.replies


def command(name: str) -> Command:
    return Command(name, name)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Over:
    """An event said over the assistant's last words: the listener is `interrupted` by it."""

    event: Heard


@dataclass(frozen=True)
class At:
    """An event heard `at_s` seconds into a timed stretch (a breathing exercise, a break)."""

    at_s: float
    event: Heard


class ScriptedListener:
    """Hands out the events in order (then EndOfInput), and notes what it was asked to do. It
    keeps the scripted time too (`t`, seconds): a timed stretch waits on it, in no real time."""

    def __init__(self, events: Sequence[Heard | Over | At]):
        self.events = list(events)
        self.t = 0.0
        self.calls: list[str] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)

    def _next(self) -> Heard:
        if not self.events:
            return EndOfInput()
        item = self.events.pop(0)
        if isinstance(item, At):
            self.t = max(self.t, item.at_s)
            return item.event
        return item.event if isinstance(item, Over) else item

    def listen(self, settings: ListenSettings) -> Heard:
        self.calls.append("listen")
        return self._next()

    def wait_for_command(self, names: tuple[str, ...], settings: ListenSettings) -> Heard:
        self.calls.append("wait")
        return self._next()

    def after_speaking(self) -> None:
        self.calls.append("spoke")

    def arm_join(self, *, last: bool = False) -> None:
        self.calls.append("arm last" if last else "arm")

    @property
    def interrupted(self) -> bool:
        return bool(self.events) and isinstance(self.events[0], Over)

    def hear_out(self, pump) -> bool:
        return False

    def poll(self, timeout_s: float) -> Heard | None:
        """The stage's ears: the next event once its time has come on the clock."""
        first = self.events[0] if self.events else None
        if first is None or (isinstance(first, At) and first.at_s > self.t + timeout_s):
            self.sleep(timeout_s)
            return None
        return self._next()


@dataclass
class RecordingVoice:
    """Says nothing aloud: keeps what it was asked to say and show; its stage is the listener's
    clock, so a timed exercise runs in no real time."""

    listener: ScriptedListener | None = None
    said: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    prepared: list[str] = field(default_factory=list)

    def say(self, text: str, *, slow: bool = False, printed: str | None = None) -> None:
        self.said.append(text)

    def show(self, text: str) -> None:
        self.shown.append(text)

    def pause(self, seconds: float) -> None:
        pass

    def prepare(self, texts: Sequence[str], *, slow: bool = False) -> None:
        self.prepared.extend(texts)

    def plan(self, cues: Sequence[tuple[str, float]], *, slow: bool = False) -> list[TimedStep]:
        return []

    def steps(self, steps: Sequence[TimedStep], *, slow: bool = False) -> None:
        pass

    def cue_samples(self, text: str, rate_hz: int = 16_000) -> None:
        return None  # cues are shown, not played

    def stage(self) -> TypedStage:
        assert self.listener is not None
        return TypedStage(self.listener, clock=self.listener.now, sleep=self.listener.sleep)


@dataclass
class Recorded:
    """The context's record and extend, kept: (state, prompt, answer text, extra)."""

    turns: list[tuple[str, str, str, dict | None]] = field(default_factory=list)

    def record(
        self, state: str, prompt: str, heard: Answer | None = None, extra: dict | None = None
    ) -> None:
        self.turns.append((state, prompt, heard.text if heard else "", extra))

    def extend(self, heard: Answer, whole: str) -> None:
        state, prompt, _, extra = self.turns[-1]
        self.turns[-1] = (state, prompt, whole, extra)

    @property
    def answers(self) -> list[tuple[str, str]]:
        return [(state, text) for state, _, text, _ in self.turns]


@dataclass
class Run:
    ctx: Context
    listener: ScriptedListener
    voice: RecordingVoice
    recorded: Recorded


def context(script: Script, events: Sequence, commands: CommandSet = COMMANDS) -> Run:
    listener = ScriptedListener(events)
    voice = RecordingVoice(listener)
    recorded = Recorded()
    ctx = Context(script, listener, voice, commands, recorded.record, recorded.extend)
    return Run(ctx, listener, voice, recorded)


def questions_script(tmp_path: Path, *, rating: bool = False) -> Script:
    """Two questions (the second a rating when `rating`), with an intro and a goodbye."""
    lines = [
        "description: Two questions.",
        "intro: Hello.",
        "outro: Goodbye.",
        "machine:",
        "  initial: first",
        "  states:",
        "    - {name: first, prompt: First question?, reprompt: First once more?}",
        f"    - {{name: second, prompt: Second question?, reprompt: Second once more?, "
        f"rating: {str(rating).lower()}}}",
        "    - {name: end, final: true}",
        "  transitions:",
        "    - {trigger: next, source: first, dest: second}",
        "    - {trigger: next, source: second, dest: end}",
    ]
    path = tmp_path / "two.yaml"
    path.write_text("\n".join(lines) + "\n")
    return load_script(path)


@cache
def rule_safeguards() -> Safeguards:
    """The safety check's rules and what is said when they fire (not the learned layer, whose
    model this unit tier does not load)."""
    support = load_support(DIALOGS_DIR / "support.yaml", CATEGORIES, reserved_phrases(COMMANDS))
    return Safeguards(load_safety(DIALOGS_DIR / "safety.yaml"), support)


def with_safety(r: Run) -> Run:
    """The run's context with the safety flow, set up as the session sets it up."""
    ctx = r.ctx
    ctx.safeguards = guards = rule_safeguards()
    record = partial(r.recorded.record, "safety")
    exercise = partial(flow_exercise, ctx)
    ctx.safety = SafetyFlow(guards, Resources(), r.listener, r.voice, record, exercise)
    return r
