"""What happens when an answer raises a safety concern: the script's flow stops and this small
dialog takes over, until the person chooses to continue, pause or stop.

A weaker sign about the person's own concern (Level.ASK: "I'm just a burden", "he makes all the
decisions") is asked about first, directly and gently, in the words of support.yaml's
`ask_first` for its category. A clear answer that all is well goes back to the script, with a
line that help is there if that changes; a yes, an unclear answer, a new disclosure, or silence
after asking once more, gets the full help below. Every concern is kept, with its level and what
became of it (`concerns`); `noticed` (the session's `safety`) names the categories that were not
cleared that way.

The full help, said slowly, in this order: an opener for the category (or its variant when the
concern is about someone else; later in the same flow, or for a category already answered in
the session, a short acknowledgement instead), what to do now (the emergency number, then the
crisis line, or after abuse the abuse line, from `reflect setup` or the default text), after
abuse the note that relationship tips do not apply; after the person's own concern, "Are you
safe right now?" at once; then the offer of a breathing exercise (once in a flow) and the
choice: breathe, continue, pause or stop (in full once in a session, then in short forms).

Only a clear choice moves on. Every other reply is saved as a turn and checked again (a new
disclosure is answered again); one that says the person may still not be safe ("not ok", "no",
"pills"), or one that is unclear, is met with what to do now once more. The first "I'm fine"
(or "you misunderstood") at the choice is met with a gentle check and "Are you safe right
now?"; only a yes to that, or another "I'm fine" after a yes, goes on. Where support.yaml gives
several variants of a reply they are said in turn, so the same words never come twice in a row;
{say} is "say", or "type" when the person types.

Pure like the session: the listener and voice are passed in, and the quiet between breathing cues
is silence played by the voice's sink, so no clock is read here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.base.background import Background
from assistant.base.settings import ListenSettings
from assistant.dialog.outcomes import Choice
from assistant.events import Answer, Command, EndOfInput, Listener, Speaker
from assistant.safety.asking import Noticed, Outcome, Question, asks_first
from assistant.safety.check import CATEGORIES, Concern, Level, SafetyCheck, load_safety
from assistant.safety.resources import Resources
from assistant.safety.support import Support
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.safety.understood import UnderstoodCheck
from assistant.speech.commands import load_commands
from assistant.speech.typed import TypedListener

#: What the listener's own commands mean in this dialog; the others ask again.
COMMAND_CHOICES = {
    "continue": "continue", "skip": "continue", "pause": "pause", "stop": "stop",
    "breathe": "breathe",
}  # fmt: skip
#: The choices (support.yaml's `choices` keys) that leave the flow, and what they mean.
LEAVING = {"continue": Choice.CONTINUE, "pause": Choice.PAUSE, "stop": Choice.STOP}
#: Said after "I'm fine" was checked once more: the flow ends and the script goes on.
ACCEPTED = "accepted"
#: Commands that leave the direct question of a weaker sign unanswered; any other is unclear.
LEAVING_ASK = {"pause": Choice.PAUSE, "stop": Choice.STOP}
#: Commands after which the direct question is asked once more, as after a silence.
ASK_AGAIN = ("repeat", "back")


class Asking(enum.Enum):
    """What the flow asks next."""

    CHOICE = "choice"  # breathe, continue, pause or stop?
    SAFE_NOW = "safe now"  # "Are you safe right now?", at once after the person's own disclosure
    SAFE_CHECK = "safe check"  # the same, after a first "I'm fine" at the choice


@dataclass
class Variants:
    """Which variant of each text comes next: each list is said in turn, from the first, so a run
    is reproducible and no text is said twice in a row."""

    said: dict[tuple[str, ...], int] = field(default_factory=dict)

    def next(self, variants: tuple[str, ...]) -> str:
        n = self.said.get(variants, 0)
        self.said[variants] = n + 1
        return variants[n % len(variants)]


@dataclass(frozen=True)
class Safeguards:
    """The check every answer passes, and what is said when it fires."""

    check: SafetyCheck | UnderstoodCheck  # the rules, and with the learned text model, both
    support: Support


class _CheckLoading:
    """The check whose rules compile on a thread (0.4 s of Python) once `after` (the speech
    model's load) is done, so neither holds up the first prompt; the first answer checked
    waits for them (and a broken dialogs/safety.yaml stops us there)."""

    def __init__(self, path: Path, after: Background | None) -> None:
        def work() -> UnderstoodCheck:
            if after is not None:
                after.wait()
            return UnderstoodCheck(load_safety(path))

        self._check = Background(work, name="reflect-safety")

    def __getattr__(self, name: str):  # check, check_all, rules...: once it is there
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._check.result(), name)


def load_safeguards(dialogs_dir: Path, *, after: Background | None = None) -> Safeguards:
    """The check every answer passes (the rules and the learned text model; its encoder
    loads on the first answer) and what is said when it fires. The commands are read too, so an
    "I'm fine" phrase that is also a command is refused. `after` (spoken sessions: the speech
    model's load): the rules compile on a thread after it; else now, so a broken file stops
    the program before the journal is used."""
    commands = load_commands(dialogs_dir / "commands.yaml")
    support = load_support(dialogs_dir / "support.yaml", CATEGORIES, reserved_phrases(commands))
    path = dialogs_dir / "safety.yaml"
    if after is None:
        return Safeguards(UnderstoodCheck(load_safety(path)), support)
    return Safeguards(_CheckLoading(path, after), support)  # type: ignore[arg-type]


class SafetyFlow:
    """The safety sub-dialog of one session; remembers the concerns noticed.

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
        self._asking = support.asking
        self._choosing = support.choosing
        self._replies = support.replies
        self._skips = support.skips
        self._english_only = support.english_only
        self._breathing = support.breathing
        # The person types (--typed, tests) or speaks: "type stop", or "say stop".
        self._answering = support.answering[
            "typed" if isinstance(listener, TypedListener) else "spoken"
        ]
        self._resources = resources
        self._listener = listener
        self._voice = voice
        self._record = record  # saves a reply as a turn: (the question it answers, the answer)
        self.concerns: list[Noticed] = []  # every concern, in order, with what became of it
        self.unsafe_relationship = False  # abuse in the person's own relationship
        self._gentle = False  # an own concern after which questions about the past are left out
        self._latest: Concern | None = None  # what "what to do now" is said for
        self._fine_checked = False  # asked "are you safe" and heard yes, since the last concern
        self._variants = Variants()
        self._opened: set[str] = set()  # categories whose opener was said in full
        self._noted: set[str] = set()  # variants of the abuse note said
        self._menu_said = False  # the choice in full, once in a session
        self._offered = False  # the breathing offer, once in each flow
        self._asked_safe = False  # "Are you safe right now?" was asked in this flow
        self._lines_said = 0  # times the crisis or abuse line was said in this flow

    @property
    def noticed(self) -> list[str]:
        """Categories of the concerns not cleared by a clear answer (the session's `safety`): the
        full help was given, or the question went unanswered; in the order first noticed."""
        return list(dict.fromkeys(c.category for c in self.concerns if not c.cleared))

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
        foreign = getattr(self._check, "foreign", None)  # the rules alone read no language
        if foreign is not None and foreign(text):
            self._say(self._help.fill(self._english_only, self._resources))
            return None
        concern = self._pressing(text)
        if concern and asks_first(concern):
            return self._ask_first(concern, listen, paused=paused)
        if concern:
            self._note(concern, Outcome.HELP)
            return self._help_now(concern, listen)
        if paused and self._latest and self._replies.says_unsafe(text):
            self._start_flow()
            self._repeat_help(self._variants.next(self._replies.still_unsafe), own=True)
            return self._choose(listen)
        return None

    def farewell(self, *, stopped: bool) -> None:
        """The end of a session in which a concern came up: where help is, instead of the script's
        goodbye; after abuse, how to keep the journal private."""
        c = self._choosing
        self._say(self._help.fill(c.stopped if stopped else c.closing, self._resources))
        if self.unsafe_relationship:
            self._say(self._help.device_note)

    def _pressing(self, text: str) -> Concern | None:
        """The concern to answer: any clear sign (HELP) before a weaker one."""
        concerns = self._check.check_all(text)
        helps = [c for c in concerns if c.level is Level.HELP]
        return (helps or concerns or [None])[0]

    def _note(self, concern: Concern, outcome: Outcome) -> None:
        self.concerns.append(Noticed(concern.category, concern.level, outcome, concern.reported))

    def _words(self, text: str) -> str:
        """A text as said to this person: {say} is "say", or "type" when they type."""
        return text.replace("{say}", self._answering)

    def _say(self, text: str) -> None:
        self._voice.say(self._words(text), slow=True)
        self._listener.after_speaking()  # half duplex, as in the session

    # -- a weaker sign: ask first ------------------------------------------------------------
    def _ask_first(self, concern: Concern, listen: ListenSettings, *, paused: bool) -> Choice:
        """Ask directly; a clear all-is-well answer goes back to the script (or the pause)."""
        question = self._asking.questions[concern.category]
        asked = question.ask
        self._say(asked)
        quiet = False
        while True:
            heard = self._listener.listen(listen)
            if isinstance(heard, EndOfInput):
                self._note(concern, Outcome.UNANSWERED)
                return Choice.INTERRUPTED
            if isinstance(heard, Command) and heard.name in LEAVING_ASK:
                self._note(concern, Outcome.UNANSWERED)  # kept in `safety`: not cleared
                if heard.name == "pause":  # the pause's own words follow
                    self._latest = concern
                return LEAVING_ASK[heard.name]
            if isinstance(heard, Answer) and heard.text.strip():
                self._record(asked, heard)
                return self._asked(concern, question, heard.text, listen, paused=paused)
            if isinstance(heard, Command):
                silent = heard.name in ASK_AGAIN
            else:  # nothing, or only noise; "that's all" alone is an answer, if an unclear one
                silent = not (isinstance(heard, Answer) and heard.closed)
            if not silent or quiet:  # another command, "that's all", or silent twice: unclear
                return self._escalate(concern, Outcome.UNCLEAR, listen)
            quiet = True
            asked = question.again
            self._say(asked)

    def _asked(
        self, concern: Concern, question: Question, text: str, listen: ListenSettings, *,
        paused: bool,
    ) -> Choice:  # fmt: skip
        """The answer to the direct question, saved: cleared, or the full help."""
        new = self._pressing(text)
        if new:  # a disclosure of its own: the help for it (already asked, so at once)
            self._note(concern, Outcome.DISCLOSURE)
            self._note(new, Outcome.HELP)
            return self._help_now(new, listen)
        outcome = self._asking.reads(question, text)
        if outcome is Outcome.ALL_RIGHT and self._replies.mentions_unsafe(text):
            outcome = Outcome.UNCLEAR  # "no, but I'm scared"
        if outcome is not Outcome.ALL_RIGHT:
            return self._escalate(concern, outcome, listen)
        self._note(concern, outcome)
        self._say(self._asking.cleared)
        return Choice.PAUSE if paused else Choice.CONTINUE

    def _escalate(self, concern: Concern, outcome: Outcome, listen: ListenSettings) -> Choice:
        self._note(concern, outcome)
        return self._help_now(concern, listen)

    # -- the full help -------------------------------------------------------------------------
    def _start_flow(self) -> None:
        self._offered = self._asked_safe = False
        self._lines_said = 0

    def _help_now(self, concern: Concern, listen: ListenSettings) -> Choice:
        self._start_flow()
        self._answer(concern, later=False)
        return self._choose(listen, first=self._safety_question(concern))

    def _safety_question(self, concern: Concern) -> Asking:
        """After the person's own disclosure, "Are you safe right now?", once in a flow."""
        if concern.reported or self._asked_safe:
            return Asking.CHOICE
        self._asked_safe = True
        return Asking.SAFE_NOW

    def _answer(self, concern: Concern, *, later: bool) -> None:
        """The opener (a short acknowledgement when `later` in a flow, or for a category already
        answered), what to do now, and after abuse the note that tips do not apply."""
        h = self._help
        variant = "reported" if concern.reported else "self"
        self._latest = concern
        self._fine_checked = False
        own = not concern.reported
        self._gentle |= own and concern.category in self._skips.gentle_categories
        opened = f"{concern.category}/{variant}"
        again = None  # what to do now in full; later in a flow, its first sentence reworded
        if later or opened in self._opened:
            self._say(self._variants.next(h.acknowledge[variant]))
            again = None if concern.reported or not later else self._variants.next(h.again)
        else:
            self._opened.add(opened)
            self._say(h.openers[concern.category][variant])
        self._say(
            h.what_to_do(
                self._resources, category=concern.category, reported=concern.reported, again=again
            )
        )
        self._lines_said += 1
        if concern.category == "abuse":
            if variant not in self._noted:
                self._noted.add(variant)
                self._say(h.abuse_note[variant])
            self.unsafe_relationship |= own

    def _repeat_help(self, lead: str, *, own: bool) -> None:
        """`lead`, then what to do now once more (`own`: as for the person speaking), its first
        sentence in other words."""
        latest = self._latest
        assert latest is not None  # only after a concern
        self._say(lead)
        reported = latest.reported and not own
        again = None if reported else self._variants.next(self._help.again)
        # The whole line at most twice in a flow; after that the number alone, in a sentence,
        # so a short exchange does not read the hotline out a third time.
        if again is not None and self._lines_said >= 2:
            self._say(self._help.fill(again, self._resources))
            return
        self._lines_said += 1
        self._say(
            self._help.what_to_do(
                self._resources, category=latest.category, reported=reported, again=again
            )
        )

    def _menu(self) -> str:
        """Says the breathing offer once in a flow; returns the choice to ask: in full the first
        time in the session, then its short forms in turn."""
        c = self._choosing
        if not self._offered:
            self._offered = True
            self._say(c.offer)
        if not self._menu_said:
            self._menu_said = True
            return c.choice
        return self._variants.next(c.choice_short)

    def _choose(self, listen: ListenSettings, first: Asking = Asking.CHOICE) -> Choice:
        c = self._choosing
        asking = first
        quiet = False
        while True:
            question = self._replies.ask_safe if asking is not Asking.CHOICE else self._menu()
            question = self._words(question)  # as said, and as saved with the reply
            self._say(question)
            heard = self._listener.listen(listen)
            choice: str | None = None
            if isinstance(heard, EndOfInput):
                return Choice.INTERRUPTED
            if isinstance(heard, Command):
                choice = COMMAND_CHOICES.get(heard.name)  # repeat, go back: ask again
            elif isinstance(heard, Answer) and heard.text.strip():
                choice, asking = self._reply(heard, question, asking)
            elif isinstance(heard, Answer) and heard.closed:  # "I'm done" alone: not a choice
                self._repeat_help(self._variants.next(c.unclear), own=False)
                asking = Asking.CHOICE
            elif quiet:  # silent twice: wait, rather than press on with questions
                return Choice.PAUSE
            else:
                quiet = True
                self._say(self._variants.next(c.quiet))
                continue
            quiet = False
            if choice == "breathe":
                self.breathe()
                self._offered = True  # just breathed: not offered again in this flow
                asking = Asking.CHOICE
            elif choice == ACCEPTED:
                return Choice.CONTINUE
            elif choice in LEAVING:
                if choice == "continue":
                    self._say(c.continuing)
                return LEAVING[choice]

    def _reply(self, heard: Answer, question: str, asking: Asking) -> tuple[str | None, Asking]:
        """A reply in words to `question`. Returns (a choice, "accepted" or None; what to ask
        next). Only a whole reply chooses: "stop, I have the pills here" is an answer, saved and
        checked like any other."""
        r = self._replies
        text = heard.text
        kind = r.fine_kind(text)
        # "yes" (or "I'm fine") answers "are you safe": not "breathe"
        safe = asking is not Asking.CHOICE and (r.says_safe(text) or kind == "fine")
        choice = None if safe else self._choosing.choice_of(text)
        if choice:
            return choice, Asking.CHOICE
        self._record(question, heard)
        concern = self._pressing(text)
        if concern:  # a new disclosure in the flow: acknowledged briefly, then what to do now
            self._note(concern, Outcome.HELP)
            self._answer(concern, later=True)
            return None, self._safety_question(concern)
        if r.says_unsafe(text):
            self._fine_checked = False
            self._repeat_help(self._variants.next(r.still_unsafe), own=True)
            return None, Asking.CHOICE
        if safe and asking is Asking.SAFE_NOW and not self._fine_checked:
            self._fine_checked = True  # asked directly, and a yes: a later "I'm fine" goes on
            self._say(r.safe_thanks)
            return None, Asking.CHOICE
        if kind is None and not safe:
            self._repeat_help(self._variants.next(self._choosing.unclear), own=False)
            return None, Asking.CHOICE
        if self._fine_checked or (safe and asking is Asking.SAFE_CHECK):
            self._say(r.fine_accepted)
            return ACCEPTED, Asking.CHOICE
        # one "I'm fine" does not clear it: ask once more, directly
        self._say(r.taken_back_check if kind == "taken_back" else r.fine_check)
        return None, Asking.SAFE_CHECK

    def breathe(self) -> None:
        """The session's breathing exercise (cues on the clock, "stop" heard), said around
        slowly."""
        b = self._breathing
        self._say(b.intro)
        self._exercise(b.pattern, b.rounds)
        self._listener.after_speaking()
        self._say(b.outro)
