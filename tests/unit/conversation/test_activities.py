"""`reflect breathe` and `reflect pause` as activities (conversation/activities.py), on a scripted
listener whose clock the stage runs on: a twenty-minute break takes no real time."""

from __future__ import annotations

from datetime import datetime

from scripted import REPLIES, At, command, context, with_safety

from assistant.base.settings import ListenSettings
from assistant.breathe.patterns import find_pattern
from assistant.breathe.pause_rule import load_pause_texts
from assistant.conversation.activities import Breathe, Pause, activity_script
from assistant.dialog.outcomes import Status
from assistant.events import Answer
from assistant.journal.records import PAUSE_STATE

BOX = find_pattern("box")
PAUSE_TEXTS = load_pause_texts()
OPENER = "I'd like to start again, calmly."
START = datetime(2026, 12, 1, 21, 30).astimezone()


def breathe_run(events, minutes=None):
    r = context(activity_script("breathe", BOX.description, ListenSettings()), events)
    return Breathe(BOX, minutes), r


def pause_run(events):
    r = context(activity_script("pause", "A break", ListenSettings()), events)
    return Pause(PAUSE_TEXTS, 20, (OPENER,), start=lambda: START), r


def test_the_activity_script_is_one_final_state():
    script = activity_script("breathe", "Box breathing", ListenSettings())
    assert script.name == "breathe" and script.initial == "breathe"
    assert script.states["breathe"].final and script.intro == script.outro == ""


def test_an_exercise_runs_for_its_minutes_and_leaves_historys_line(tmp_path):
    activity, r = breathe_run([], minutes=1.0)
    assert activity.run(r.ctx) is Status.COMPLETED
    [(state, _, _, extra)] = r.recorded.turns
    assert state == "breathing" and extra["breathing"].to_dict()["planned_s"] == 64.0
    assert r.ctx.summary == "box, 4 of 4 rounds, 1:04 of 1:04, completed"


def test_stop_ends_an_exercise_early(tmp_path):
    activity, r = breathe_run([At(20.0, command("stop"))])
    assert activity.run(r.ctx) is Status.STOPPED
    assert r.ctx.summary.endswith("0:20 of 4:00, stopped")


def test_a_concern_during_an_exercise_ends_it(tmp_path):
    activity, r = breathe_run([At(5.0, Answer("I want to die."))])
    with_safety(r)
    assert activity.run(r.ctx) is Status.INTERRUPTED  # the flow asked; the input had ended
    assert r.ctx.noticed and r.recorded.answers[0] == ("breathing", "I want to die.")


def test_a_break_runs_its_minutes_keeps_what_is_said_and_ends_with_an_opener(tmp_path):
    activity, r = pause_run([At(300.0, Answer("what he said was so unfair"))])
    assert activity.run(r.ctx) is Status.COMPLETED
    assert r.listener.t >= 20 * 60
    said = "\n".join(r.voice.said)
    assert "until 21:50" in said and PAUSE_TEXTS.grievance in said and OPENER in said
    heard, record = r.recorded.turns
    assert heard == (PAUSE_STATE, "(said during the break)", "what he said was so unfair", None)
    assert record[:2] == (PAUSE_STATE, "Break") and record[3]["pause"].to_dict() == {
        "minutes": 20, "return_at": START.replace(minute=50).isoformat(timespec="minutes"),
        "checked_in": True, "opener": OPENER, "ended": "completed",
    }  # fmt: skip
    assert r.ctx.summary == "20 minutes, back at 21:50, completed"


def test_stop_ends_a_break_early(tmp_path):
    activity, r = pause_run([At(60.0, command("stop"))])
    assert activity.run(r.ctx) is Status.STOPPED
    assert r.voice.said[-1] == REPLIES["stopped"] and r.listener.t < 120
    assert r.recorded.turns[-1][3]["pause"].ended == "stopped"
    assert r.ctx.summary == "20 minutes, back at 21:50, stopped"


def test_breathe_in_a_break_breathes_and_the_break_goes_on(tmp_path):
    activity, r = pause_run([At(60.0, command("breathe"))])
    assert activity.run(r.ctx) is Status.COMPLETED
    breathing, pause = r.recorded.turns
    assert breathing[0] == "breathing" and breathing[3]["breathing"].ended == "completed"
    assert pause[3]["pause"].ended == "completed"
