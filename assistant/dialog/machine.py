"""Builds the transitions state machine for a script."""

from __future__ import annotations

from transitions import Machine, State

from assistant.dialog.script import Script


class Dialog:
    """The machine's model: `state` is the current question; `next()` moves on.

    `transitions` attaches `state`, `next` and `is_<state>` to this object.
    """

    state: str

    def __init__(self, script: Script) -> None:
        self.script = script
        self.machine = Machine(
            model=self,
            states=[State(s.name, final=s.final) for s in script.states.values()],
            transitions=[dict(t) for t in script.transitions],
            initial=script.initial,
            queued=True,  # a callback that fires a trigger runs after the current one finishes
            send_event=True,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )

    @property
    def finished(self) -> bool:
        return self.script.states[self.state].final

    def advance(self, answer: str | None) -> None:
        """Fire `next` with the answer (None when skipped); conditions in the script choose."""
        self.trigger("next", answer=answer)

    def go_to(self, state: str) -> None:
        """Jump back to an earlier question (for "go back"); no callbacks run."""
        self.machine.set_state(state, model=self)
