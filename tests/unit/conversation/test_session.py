"""The session shell (conversation/session.py) around one activity, with a real journal: the
start and finish with the status, each turn saved then shown, the safety flow set up, the
first-run notice; the script's questions when no activity is given."""

from __future__ import annotations

import pytest
from scripted import COMMANDS, RecordingVoice, ScriptedListener, command, questions_script
from scripted import rule_safeguards as safeguards

from assistant.breathe.patterns import find_pattern
from assistant.conversation.context import Breathing, Context
from assistant.conversation.session import SAFETY_STATE, Session
from assistant.dialog.outcomes import Status
from assistant.events import Answer
from assistant.journal.records import Pause
from assistant.journal.store import Journal
from assistant.safety.notices import NOTICE_FLAG
from assistant.safety.resources import Resources


class Activity:
    """Does what `steps` say with the context it is given; keeps that context."""

    def __init__(self, *steps, status: Status = Status.COMPLETED) -> None:
        self.steps, self.status = steps, status
        self.ctx: Context | None = None

    def run(self, ctx: Context) -> Status:
        self.ctx = ctx
        for step in self.steps:
            step(ctx)
        return self.status


BREAK = Pause.from_dict({"minutes": 20, "return_at": "21:50", "ended": "completed"})


def interrupt(ctx: Context) -> None:
    raise KeyboardInterrupt


def saved_turns(journal, sid) -> list[dict]:
    """The turns as saved, without the time the journal stamps on each."""
    return [{k: v for k, v in t.items() if k != "at"} for t in journal.find(sid).to_dict()["turns"]]


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "journal")
    yield journal
    journal.close()


def session(tmp_path, journal, activity=None, events=(), **kwargs):
    listener = ScriptedListener(events)
    voice = RecordingVoice(listener)
    shown: list[str] = []
    made = Session(
        questions_script(tmp_path), listener, voice, journal, COMMANDS, shown.append,
        activity=activity, **kwargs,
    )  # fmt: skip
    return made, voice, shown


def test_each_answer_is_saved_with_its_times_then_shown_and_counted(tmp_path, journal):
    def answer(ctx):
        ctx.record("first", "First question?", Answer("one", start_s=1.234, end_s=2.345))
        ctx.record("first", "First question?", Answer("two"), {"rating": 2})

    listener = ScriptedListener([])
    shown: list[tuple[str, int]] = []  # each answer shown, with the turns saved by then
    made = Session(
        questions_script(tmp_path), listener, RecordingVoice(listener), journal, COMMANDS,
        lambda text: shown.append((text, len(journal.find(made.session_id).to_dict()["turns"]))),
        activity=Activity(answer),
    )  # fmt: skip
    outcome = made.run()
    assert outcome.status is Status.COMPLETED and outcome.answers == 2
    assert shown == [("one", 1), ("two", 2)]  # shown once it is safely saved
    saved = journal.find(outcome.session_id).to_dict()
    assert saved["status"] == "completed" and saved["script"] == "two"
    assert saved_turns(journal, outcome.session_id) == [
        {"state": "first", "prompt": "First question?", "answer": "one",
         "start_s": 1.23, "end_s": 2.35},
        {"state": "first", "prompt": "First question?", "answer": "two", "rating": 2},
    ]  # fmt: skip


def test_what_an_activity_did_is_saved_but_not_shown_or_counted(tmp_path, journal):
    def did(ctx):
        ctx.record("first", "First question?", Answer("one"))
        ctx.record("pause", "Break", None, {"pause": BREAK})
        ctx.summary = "20 minutes"

    made, _, shown = session(tmp_path, journal, Activity(did))
    outcome = made.run()
    assert outcome.answers == 1 and shown == ["one"] and made.summary == "20 minutes"
    saved = journal.find(outcome.session_id).to_dict()
    pause = {"state": "pause", "prompt": "Break", "answer": "", "pause": BREAK.to_dict()}
    assert saved_turns(journal, outcome.session_id)[1] == pause
    assert saved["summary"] == "20 minutes"


