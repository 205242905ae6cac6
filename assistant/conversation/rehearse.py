"""A rehearsal: the person says the hard sentence to a partner voice, is coached, hears how the
partner might answer, and may try again. An activity of a session like a script's questions:
every attempt is saved as a turn, then passes the safety check; commands work as anywhere.

The partner's reply follows how it was said (coach/analyse.py: a harsh start-up gets a defensive
reply, a soft one an open reply). After an abuse concern in the session there is no coaching:
advice about talking things through is for relationships where one feels safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.base.settings import ListenSettings
from assistant.coach.analyse import assess
from assistant.coach.feedback import Feedback, feedback
from assistant.coach.findings import Assessment
from assistant.coach.rehearsal import Rehearsal, pick_reply
from assistant.coach.rules import CoachRules
from assistant.conversation.commands import follow, pause, stop
from assistant.conversation.context import Context
from assistant.dialog.outcomes import Status
from assistant.dialog.script import Script, StateSpec
from assistant.events import Answer, Command, EndOfInput, Speaker

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


@dataclass(frozen=True)
class Coached:
    """One attempt, coached: what was found, what is said about it, the partner's reply."""

    found: Assessment
    said: Feedback
    reply: str

    @property
    def extra(self) -> dict:
        """The fields the attempt's turn is saved with."""
        found = self.found
        return {"feedback": found.to_dict(), "pace_wpm": found.pace_wpm, "partner": self.reply}


class Rehearse:
    """The activity of a rehearsal session (its script: `rehearsal_script`)."""

    def __init__(
        self, rehearsal: Rehearsal, rules: CoachRules, partner: Speaker, seed: int = 0
    ) -> None:
        self._rehearsal = rehearsal
        self._rules = rules
        self._partner = partner  # the second voice
        self._seed = seed

    def run(self, ctx: Context) -> Status:
        r = self._rehearsal
        state = ctx.script.states[ATTEMPT_STATE]
        attempts: list[Assessment] = []
        ctx.say(r.scene)
        self._open(ctx)
        while True:
            heard = ctx.listener.listen(state.listen)
            if isinstance(heard, EndOfInput):
                return Status.INTERRUPTED
            if isinstance(heard, Command):
                ended = self._command(ctx, heard, state)
                if ended is not None:
                    return ended
                ctx.say(r.ask)
            elif not (isinstance(heard, Answer) and heard.text.strip()):
                ctx.say(state.reprompt)
            elif (ended := self._attempt(ctx, heard, state, attempts)) is not None:
                return ended
            elif len(attempts) >= MAX_ATTEMPTS or not self._another_try(ctx, state):
                ctx.say(r.closing)
                return Status.COMPLETED
            else:
                self._open(ctx)

    def _open(self, ctx: Context) -> None:
        """The partner's opening line, then the ask."""
        self._partner_says(ctx, self._rehearsal.partner_opening)
        ctx.say(self._rehearsal.ask)

    def _partner_says(self, ctx: Context, text: str) -> None:
        self._partner.say(text)
        ctx.listener.after_speaking()

    def _coach(self, heard: Answer, attempts: list[Assessment]) -> Coached:
        found = assess(heard.text, self._rules, heard.words or None)
        said = feedback(found, self._rules.texts, attempts[-1] if attempts else None)
        reply = pick_reply(self._rehearsal, found.reply, len(attempts) + 1, self._seed)
        return Coached(found, said, reply)

    def _attempt(
        self, ctx: Context, heard: Answer, state: StateSpec, attempts: list[Assessment]
    ) -> Status | None:
        """Coach one attempt: saved with its feedback and the partner's reply, then checked."""
        safety = ctx.safety
        live = heard.text
        heard = ctx.accurate(heard)  # the coach reads the words as said (pace: Vosk's times)
        coached = None if safety and safety.unsafe_relationship else self._coach(heard, attempts)
        ctx.record(ATTEMPT_STATE, self._rehearsal.ask, heard, coached.extra if coached else None)
        choice = ctx.review(live, state.listen)
        if choice is None and heard.text != live and ctx.flagged(heard.text):
            choice = ctx.review(heard.text, state.listen)  # only the accurate words show it
        if choice is not None:
            step = follow(ctx, choice, state)
            if isinstance(step, Status):
                return step
        if safety is not None and safety.unsafe_relationship:
            ctx.say(NO_COACHING)
            safety.farewell(stopped=False)
            return Status.COMPLETED
        assert coached is not None  # the relationship was not unsafe before the review either
        attempts.append(coached.found)
        # Printed in full, spoken briefly: one thing that worked, one thing to try.
        ctx.voice.say(coached.said.spoken, printed=coached.said.printed)
        ctx.listener.after_speaking()
        self._partner_says(ctx, coached.reply)
        return None

    def _another_try(self, ctx: Context, state: StateSpec) -> bool:
        ctx.say(self._rehearsal.another_try)
        heard = ctx.listener.listen(state.listen)
        if isinstance(heard, Command):
            return heard.name in ("repeat", "continue")
        return isinstance(heard, Answer) and heard.text.strip().lower().strip(".!") in YES

    def _command(self, ctx: Context, command: Command, state: StateSpec) -> Status | None:
        """Stop, pause and skip (to the closing); the others ask again (None)."""
        if command.name == "stop":
            return stop(ctx)
        if command.name == "pause":
            step = pause(ctx, state)
            return step if isinstance(step, Status) else None
        if command.name == "skip":
            ctx.say(self._rehearsal.closing)
            return Status.COMPLETED
        return None
