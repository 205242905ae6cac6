"""Breathing inside a session: asked for ("breathe"), in a break, as `reflect breathe`, or chosen
in the safety flow. The exercise listens throughout: what is said is saved and, except in the
safety flow's own exercise, checked; the exercise is saved as a turn of its own."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.breathe.exercise import Exercise
from assistant.breathe.patterns import Pattern, find_pattern
from assistant.conversation.context import Context
from assistant.dialog.outcomes import Choice
from assistant.dialog.script import StateSpec
from assistant.events import Answer
from assistant.journal.records import BREATHING_STATE
from assistant.journal.records import Breathing as Exercised

#: A break's breathing: this many rounds of the default pattern (cyclic sighing: 44 s).
BREAK_ROUNDS = 4
#: The prompt of what was said during a breathing exercise, as saved.
SAID_WHILE_BREATHING = "(said while breathing)"


@dataclass(frozen=True)
class Breathed:
    record: Exercised
    choice: Choice | None  # what was chosen in the safety flow, when a concern ended it


def breathe(
    ctx: Context,
    state: StateSpec,
    pattern: Pattern | None = None,
    minutes: float | None = None,
    bar: object | None = None,
) -> Breathed:
    """A breathing exercise: a short round unless `pattern` and `minutes` say otherwise. A
    concern in what is said ends it (the safety flow needs the floor)."""
    default, texts = ctx.breathing.parts()
    chosen: list[Choice] = []

    def said(heard: Answer) -> bool:
        ctx.record(BREATHING_STATE, SAID_WHILE_BREATHING, heard)
        choice = ctx.review(heard.text, state.listen, paused=True)
        if choice is not None:
            chosen.append(choice)
        return choice is not None

    rounds = None if pattern or minutes else BREAK_ROUNDS
    exercise = Exercise(
        pattern or default, texts, ctx.voice, minutes=minutes, rounds=rounds,
        on_said=said, bar=bar,  # type: ignore[arg-type]
    )  # fmt: skip
    record = exercise.run()
    ctx.listener.after_speaking()
    _record_exercise(ctx, record)
    return Breathed(record, chosen[0] if chosen else None)


def flow_exercise(ctx: Context, name: str, rounds: int) -> None:
    """The safety flow's breathing: the same exercise, said around by the flow itself; what is
    said during it is saved (the flow goes on with its own questions afterwards)."""
    _, texts = ctx.breathing.parts()

    def said(heard: Answer) -> bool:
        ctx.record(BREATHING_STATE, SAID_WHILE_BREATHING, heard)
        return False

    exercise = Exercise(
        find_pattern(name), texts, ctx.voice, rounds=rounds, intro=False, closing=False,
        on_said=said,
    )  # fmt: skip
    _record_exercise(ctx, exercise.run())


def _record_exercise(ctx: Context, record: Exercised) -> None:
    prompt = f"Breathing: {record.pattern}"
    ctx.record(BREATHING_STATE, prompt, None, {"breathing": record})