def test_an_answer_that_went_on_is_added_to_its_turn_and_shown(tmp_path, journal):
    def joined(ctx):
        ctx.record("first", "First question?", Answer("he was late", end_s=2.0))
        ctx.extend(Answer("again", end_s=4.0), "he was late again")

    made, _, shown = session(tmp_path, journal, Activity(joined))
    outcome = made.run()
    [turn] = journal.find(outcome.session_id).to_dict()["turns"]
    assert turn["answer"] == "he was late again" and turn["end_s"] == 4.0
    # The whole answer is shown again, as stored: shown alone, "again" would read as the
    # answer to the question printed before it.
    assert shown == ["he was late", turn["answer"]] and outcome.answers == 1


def test_ctrl_c_inside_the_activity_finishes_the_session_as_interrupted(tmp_path, journal):
    say = lambda ctx: ctx.record("first", "First question?", Answer("one"))  # noqa: E731
    made, _, _ = session(tmp_path, journal, Activity(say, interrupt))
    with pytest.raises(KeyboardInterrupt):
        made.run()
    assert journal.find(made.session_id).to_dict()["status"] == "interrupted"


def test_the_activitys_status_is_the_sessions(tmp_path, journal):
    say = lambda ctx: ctx.record("first", "First question?", Answer("one"))  # noqa: E731
    made, _, _ = session(tmp_path, journal, Activity(say, status=Status.STOPPED))
    outcome = made.run()
    assert outcome.status is Status.STOPPED
    assert journal.find(outcome.session_id).to_dict()["status"] == "stopped"


def test_without_an_activity_the_script_is_asked(tmp_path, journal):
    made, voice, shown = session(tmp_path, journal, events=[Answer("one"), Answer("two")])
    outcome = made.run()
    assert outcome.status is Status.COMPLETED and outcome.answers == 2 and shown == ["one", "two"]
    assert voice.said == ["Hello.", "First question?", "Second question?", "Goodbye."]
    assert made.summary is None


def test_the_context_holds_the_sessions_parts_and_the_breathing_given(tmp_path, journal):
    activity = Activity()
    box = Breathing(find_pattern("box"))
    made, voice, _ = session(tmp_path, journal, activity, breathing=box)
    made.run()
    ctx = activity.ctx
    assert ctx.voice is voice and ctx.commands is COMMANDS and ctx.breathing is box
    assert ctx.script.name == "two" and ctx.safety is None


def test_with_safeguards_the_notice_is_said_once_and_a_concern_marks_the_session(tmp_path, journal):
    def concern(ctx):
        ctx.record("first", "First question?", Answer("I want to die."))
        ctx.review("I want to die.", ctx.first_state.listen)

    activity = Activity(concern, status=Status.STOPPED)
    made, voice, _ = session(
        tmp_path, journal, activity, events=[command("stop")], safeguards=safeguards()
    )
    outcome = made.run()
    support = safeguards().support
    notice = support.help.fill(support.notice, Resources.from_config(journal.config()))
    assert journal.flag(NOTICE_FLAG) and voice.said[0] == notice
    assert outcome.status is Status.SAFETY
    saved = journal.find(outcome.session_id).to_dict()
    assert saved["safety"] == ["self-harm"] and saved["concerns"]
    again, voice, _ = session(tmp_path, journal, Activity(), safeguards=safeguards())
    again.run()
    assert voice.said == []  # the notice only before the very first session


def test_the_safety_flows_replies_are_saved_as_its_own_turns(tmp_path, journal):
    def concern(ctx):
        ctx.record("first", "First question?", Answer("I am thinking of hurting myself"))
        ctx.review("I am thinking of hurting myself", ctx.first_state.listen)

    journal.set_flag(NOTICE_FLAG, True)
    made, _, _ = session(
        tmp_path, journal, Activity(concern), events=[Answer("no"), command("stop")],
        safeguards=safeguards(),
    )  # fmt: skip
    outcome = made.run()
    states = [t["state"] for t in journal.find(outcome.session_id).to_dict()["turns"]]
    assert states[0] == "first" and SAFETY_STATE in states[1:]
