"""One session: the shell around one activity (the script's questions unless another is given).

The shell does what every session does: the first-run notice, the journal's start and finish
with how it ended, the safety flow's set-up, the counsellor's suggestion, and saving and showing
each turn as it ends. The activity (context.py) does the rest through a Context.

Pure orchestration: the listener, the voice and the journal are passed in, so the same loop runs
on a microphone, a WAV file or typed lines. With safeguards, every answer (and whatever is said
while paused) is saved, then checked, before the activity moves on; a concern hands over to the
safety flow (assistant/safety/respond.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from assistant.base.settings import ListenSettings
from assistant.conversation.breathing import flow_exercise
from assistant.conversation.context import Activity, Breathing, Context
from assistant.conversation.questions import Questions
from assistant.conversation.refine import Refining, SettledListener
from assistant.dialog.outcomes import Choice, Status
from assistant.dialog.script import Script
from assistant.events import Answer, Listener, Speaker
from assistant.journal.records import SAFETY_STATE, Turn
from assistant.journal.store import Journal
from assistant.safety.notices import first_run_notice, strong_session, suggest_counsellor
from assistant.safety.resources import Resources
from assistant.safety.respond import Safeguards, SafetyFlow
from assistant.speech.commands import CommandSet
from assistant.speech.second_pass import SecondPass


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
        *,
        activity: Activity | None = None,
        breathing: Breathing | None = None,
        second_pass: SecondPass | None = None,
    ) -> None:
        """`activity`: what happens in the session (the script's questions unless given);
        `breathing`: the pattern and texts of breathing in it (the defaults unless given);
        `second_pass`: writes each spoken answer anew from its audio (None: the live text)."""
        self._script = script
        self._journal = journal
        self._show_answer = show_answer
        self._safeguards = safeguards
        self._activity = activity or Questions()
        self._refining = Refining(second_pass)
        if second_pass is not None:
            listener = SettledListener(listener, self._settle)
        self._ctx = Context(
            script, listener, voice, commands, self._record, self._extend,
            breathing or Breathing(), safeguards, accurate=self._refining.accurate,
        )  # fmt: skip
        self.session_id = ""  # known once the session is in the journal
        self._signals: set[str] = set()  # strong-insecurity signals heard in the answers

    @property
    def summary(self) -> str | None:
        """History's line for a session where answers are not the point (breathing, a break)."""
        return self._ctx.summary

    def run(self) -> Outcome:
        guards, ctx = self._safeguards, self._ctx
        resources = Resources()
        if guards:
            resources = Resources.from_config(self._journal.config())
            first_run_notice(
                self._journal, ctx.voice, guards.support, resources,
                cut=lambda: ctx.listener.interrupted,  # a command said over it stopped it
            )  # fmt: skip
        sid = self.session_id = self._journal.start(self._script.name)
        if guards:
            record = partial(self._record, SAFETY_STATE)
            exercise = partial(flow_exercise, ctx)
            ctx.safety = SafetyFlow(guards, resources, ctx.listener, ctx.voice, record, exercise)
        status = Status.INTERRUPTED  # unless the activity says otherwise; Ctrl-C and crashes
        try:
            status = self._activity.run(ctx)
            if status is not Status.INTERRUPTED and self._settle_last(status):
                status = Status.STOPPED
        finally:
            self._settle(None)  # every answer's accurate text is in before the session ends
            noticed = self._finish(status)
        if guards and status is not Status.INTERRUPTED:  # nobody to say it to after input ended
            suggest_counsellor(self._journal, ctx.voice, guards.support, resources)
        return Outcome(sid, Status.SAFETY if noticed else status, ctx.answers)

    def _finish(self, status: Status) -> list[str]:
        """The session's end in the journal; the concerns noticed."""
        safety, guards = self._ctx.safety, self._safeguards
        noticed = safety.noticed if safety else []
        concerns = [c.record() for c in safety.concerns] if safety else []
        strong = guards is not None and strong_session(self._signals, guards.support)
        self._journal.finish(
            self.session_id, status, safety=noticed, concerns=concerns, strong=strong,
            summary=self._ctx.summary,
        )  # fmt: skip
        return noticed

    def _record(
        self, state: str, prompt: str, heard: Answer | None = None, extra: dict | None = None
    ) -> None:
        """Save a turn: an answer (with `extra` fields of a Turn, such as a rating or a rehearsal's
        feedback), shown once it is safely saved; or, with no answer, what an activity did
        (`extra`: a breathing exercise, a break)."""
        spoken = heard is not None and bool(heard.end_s)
        turn = Turn(
            state=state, prompt=prompt, answer=heard.text if heard else "",
            heard_live=heard.heard_live if heard else None,
            start_s=round(heard.start_s, 2) if spoken else None,
            end_s=round(heard.end_s, 2) if spoken else None,
        )  # fmt: skip
        turn_id = self._journal.add_turn(self.session_id, replace(turn, **(extra or {})))
        # Written anew by the second pass, unless it was already, or a rating's number was
        # read by the command grammar (its reading is the answer).
        if heard is not None and heard.heard_live is None and "answer" not in (extra or {}):
            self._refining.add(turn_id, state, heard)
        if heard is not None:
            self._show_answer(heard.text)
            self._heard_signals(heard.text)

    def _extend(self, heard: Answer, whole: str) -> None:
        """What the person went on to say, added to the last turn (`whole`: the answer joined).
        The whole answer is shown again, as it is stored now: the next question was printed
        before they went on, so a part shown alone would read as the answer to that one."""
        self._journal.extend_turn(self.session_id, heard.text, heard.end_s or None)
        self._refining.extend(heard)
        self._show_answer(whole)
        self._heard_signals(whole)

    def _settle(self, listen: ListenSettings | None) -> Choice | None:
        """The accurate texts that have come (waiting for them) into the journal; with `listen`,
        each checked again, and a concern only they show answered now: the flow's choice."""
        choice = None
        for done in self._refining.settle():
            self._journal.refine_turn(self.session_id, done.turn_id, done.text, done.live)
            self._heard_signals(done.text)
            ctx = self._ctx
            if listen is None or done.state == SAFETY_STATE or choice is not None:
                continue  # the safety flow checks its own replies
            if ctx.flagged(done.text) and not ctx.flagged(done.live):
                choice = ctx.review(done.text, listen)
        return choice

    def _settle_last(self, status: Status) -> bool:
        """After the activity: a concern in the last answers that only the accurate text shows
        is answered still, with where help is. True when the person then chose to stop."""
        choice = self._settle(ListenSettings())
        if choice is None:
            return False
        self._ctx.farewell(stopped=choice is Choice.STOP)
        return choice is Choice.STOP and status is Status.COMPLETED

    def _heard_signals(self, text: str) -> None:
        if self._safeguards:
            self._signals |= self._safeguards.support.strong.in_answer(text)
