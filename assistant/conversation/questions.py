"""A script's questions: ask, listen, act on what was heard, until the script ends; then the
goodbye.

An answer may have ended too early: the person went on over the next question (or the goodbye),
which stopped it. What they go on to say is joined to that answer's turn and the whole is checked
again; then the question is asked again (or the goodbye said again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeGuard

from assistant.conversation.commands import follow, on_command
from assistant.conversation.context import Context
from assistant.conversation.rating import read_rating
from assistant.dialog.machine import Dialog
from assistant.dialog.outcomes import Next, Status, Step
from assistant.dialog.script import StateSpec
from assistant.events import Answer, Command, EndOfInput, Heard


@dataclass(frozen=True)
class OpenAnswer:
    """The answer just saved, which the person may go on with: its question and the whole text
    so far."""

    state: StateSpec
    text: str

    def joined(self, more: str) -> OpenAnswer:
        return OpenAnswer(self.state, f"{self.text} {more}")


@dataclass
class Progress:
    """Where the person is in the script (the commands' Place)."""

    dialog: Dialog
    asked: list[str] = field(default_factory=list)  # questions moved on from, for "go back"
    reprompted: str = ""  # the question that was already offered once more after a silence
    open: OpenAnswer | None = None  # the answer just saved, if it may go on

    def move_on(self, answer: str | None = None) -> None:
        self.asked.append(self.dialog.state)
        self.dialog.advance(answer)

    def go_back(self) -> bool:
        if not self.asked:
            return False
        self.dialog.go_to(self.asked.pop())
        return True


class Questions:
    """The script's questions, as the activity of a session."""

    def run(self, ctx: Context) -> Status:
        script = ctx.script
        ctx.say(script.intro)
        # The questions are rendered ahead while the first is asked and answered, so each next
        # one starts as soon as an answer has ended.
        prompts = [s.prompt for s in script.states.values() if s.prompt]
        ctx.voice.prepare([*prompts, script.outro])
        progress = Progress(Dialog(script))
        ended = _ask_all(ctx, progress)
        return ended if ended is not None else goodbye(ctx, progress.open)


def _ask_all(ctx: Context, progress: Progress) -> Status | None:
    """Ask until the script ends (None) or the session does (how)."""
    step: Step = Next.ASK
    while not progress.dialog.finished:
        state = ctx.script.states[progress.dialog.state]
        if step is Next.ASK:
            if ctx.safety and ctx.safety.skips(state.prompt):
                progress.dialog.advance(None)  # advice or probing that does not fit after a concern
                continue
            if progress.open:
                ctx.listener.arm_join()  # it may have ended early: they may go on
            ctx.say(state.prompt)
        step = _act(ctx, progress, state, ctx.listener.listen(state.listen))
        if isinstance(step, Status):
            return step
    return None


def _act(ctx: Context, progress: Progress, state: StateSpec, heard: Heard) -> Step:
    if isinstance(heard, EndOfInput):
        return Status.INTERRUPTED
    if isinstance(heard, Answer) and heard.continues:
        return _went_on(ctx, progress, heard)
    progress.open = None
    if isinstance(heard, Command):
        return on_command(ctx, heard, progress, state)
    if isinstance(heard, Answer) and heard.text.strip():
        return _answered(ctx, progress, state, heard)
    if isinstance(heard, Answer) and heard.closed:  # only "that's all": nothing to add
        progress.move_on()
        return Next.ASK
    return _unanswered(ctx, progress, state)  # silence, or only noise


def _answered(ctx: Context, progress: Progress, state: StateSpec, heard: Answer) -> Step:
    """Saved (a rating with its number) and checked, then on to the next question."""
    rating = read_rating(state, heard)
    ctx.record(state.name, state.prompt, heard, rating.extra)
    choice = ctx.review(heard.text, state.listen)
    if rating.unclear and choice is None and progress.reprompted != state.name:
        return _reprompt(ctx, progress, state)  # not a number: asked once more
    progress.move_on(heard.text)
    if choice is None and not state.rating:
        progress.open = OpenAnswer(state, heard.text)
    return follow(ctx, choice, state)


def _unanswered(ctx: Context, progress: Progress, state: StateSpec) -> Step:
    """Silence: the question once more, then on to the next."""
    if progress.reprompted != state.name:
        return _reprompt(ctx, progress, state)
    ctx.say(ctx.replies["movingon"])
    progress.move_on()
    return Next.ASK


def _reprompt(ctx: Context, progress: Progress, state: StateSpec) -> Next:
    ctx.say(state.reprompt)
    progress.reprompted = state.name
    return Next.LISTEN


def _went_on(ctx: Context, progress: Progress, heard: Answer) -> Step:
    """The answer before had not ended: the question was stopped. Join, then ask again."""
    if progress.open is None or not _goes_on(ctx, heard):
        return Next.ASK
    progress.open = progress.open.joined(heard.text)
    step = join(ctx, progress.open, heard)
    if step is None:
        return Next.ASK
    progress.open = None  # the safety flow ran: what follows is not this answer
    return step if isinstance(step, Status) else Next.ASK


def _goes_on(ctx: Context, heard: Heard) -> TypeGuard[Answer]:
    """`heard` is more of the answer before: words, and not only a "thank you, bye"."""
    return (
        isinstance(heard, Answer)
        and heard.continues
        and bool(heard.text.strip())
        and not ctx.commands.only_farewell(heard.text)
    )


def join(ctx: Context, opened: OpenAnswer, heard: Answer) -> Step | None:
    """What the person went on to say (`heard`) is the same answer (`opened`, joined already):
    added to its turn, and the whole checked again (a concern may span the two parts). None when
    the safety flow did not run."""
    ctx.extend(heard, opened.text)
    before = opened.text[: len(opened.text) - len(heard.text)]
    # A concern in the first part was answered already: then only the new part is checked.
    checked = heard.text if ctx.flagged(before) else opened.text
    choice = ctx.review(checked, opened.state.listen)
    return follow(ctx, choice, opened.state) if choice is not None else None


def goodbye(ctx: Context, opened: OpenAnswer | None) -> Status:
    """The script's goodbye; after a concern, where help is instead. An answer that goes on over
    the goodbye is heard out and joined, then the goodbye is said again."""
    outro = ctx.script.outro
    while not ctx.noticed:
        if opened and outro:
            ctx.listener.arm_join(last=True)
        ctx.say(outro)
        if not (opened and outro and ctx.listener.interrupted):
            return Status.COMPLETED
        heard = ctx.listener.listen(opened.state.listen)
        if _goes_on(ctx, heard):
            opened = opened.joined(heard.text)
            step = join(ctx, opened, heard)
            if isinstance(step, Status):
                return step
        else:
            opened = None  # a command, a sound or a "thank you": goodbye once more
    ctx.farewell(stopped=False)  # not the script's usual goodbye
    return Status.COMPLETED
