"""One run of a script: ask, listen, save each turn as it ends, follow the voice commands.

Pure orchestration: the listener, the voice and the journal are passed in, so the same loop runs
on a microphone, a WAV file or typed lines. With safeguards, every answer (and whatever is said
while paused) is saved, then checked, before the script moves on; a concern hands over to the
safety flow (assistant/safety/respond.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from assistant.base.text import normalize
from assistant.breathe.exercise import Exercise
from assistant.breathe.patterns import DEFAULT_PATTERN, Pattern, find_pattern
from assistant.breathe.texts import BreatheTexts, load_breathe_texts
from assistant.conversation.rating import read_rating
from assistant.dialog.machine import Dialog
from assistant.dialog.outcomes import Choice, Next, Status, Step
from assistant.dialog.script import Script, StateSpec
from assistant.events import Answer, Command, EndOfInput, Listener, NoAnswer
from assistant.journal.records import BREATHING_STATE, PAUSED_STATE, SAFETY_STATE, Breathing, Turn
from assistant.journal.store import Journal
from assistant.safety.notices import first_run_notice, strong_session, suggest_counsellor
from assistant.safety.resources import Resources
from assistant.safety.respond import Safeguards, SafetyFlow, Speaker
from assistant.speech.commands import CommandSet

#: Words that are only a reply to the goodbye, not more of an answer ("thank you, bye").
COURTESY_WORDS = frozenset(
    ["thank", "thanks", "you", "bye", "goodbye", "good", "night", "ok", "okay", "cheers"]
)


def only_courtesy(text: str) -> bool:
    words = normalize(text).split()
    return bool(words) and all(w in COURTESY_WORDS for w in words)


#: While paused, only these commands end the pause (or, breathe, fill it).
RESUME = ("continue", "stop", "breathe")
#: A break's breathing: this many rounds of the default pattern (cyclic sighing: 44 s).
BREAK_ROUNDS = 4
#: The prompt of what was said during a breathing exercise, as saved.
SAID_WHILE_BREATHING = "(said while breathing)"


@dataclass(frozen=True)
class Outcome:
    session_id: str
    status: Status
    answers: int


class Session:
    def __init__(
        self,
        script: Script,
        listener: Listener,
        voice: Speaker,
        journal: Journal,
        commands: CommandSet,
        show_answer: Callable[[str], None] = lambda text: None,
        safeguards: Safeguards | None = None,
    ) -> None:
        self._script = script
        self._listener = listener
        self._voice = voice
        self._journal = journal
        self._replies = commands.replies
        self._show_answer = show_answer
        self._answers = 0
        self.session_id = ""  # known once the session is in the journal
        self._safeguards = safeguards
        self._safety: SafetyFlow | None = None  # set up in run(), once the settings are read
        self._signals: set[str] = set()  # strong-insecurity signals heard in the answers
        self._summary: str | None = None  # history's line, where answers are not the point
        self._breathing: tuple[Pattern, BreatheTexts] | None = None
        self._last_exercise: Breathing | None = None

    def run(self) -> Outcome:
        guards = self._safeguards
        resources = Resources()
        if guards:
            resources = Resources.from_config(self._journal.config())
            first_run_notice(self._journal, self._voice, guards.support, resources)
        sid = self.session_id = self._journal.start(self._script.name)
        if guards:
            record = partial(self._record, SAFETY_STATE)
            self._safety = SafetyFlow(
                guards, resources, self._listener, self._voice, record, self._flow_exercise
            )
        status = Status.INTERRUPTED  # unless the loop says otherwise; Ctrl-C and crashes land here
        try:
            status = self._converse()
        finally:
            noticed = self._safety.noticed if self._safety else []
            concerns = [c.record() for c in self._safety.concerns] if self._safety else []
            strong = bool(guards) and strong_session(self._signals, guards.support)
            self._journal.finish(
                sid, status, safety=noticed, concerns=concerns, strong=strong,
                summary=self._summary,
            )  # fmt: skip
        if guards and status is not Status.INTERRUPTED:  # nobody to say it to after the input ended
            suggest_counsellor(self._journal, self._voice, guards.support, resources)
        return Outcome(sid, Status.SAFETY if noticed else status, self._answers)

    @property
    def summary(self) -> str | None:
        """History's line for a session where answers are not the point (breathing, a break)."""
        return self._summary

    def _record(self, state: str, prompt: str, heard: Answer, extra: dict | None = None) -> None:
        """Save an answer as a turn (with `extra` fields of a Turn, such as a rehearsal's
        feedback), then show it."""
        spoken = bool(heard.end_s)
        turn = Turn(
            state=state, prompt=prompt, answer=heard.text,
            start_s=round(heard.start_s, 2) if spoken else None,
            end_s=round(heard.end_s, 2) if spoken else None,
        )  # fmt: skip
        self._journal.add_turn(self.session_id, replace(turn, **(extra or {})))
        self._show_answer(heard.text)  # shown once it is safely saved
        self._answers += 1
        if self._safeguards:
            self._signals |= self._safeguards.support.strong.in_answer(heard.text)

    def _review(self, text: str, state: StateSpec, *, paused: bool = False) -> Choice | None:
        """Run a saved answer through the safety check. Returns None when there is nothing to
        do, else what the person chose in the safety flow."""
        if not self._safety:
            return None
        return self._safety.review(text, state.listen, paused=paused)

    def _say(self, text: str, slow: bool = False) -> None:
        if text:
            self._voice.say(text, slow=slow)
            self._listener.after_speaking()

    def _converse(self) -> Status:
        dialog = Dialog(self._script)
        asked: list[str] = []  # questions moved on from, for "go back"
        self._say(self._script.intro)
        # The questions are rendered ahead while the first is asked and answered, so each
        # next one starts as soon as an answer has ended.
        states = self._script.states.values()
        self._voice.prepare([s.prompt for s in states if s.prompt] + [self._script.outro])
        ask = True
        reprompted = ""  # the question that was already offered once more after a silence
        answered: tuple[StateSpec, str] | None = None  # the answer just saved, if it may go on
        while not dialog.finished:
            state = self._script.states[dialog.state]
            if ask and self._safety and self._safety.skips(state.prompt):
                dialog.advance(None)  # advice or probing that does not fit after a concern
                continue
            if ask:
                if answered:
                    self._listener.arm_join()  # it may have ended early: they may go on
                self._say(state.prompt)
            ask = True
            heard = self._listener.listen(state.listen)

            if isinstance(heard, EndOfInput):
                return Status.INTERRUPTED
            if isinstance(heard, Answer) and heard.continues:
                # The answer before had not ended: the question was stopped; join, ask again.
                if answered and heard.text.strip() and not only_courtesy(heard.text):
                    answered = (answered[0], f"{answered[1]} {heard.text}")
                    step = self._join(answered, heard)
                    if isinstance(step, Status):
                        return step
                    if step is not None:
                        answered = None  # the safety flow ran: what follows is not this answer
                continue
            answered = None
            if isinstance(heard, Answer) and heard.text.strip():
                rating = read_rating(state, heard)
                self._record(state.name, state.prompt, heard, rating.extra)
                choice = self._review(heard.text, state)
                if rating.unclear and reprompted != state.name and choice is None:
                    self._say(state.reprompt)  # not a number: asked once more
                    ask, reprompted = False, state.name
                    continue
                asked.append(state.name)
                dialog.advance(heard.text)
                if choice is None and not state.rating:
                    answered = (state, heard.text)
                step = self._follow(choice, state)
                if isinstance(step, Status):
                    return step
            elif isinstance(heard, Answer) and heard.closed:  # only "that's all": nothing to add
                asked.append(state.name)
                dialog.advance(None)
            elif isinstance(heard, (NoAnswer, Answer)):  # silence, or only noise
                if reprompted != state.name:
                    self._say(state.reprompt)
                    ask, reprompted = False, state.name
                else:
                    self._say(self._replies["movingon"])
                    asked.append(state.name)
                    dialog.advance(None)
            elif isinstance(heard, Command):
                step = self._command(heard, dialog, asked, state)
                if isinstance(step, Status):
                    return step
                ask = step is Next.ASK
        if self._safety and self._safety.noticed:
            self._safety.farewell(stopped=False)  # not the script's usual goodbye
            return Status.COMPLETED
        while True:
            if answered and self._script.outro:
                self._listener.arm_join(last=True)
            self._say(self._script.outro)
            if not (answered and self._script.outro and self._listener.interrupted):
                return Status.COMPLETED
            # The last answer went on over the goodbye: hear the rest, then say goodbye again.
            heard = self._listener.listen(answered[0].listen)
            joins = isinstance(heard, Answer) and heard.continues and heard.text.strip()
            if not joins or only_courtesy(heard.text):
                answered = None  # a command, a sound or a "thank you": goodbye once more
                continue
            answered = (answered[0], f"{answered[1]} {heard.text}")
            step = self._join(answered, heard)
            if isinstance(step, Status):
                return step
            if self._safety and self._safety.noticed:
                self._safety.farewell(stopped=False)
                return Status.COMPLETED

    def _join(self, answered: tuple[StateSpec, str], heard: Answer) -> Step | None:
        """What the person went on to say is the same answer (`answered`: its state and the
        whole text, joined): added to its turn, and the whole checked again (a concern may
        span the two parts)."""
        state, whole = answered
        self._journal.extend_turn(self.session_id, heard.text, heard.end_s or None)
        self._show_answer(heard.text)
        if self._safeguards:
            self._signals |= self._safeguards.support.strong.in_answer(whole)
        before = whole[: len(whole) - len(heard.text)]
        # A concern in the first part was answered already: then only the new part is checked.
        spans = not self._safeguards or self._safeguards.check.check(before) is None
        choice = self._review(whole if spans else heard.text, state)
        return self._follow(choice, state) if choice is not None else None

    def _follow(self, choice: Choice | None, state: StateSpec) -> Step:
        """Act on what was chosen in the safety flow (None when it did not run)."""
        if choice is Choice.PAUSE:
            return self._pause(state)
        if choice is Choice.STOP:
            return self._stop()
        return Status.INTERRUPTED if choice is Choice.INTERRUPTED else Next.ASK

    def _command(
        self, command: Command, dialog: Dialog, asked: list[str], state: StateSpec
    ) -> Step:
        name = command.name
        if name == "skip":
            asked.append(dialog.state)
            dialog.advance(None)
        elif name == "back":
            if asked:
                dialog.go_to(asked.pop())
            else:
                self._say(self._replies["first"])
        elif name == "pause":
            return self._pause(state)
        elif name == "breathe":  # asked for: breathe at once, then the pause's "shall we go on?"
            choice = self.breathe(state)
            if choice is not None:
                return self._follow(choice, state)
            return self._pause(state, self._replies["go_on"])
        elif name == "stop":
            return self._stop()
        elif name == "continue":  # not paused: nothing to resume
            return Next.LISTEN
        return Next.ASK  # repeat, and after skip/back: ask the (new) current question

    def _stop(self) -> Status:
        if self._safety and self._safety.noticed:
            self._safety.farewell(stopped=True)  # where help is, not only "stopping here"
        else:
            self._say(self._replies["stopped"])
        return Status.STOPPED

    def _pause(self, state: StateSpec, said: str | None = None) -> Step:
        """Wait for continue or stop; "breathe" offers a short round meanwhile. What is said
        meanwhile is still saved and checked: someone who paused may be the one most in need of
        being heard."""
        paused = said or self._replies["paused"]
        self._say(paused)
        while True:
            heard = self._listener.wait_for_command(RESUME, state.listen)
            if isinstance(heard, EndOfInput):
                return Status.INTERRUPTED
            if isinstance(heard, Command):
                if heard.name == "stop":
                    return self._stop()
                if heard.name == "breathe":
                    choice = self.breathe(state)
                    if choice is not None and choice is not Choice.PAUSE:
                        return self._follow(choice, state)
                    paused = self._replies["go_on"]
                    self._say(paused)
                    continue
                self._say(self._replies["resumed"])
                return Next.ASK
            if not heard.text.strip():
                continue
            self._record(PAUSED_STATE, paused, heard)
            choice = self._review(heard.text, state, paused=True)
            if choice is Choice.PAUSE:
                self._say(paused)  # still paused, after the safety flow
            elif choice is not None:
                return self._follow(choice, state)

    # -- breathing -----------------------------------------------------------------------------
    def _breathing_parts(self) -> tuple[Pattern, BreatheTexts]:
        if self._breathing is None:
            self._breathing = (find_pattern(DEFAULT_PATTERN), load_breathe_texts())
        return self._breathing

    def breathe(
        self,
        state: StateSpec | None,
        pattern: Pattern | None = None,
        minutes: float | None = None,
        bar: object | None = None,
    ) -> Choice | None:
        """A breathing exercise (a short round unless `pattern` and `minutes` say otherwise),
        listening throughout: what is said is saved and checked, and a concern ends the
        exercise; the exercise is saved as a turn of its own. Returns the safety flow's choice
        when one ran, else None."""
        default, texts = self._breathing_parts()
        chosen: list[Choice] = []

        def said(heard: Answer) -> bool:
            self._record(BREATHING_STATE, SAID_WHILE_BREATHING, heard)
            if state is None or not self._safety:
                return False
            choice = self._safety.review(heard.text, state.listen, paused=True)
            if choice is not None:
                chosen.append(choice)
            return choice is not None

        rounds = None if pattern or minutes else BREAK_ROUNDS
        exercise = Exercise(
            pattern or default, texts, self._voice, minutes=minutes, rounds=rounds,
            on_said=said, bar=bar,  # type: ignore[arg-type]
        )  # fmt: skip
        record = self._last_exercise = exercise.run()
        self._listener.after_speaking()
        self._record_exercise(record)
        return chosen[0] if chosen else None

    def _flow_exercise(self, name: str, rounds: int) -> None:
        """The safety flow's breathing: the same exercise, said around by the flow itself; what
        is said during it is saved (the flow goes on with its own questions afterwards)."""
        _, texts = self._breathing_parts()
        exercise = Exercise(
            find_pattern(name), texts, self._voice, rounds=rounds, intro=False, closing=False,
            on_said=lambda heard: self._record(BREATHING_STATE, SAID_WHILE_BREATHING, heard)
            or False,
        )  # fmt: skip
        self._record_exercise(exercise.run())

    def _record_exercise(self, record: Breathing) -> None:
        turn = Turn(
            state=BREATHING_STATE,
            prompt=f"Breathing: {record.pattern}",
            answer="",
            breathing=record,
        )
        self._journal.add_turn(self.session_id, turn)
