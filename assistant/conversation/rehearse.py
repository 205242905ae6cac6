"""A rehearsal: the person says the hard sentence to a partner voice, is coached, hears how the
partner might answer, and may try again. The same session underneath as a reflection script:
every attempt is saved as a turn, then passes the safety check; commands work as anywhere.

The partner's reply follows how it was said (coach/analyse.py: a harsh start-up gets a defensive
reply, a soft one an open reply). After an abuse concern in the session there is no coaching:
advice about talking things through is for relationships where one feels safe.
"""

from __future__ import annotations

from assistant.base.settings import ListenSettings
from assistant.coach.analyse import assess
from assistant.coach.feedback import feedback
from assistant.coach.findings import Assessment
from assistant.coach.rehearsal import Rehearsal, pick_reply
from assistant.coach.rules import CoachRules
from assistant.conversation.session import Session
from assistant.dialog.outcomes import Next, Status
from assistant.dialog.script import Script, StateSpec
from assistant.events import Answer, Command, EndOfInput
from assistant.safety.respond import Speaker

#: The state name of an attempt in the journal.
ATTEMPT_STATE = "attempt"
#: Attempts offered before the rehearsal closes by itself.
MAX_ATTEMPTS = 5
#: Replies to "another try?" that mean yes (the whole reply, typed or said).
YES = {"yes", "yeah", "yes please", "ok", "okay", "sure", "again", "once more", "another go"}
NO_COACHING = (
    "Because of what you told me, I won't coach this conversation now: tips about talking things "
    "through are for relationships where you feel safe."
)


def rehearsal_script(rehearsal: Rehearsal, listen: ListenSettings) -> Script:
    """The session's view of a rehearsal: one question, asked as often as the person tries."""
    state = StateSpec(ATTEMPT_STATE, rehearsal.ask, rehearsal.ask, listen, final=False)
    return Script(
        name=rehearsal.name,
        path=rehearsal.path,
        description=rehearsal.description,
        intro=rehearsal.scene,
        outro=rehearsal.closing,
        initial=ATTEMPT_STATE,
        states={ATTEMPT_STATE: state},
        transitions=(),
    )


class RehearsalSession(Session):
    def __init__(
        self,
        rehearsal: Rehearsal,
        rules: CoachRules,
        partner: Speaker,
        *args: object,
        seed: int = 0,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._rehearsal = rehearsal
        self._rules = rules
        self._partner = partner  # the second voice
        self._seed = seed
        self._assessments: list[Assessment] = []

    def _partner_says(self, text: str) -> None:
        self._partner.say(text)
        self._listener.after_speaking()

    def _converse(self) -> Status:
        r = self._rehearsal
        state = self._script.states[ATTEMPT_STATE]
        self._say(r.scene)
        self._partner_says(r.partner_opening)
        self._say(r.ask)
        while True:
            heard = self._listener.listen(state.listen)
            if isinstance(heard, EndOfInput):
                return Status.INTERRUPTED
            if isinstance(heard, Command):
                step = self._rehearsal_command(heard, state)
                if isinstance(step, Status):
                    return step
                if step is Next.ASK:
                    self._say(r.ask)
                continue
            if not isinstance(heard, Answer) or not heard.text.strip():
                self._say(state.reprompt)
                continue
            step = self._attempt(heard, state)
            if step is not None:
                return step
            if len(self._assessments) >= MAX_ATTEMPTS or not self._another_try(state):
                self._say(r.closing)
                return Status.COMPLETED
            self._partner_says(r.partner_opening)
            self._say(r.ask)

    def _attempt(self, heard: Answer, state: StateSpec) -> Status | None:
        """Coach one attempt: saved with its feedback and the partner's reply, then checked."""
        safety = self._safety
        unsafe = safety is not None and safety.unsafe_relationship
        extra: dict = {}
        found = said = None
        if not unsafe:
            found = assess(heard.text, self._rules, heard.words or None)
            before = self._assessments[-1] if self._assessments else None
            said = feedback(found, self._rules.texts, before)
            reply = pick_reply(self._rehearsal, found.reply, len(self._assessments) + 1, self._seed)
            extra = {"feedback": found.to_dict(), "pace_wpm": found.pace_wpm, "partner": reply}
        self._record(ATTEMPT_STATE, self._rehearsal.ask, heard, extra)
        choice = self._review(heard.text, state)
        if choice is not None:
            step = self._follow(choice, state)
            if isinstance(step, Status):
                return step
        if safety is not None and safety.unsafe_relationship:
            self._say(NO_COACHING)
            self._safety.farewell(stopped=False)
            return Status.COMPLETED
        assert found is not None and said is not None
        self._assessments.append(found)
        # Printed in full, spoken briefly: one thing that worked, one thing to try.
        self._voice.say(said.spoken, printed=said.printed)
        self._listener.after_speaking()
        self._partner_says(extra["partner"])
        return None

    def _another_try(self, state: StateSpec) -> bool:
        self._say(self._rehearsal.another_try)
        heard = self._listener.listen(state.listen)
        if isinstance(heard, Command):
            return heard.name in ("repeat", "continue")
        return isinstance(heard, Answer) and heard.text.strip().lower().strip(".!") in YES

    def _rehearsal_command(self, command: Command, state: StateSpec) -> Status | Next:
        if command.name == "stop":
            return self._stop()
        if command.name == "pause":
            step = self._pause(state)
            return step if isinstance(step, Status) else Next.ASK
        if command.name == "skip":
            self._say(self._rehearsal.closing)
            return Status.COMPLETED
        return Next.ASK  # repeat, go back, continue: the ask again
