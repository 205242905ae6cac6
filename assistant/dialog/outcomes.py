"""The typed vocabulary that the session, its commands, the pause and the safety flow pass
between each other (instead of bare strings compared in several places). How a session ends is
the journal's `Status` (journal/records.py): one definition, stored as it is passed."""

from __future__ import annotations

from enum import Enum

from assistant.journal.records import Status


class Next(Enum):
    """What the script does after a command or a safety flow that did not end the session."""

    ASK = "ask"  # ask the current question (again, or the new one after skip / go back)
    LISTEN = "listen"  # just listen again


class Choice(Enum):
    """How the person chose to go on in the safety flow."""

    CONTINUE = "continue"
    PAUSE = "pause"
    STOP = "stop"
    INTERRUPTED = "interrupted"  # the input ended inside the flow


#: What ends a run of the script: a Status; anything else goes on.
Step = Status | Next
