"""What happens when an answer raises a safety concern: the script's flow stops and this small
dialog takes over, until the person chooses to continue, pause or stop.

Said slowly, in this order: an opener for the category (or its variant when the concern is about
someone else), what to do now (the emergency number, then the crisis line, or after abuse the
abuse line, from `reflect setup` or the default text), after abuse the note that relationship
tips do not apply, the offer of a breathing exercise, then the choice: breathe, continue, pause
or stop.

Only a clear choice moves on. Every other reply is saved as a turn and checked again (a new
disclosure is answered again); one that says the person may still not be safe ("not ok", "no",
"pills"), or one that is unclear, is met with what to do now once more. The first "I'm fine"
(or "you misunderstood") is met with a gentle check and "Are you safe right now?"; only a yes
to that, or a second "I'm fine", goes on.

Pure like the session: the listener and voice are passed in, and the quiet between breathing cues
is silence played by the voice's sink, so no clock is read here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.dialog.outcomes import Choice
from assistant.events import Answer, Command, EndOfInput, Listener
from assistant.safety.check import CATEGORIES, Concern, SafetyCheck, load_safety
from assistant.safety.resources import Resources
from assistant.safety.support import Support
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.settings import ListenSettings
from assistant.speech.commands import load_commands
from assistant.speech.voice import TimedStep

#: What the listener's own commands mean in this dialog; the others ask again.
COMMAND_CHOICES = {
    "continue": "continue", "skip": "continue", "pause": "pause", "stop": "stop",
    "breathe": "breathe",
}  # fmt: skip
#: The choices (support.yaml's `choices` keys) that leave the flow, and what they mean.
LEAVING = {"continue": Choice.CONTINUE, "pause": Choice.PAUSE, "stop": Choice.STOP}
#: Said after "I'm fine" was checked once more: the flow ends and the script goes on.
ACCEPTED = "accepted"


class Speaker(Protocol):
    def say(self, text: str, *, slow: bool = False) -> None:
        """Print and speak; returns when speaking has finished."""

    def pause(self, seconds: float) -> None:
        """A stretch of quiet, in audio (nothing when nothing is heard)."""

    def plan(self, cues: Sequence[tuple[str, float]], *, slow: bool = False) -> list[TimedStep]:
        """Timed steps for cues each followed by seconds of quiet."""

    def steps(self, steps: Sequence[TimedStep], *, slow: bool = False) -> None:
        """Cues at their planned times on the audio clock, listening meanwhile."""


@dataclass(frozen=True)
class Safeguards:
    """The check every answer passes, and what is said when it fires."""

    check: SafetyCheck
    support: Support


def load_safeguards(dialogs_dir: Path) -> Safeguards:
    """Both data files, validated: a broken one stops the program before the journal is used.
    The commands are read too, so an "I'm fine" phrase that is also a command is refused."""
    commands = load_commands(dialogs_dir / "commands.yaml")
    return Safeguards(
        load_safety(dialogs_dir / "safety.yaml"),
        load_support(dialogs_dir / "support.yaml", CATEGORIES, reserved_phrases(commands)),
    )


class SafetyFlow:
    """The safety sub-dialog of one session; remembers the categories noticed.

    Each answer goes through `review`; it returns None (nothing to do) or how the person chose to
    go on (a Choice). Saying goodbye is the session's, through `farewell`.
    """

    def __init__(
        self,
        safeguards: Safeguards,
        resources: Resources,
        listener: Listener,
        voice: Speaker,
        record: Callable[[str, Answer], None],
        exercise: Callable[[str, int], None],
    ) -> None:
        self._check = safeguards.check
        self._exercise = exercise  # (pattern name, rounds): a breathing exercise, recorded
        support = safeguards.support
        self._help = support.help
        self._choosing = support.choosing
        self._replies = support.replies
        self._skips = support.skips
        self._breathing = support.breathing
        self._resources = resources
        self._listener = listener
        self._voice = voice
        self._record = record  # saves a reply as a turn: (the question it answers, the answer)
        self.noticed: list[str] = []  # categories, in the order first noticed
        self.unsafe_relationship = False  # abuse in the person's own relationship
        self._gentle = False  # an own concern after which questions about the past are left out
        self._latest: Concern | None = None  # what "what to do now" is said for
        self._fine_checked = False  # "I'm fine" was heard once since the last concern

    def skips(self, prompt: str) -> bool:
        """Leave out relationship advice once the relationship may not be safe, and questions
        about where a feeling comes from after a serious concern of the person's own."""
        skips = self._skips
        return (self.unsafe_relationship and skips.is_advice(prompt)) or (
            self._gentle and skips.probes_past(prompt)
        )

    def review(self, text: str, listen: ListenSettings, *, paused: bool = False) -> Choice | None:
        """Check a saved answer. While paused after a concern, a reply that says the person may
        still not be safe ("I'm scared", "help") is answered too, though no rule matched."""
        concern = self._check.check(text)
        if concern:
            self._answer(concern)
            return self._choose(listen)
        if paused and self._latest and self._replies.says_unsafe(text):
            self._repeat_help(self._replies.still_unsafe, own=True)
            return self._choose(listen)
        return None

    def farewell(self, *, stopped: bool) -> None:
        """The end of a session in which a concern came up: where help is, instead of the script's
        goodbye; after abuse, how to keep the journal private."""
        c = self._choosing
        self._say(self._help.fill(c.stopped if stopped else c.closing, self._resources))
        if self.unsafe_relationship:
            self._say(self._help.device_note)

    def _say(self, text: str) -> None:
        self._voice.say(text, slow=True)
        self._listener.after_speaking()  # half duplex, as in the session

    def _answer(self, concern: Concern) -> None:
        h = self._help
        variant = "reported" if concern.reported else "self"
        if concern.category not in self.noticed:
            self.noticed.append(concern.category)
        self._latest = concern
        self._fine_checked = False
        own = not concern.reported
        self._gentle |= own and concern.category in self._skips.gentle_categories
        self._say(h.openers[concern.category][variant])
        self._say(
            h.what_to_do(self._resources, category=concern.category, reported=concern.reported)
        )
        if concern.category == "abuse":
            self._say(h.abuse_note[variant])
            self.unsafe_relationship |= own
        self._say(self._choosing.offer)

    def _repeat_help(self, lead: str, *, own: bool) -> None:
        """`lead`, then what to do now once more (`own`: as for the person speaking)."""
        latest = self._latest
        assert latest is not None  # only after a concern
        self._say(lead)
        reported = latest.reported and not own
        self._say(
            self._help.what_to_do(self._resources, category=latest.category, reported=reported)
        )

    def _choose(self, listen: ListenSettings) -> Choice:
        c = self._choosing
        asking_safe = False  # the last question was "Are you safe right now?"
        quiet = False
        while True:
            self._say(self._replies.ask_safe if asking_safe else c.choice)
            heard = self._listener.listen(listen)
            choice: str | None = None
            if isinstance(heard, EndOfInput):
                return Choice.INTERRUPTED
            if isinstance(heard, Command):
                choice = COMMAND_CHOICES.get(heard.name)  # repeat, go back: ask again
            elif isinstance(heard, Answer) and heard.text.strip():
                choice, asking_safe = self._reply(heard, asking_safe)
            elif isinstance(heard, Answer) and heard.closed:  # "I'm done" alone: not a choice
                self._repeat_help(c.unclear, own=False)
                asking_safe = False
            elif quiet:  # silent twice: wait, rather than press on with questions
                return Choice.PAUSE
            else:
                quiet = True
                self._say(c.quiet)
                continue
            quiet = False
            if choice == "breathe":
                self.breathe()
                asking_safe = False
            elif choice == ACCEPTED:
                return Choice.CONTINUE
            elif choice in LEAVING:
                if choice == "continue":
                    self._say(c.continuing)
                return LEAVING[choice]

    def _reply(self, heard: Answer, asking_safe: bool) -> tuple[str | None, bool]:
        """A reply in words. Returns (a choice, "accepted" or None; whether to ask "Are you safe
        right now?" next). Only a whole reply chooses: "stop, I have the pills here" is an
        answer, saved and checked like any other."""
        r = self._replies
        text = heard.text
        safe = asking_safe and r.says_safe(text)  # "yes" answers the question: not "breathe"
        choice = None if safe else self._choosing.choice_of(text)
        if choice:
            return choice, False
        self._record(r.ask_safe if asking_safe else self._choosing.choice, heard)
        concern = self._check.check(text)
        if concern:
            self._answer(concern)
            return None, False
        if r.says_unsafe(text):
            self._fine_checked = False
            self._repeat_help(r.still_unsafe, own=True)
            return None, False
        kind = "fine" if safe else r.fine_kind(text)
        if kind is None:
            self._repeat_help(self._choosing.unclear, own=False)
            return None, False
        if self._fine_checked:
            self._say(r.fine_accepted)
            return ACCEPTED, False
        self._fine_checked = True  # one "I'm fine" does not clear it: ask once more, directly
        self._say(r.taken_back_check if kind == "taken_back" else r.fine_check)
        return None, True

    def breathe(self) -> None:
        """The session's breathing exercise (cues on the clock, "stop" heard), said around
        slowly."""
        b = self._breathing
        self._say(b.intro)
        self._exercise(b.pattern, b.rounds)
        self._listener.after_speaking()
        self._say(b.outro)
