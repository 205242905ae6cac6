"""The voice commands inside a session (skip, back, repeat, pause, stop, breathe, continue), the
pause they lead to, and acting on what was chosen in the safety flow.

While paused, what is said is still saved and checked: someone who paused may be the one most in
need of being heard.
"""

from __future__ import annotations

from typing import Protocol

from assistant.conversation.breathing import breathe
from assistant.conversation.context import Context
from assistant.dialog.outcomes import Choice, Next, Status, Step
from assistant.dialog.script import StateSpec
from assistant.events import Answer, Command, EndOfInput
from assistant.journal.records import PAUSED_STATE

#: While paused, only these commands end the pause (or, breathe, fill it).
RESUME = ("continue", "stop", "breathe")


class Place(Protocol):
    """Where in the script the person is, as skip and back move it."""

    def move_on(self) -> None:
        """Leave the current question unanswered for the next."""

    def go_back(self) -> bool:
        """Back to the question before; False at the first."""


def on_command(ctx: Context, command: Command, place: Place, state: StateSpec) -> Step:
    """A command said in reply to the script's question `state`."""
    name = command.name
    if name == "skip":
        place.move_on()
    elif name == "back":
        if not place.go_back():
            ctx.say(ctx.replies["first"])
    elif name == "pause":
        return pause(ctx, state)
    elif name == "breathe":  # breathe at once, then the pause's "shall we go on?"
        return breathe_then_pause(ctx, state)
    elif name == "stop":
        return stop(ctx)
    elif name == "continue":  # not paused: nothing to resume
        return Next.LISTEN
    return Next.ASK  # repeat, and after skip/back: ask the (new) current question


def stop(ctx: Context) -> Status:
    if not ctx.farewell(stopped=True):  # after a concern: where help is, not only "stopping"
        # Never "everything is saved" where the session ends with nothing kept.
        ctx.say(ctx.replies["stopped" if ctx.answers else "stopped_empty"])
    return Status.STOPPED


def follow(ctx: Context, choice: Choice | None, state: StateSpec) -> Step:
    """Act on what was chosen in the safety flow (None when it did not run)."""
    if choice is Choice.PAUSE:
        return pause(ctx, state)
    if choice is Choice.STOP:
        return stop(ctx)
    return Status.INTERRUPTED if choice is Choice.INTERRUPTED else Next.ASK


def breathe_then_pause(ctx: Context, state: StateSpec) -> Step:
    choice = breathe(ctx, state).choice
    if choice is not None:
        return follow(ctx, choice, state)
    return pause(ctx, state, ctx.replies["go_on"])


def pause(ctx: Context, state: StateSpec, said: str | None = None) -> Step:
    """Wait for continue or stop; "breathe" offers a short round meanwhile."""
    paused = said or ctx.replies["paused"]
    ctx.say(paused)
    while True:
        heard = ctx.listener.wait_for_command(RESUME, state.listen)
        if isinstance(heard, EndOfInput):
            return Status.INTERRUPTED
        if isinstance(heard, Command) and heard.name == "breathe":
            choice = breathe(ctx, state).choice
            if choice is not None and choice is not Choice.PAUSE:
                return follow(ctx, choice, state)
            paused = ctx.replies["go_on"]
            ctx.say(paused)
        elif isinstance(heard, Command):
            return stop(ctx) if heard.name == "stop" else _resume(ctx)
        elif heard.text.strip():
            step = _said_while_paused(ctx, heard, paused, state)
            if step is not None:
                return step


def _resume(ctx: Context) -> Next:
    ctx.say(ctx.replies["resumed"])
    return Next.ASK


def _said_while_paused(ctx: Context, heard: Answer, paused: str, state: StateSpec) -> Step | None:
    """Saved (as the answer to what the pause said) and checked; None: still paused."""
    ctx.record(PAUSED_STATE, paused, heard)
    choice = ctx.review(heard.text, state.listen, paused=True)
    if choice is Choice.PAUSE:
        ctx.say(paused)  # still paused, after the safety flow
    elif choice is not None:
        return follow(ctx, choice, state)
    return None
