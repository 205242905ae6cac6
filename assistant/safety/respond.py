"""What happens when an answer raises a safety concern: the script's flow stops and this small
dialog takes over, until the person chooses to continue, pause or stop.

Said slowly, in this order: an opener for the category (or its variant when the concern is about
someone else), what to do now (the emergency number and crisis line from `reflect setup`, or the
default text), after abuse the note that relationship tips do not apply, the offer of a breathing
exercise, then the choice: breathe, continue, pause or stop. Every free reply is saved as a turn
and checked again (a new disclosure is answered again). The first "I'm fine" is met with a
gentle check and the choice once more; only a second one goes on.

Pure like the session: the listener and voice are passed in, and the quiet between breathing cues
is silence played by the voice's sink, so no clock is read here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from assistant.events import Answer, Command, EndOfInput, Listener
from assistant.safety.check import CATEGORIES, Concern, SafetyCheck, load_safety
from assistant.safety.support import Resources, Support, load_support
from assistant.settings import ListenSettings

NOTICE_FLAG = "notice_shown"
COUNSELLOR_FLAG = "counsellor_suggested"
#: What the listener's own commands mean in this dialog; the others ask the choice again.
COMMAND_CHOICES = {"continue": "continue", "skip": "continue", "pause": "pause", "stop": "stop"}
#: What each choice returns to the session.
RESULTS = {"continue": "continue", "pause": "pause", "stop": "stopped"}


class Speaker(Protocol):
    def say(self, text: str, *, slow: bool = False) -> None:
        """Print and speak; returns when speaking has finished."""

    def pause(self, seconds: float) -> None:
        """A stretch of quiet, in audio (nothing when nothing is heard)."""


@dataclass(frozen=True)
class Safeguards:
    """The check every answer passes, and what is said when it fires."""

    check: SafetyCheck
    support: Support


def load_safeguards(dialogs_dir: Path) -> Safeguards:
    """Both data files, validated: a broken one stops the program before the journal is used."""
    return Safeguards(
        load_safety(dialogs_dir / "safety.yaml"),
        load_support(dialogs_dir / "support.yaml", CATEGORIES),
    )


class SafetyFlow:
    """The safety sub-dialog of one session; remembers the categories noticed."""

    def __init__(
        self,
        safeguards: Safeguards,
        resources: Resources,
        listener: Listener,
        voice: Speaker,
        record: Callable[[str, Answer], None],
    ) -> None:
        self._check = safeguards.check
        self._support = safeguards.support
        self._resources = resources
        self._listener = listener
        self._voice = voice
        self._record = record  # saves a reply as a turn: (the question it answers, the answer)
        self.noticed: list[str] = []  # categories, in the order first noticed
        self.unsafe_relationship = False  # abuse in the person's own relationship
        self._fine_checked = False  # "I'm fine" was heard once since the last concern

    def check(self, text: str) -> Concern | None:
        return self._check.check(text)

    def skips(self, prompt: str) -> bool:
        """Leave out relationship advice once the relationship may not be safe."""
        return self.unsafe_relationship and self._support.is_advice(prompt)

    def closing(self) -> str:
        return self._support.fill(self._support.closing, self._resources)

    def _say(self, text: str) -> None:
        self._voice.say(text, slow=True)
        self._listener.after_speaking()  # half duplex, as in the session

    def respond(self, concern: Concern, listen: ListenSettings) -> str:
        """Answer a concern, then follow the person's choice. Returns "continue", "pause",
        "stopped" or "interrupted" (the input ended)."""
        s = self._support
        self._answer(concern)
        self._fine_checked = False
        quiet = False
        while True:
            self._say(s.choice)
            heard = self._listener.listen(listen)
            if isinstance(heard, EndOfInput):
                return "interrupted"
            if isinstance(heard, Command):
                choice = COMMAND_CHOICES.get(heard.name)  # repeat, go back: ask again
            elif isinstance(heard, Answer) and heard.text.strip():
                choice = s.choice_of(heard.text) or self._free_reply(heard)
            elif quiet:  # silent twice: wait, rather than press on with questions
                return "pause"
            else:
                quiet = True
                self._say(s.quiet)
                continue
            quiet = False
            if choice == "breathe":
                self.breathe()
            elif choice is not None:
                if choice == "stop":
                    self._say(s.fill(s.stopped, self._resources))
                return RESULTS[choice]

    def _free_reply(self, heard: Answer) -> str | None:
        """A reply that is not a choice is an answer like any other: saved, checked, answered.
        Returns "continue" after a second "I'm fine", else None (ask the choice again)."""
        s = self._support
        self._record(s.choice, heard)
        concern = self._check.check(heard.text)
        if concern:
            self._answer(concern)
            self._fine_checked = False
        elif not s.is_fine(heard.text):
            self._say(s.unclear)
        elif self._fine_checked:
            self._say(s.fine_accepted)
            return "continue"
        else:
            self._fine_checked = True  # one "I'm fine" does not clear it: check once more
            self._say(s.fine_check)
        return None

    def _answer(self, concern: Concern) -> None:
        s = self._support
        variant = "reported" if concern.reported else "self"
        if concern.category not in self.noticed:
            self.noticed.append(concern.category)
        self._say(s.openers[concern.category][variant])
        self._say(s.what_to_do(self._resources, concern.reported))
        if concern.category == "abuse":
            self._say(s.abuse_note[variant])
            self.unsafe_relationship |= not concern.reported
        self._say(s.offer)

    def breathe(self) -> None:
        b = self._support.breathing
        self._say(b.intro)
        for _ in range(b.rounds):
            for cue, quiet_s in b.cues:
                self._voice.say(cue, slow=True)
                self._voice.pause(quiet_s)
        self._say(b.outro)


# -- around the sessions -----------------------------------------------------------------------
class JournalState(Protocol):
    def flag(self, name: str) -> Any: ...

    def set_flag(self, name: str, value: Any) -> None: ...

    def summaries(self) -> list[dict[str, Any]]: ...


def first_run_notice(
    journal: JournalState, voice: Speaker, support: Support, resources: Resources
) -> None:
    """Before the very first session: what this is and is not, and where help is."""
    if journal.flag(NOTICE_FLAG):
        return
    voice.say(support.fill(support.notice, resources))
    journal.set_flag(NOTICE_FLAG, True)  # only once it has been said in full


def strong_session(signals: set[str], support: Support) -> bool:
    return len(signals) >= support.strong_min


def counsellor_due(summaries: Sequence[dict[str, Any]], support: Support) -> bool:
    """The last `counsellor_after` sessions with answers were all strong."""
    ended = [s for s in summaries if s["status"] != "running" and s["answers"]]
    recent = ended[-support.counsellor_after :]
    return len(recent) == support.counsellor_after and all(s["strong"] for s in recent)


def suggest_counsellor(journal: JournalState, voice: Speaker, support: Support) -> bool:
    """Once ever, gently, after several strong sessions in a row. Returns True when said."""
    if journal.flag(COUNSELLOR_FLAG) or not counsellor_due(journal.summaries(), support):
        return False
    voice.say(support.counsellor)
    journal.set_flag(COUNSELLOR_FLAG, True)
    return True
