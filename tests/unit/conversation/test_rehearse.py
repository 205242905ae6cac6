"""A rehearsal as an activity (conversation/rehearse.py), on a scripted listener with the partner
as a second recording voice: each attempt coached, saved, answered; commands as anywhere."""

from __future__ import annotations

from scripted import REPLIES, RecordingVoice, command, context, with_safety

from assistant.base.settings import DIALOGS_DIR, ListenSettings
from assistant.coach.rehearsal import find_rehearsal
from assistant.coach.rules import load_coaching
from assistant.conversation.rehearse import (
    ATTEMPT_STATE,
    MAX_ATTEMPTS,
    NO_COACHING,
    Rehearse,
    rehearsal_script,
)
from assistant.dialog.outcomes import Status
from assistant.events import Answer, NoAnswer

WORRY = find_rehearsal("worry", DIALOGS_DIR / "rehearsals")
RULES = load_coaching(DIALOGS_DIR / "coaching.yaml")
HARSH = "you never listen to me and it is your fault"
GENTLE = "I feel lonely when we do not talk. Could we have ten minutes together after dinner?"


def rehearse(events, *, safety=False):
    r = context(rehearsal_script(WORRY, ListenSettings()), events)
    if safety:
        with_safety(r)
    partner = RecordingVoice()
    status = Rehearse(WORRY, RULES, partner).run(r.ctx)
    return status, r, partner


def test_the_script_is_one_question_asked_as_often_as_they_try():
    script = rehearsal_script(WORRY, ListenSettings())
    assert script.name == "worry" and list(script.states) == [ATTEMPT_STATE]
    assert script.states[ATTEMPT_STATE].prompt == WORRY.ask and script.outro == WORRY.closing


def test_each_attempt_is_coached_saved_and_answered_by_the_partner(tmp_path):
    status, r, partner = rehearse([Answer(HARSH), Answer("yes"), Answer(GENTLE), Answer("no")])
    assert status is Status.COMPLETED
    assert r.voice.said[:2] == [WORRY.scene, WORRY.ask]
    harsh, gentle = r.recorded.turns
    assert harsh[:3] == (ATTEMPT_STATE, WORRY.ask, HARSH)
    assert harsh[3]["partner"] in WORRY.replies.defensive
    assert gentle[3]["partner"] in WORRY.replies.open
    assert {"feedback", "pace_wpm", "partner"} <= set(gentle[3])
    assert partner.said == [WORRY.partner_opening, harsh[3]["partner"],
                            WORRY.partner_opening, gentle[3]["partner"]]  # fmt: skip
    assert r.voice.said.count(WORRY.another_try) == 2 and r.voice.said[-1] == WORRY.closing


def test_the_rehearsal_closes_after_the_last_attempt_offered(tmp_path):
    events = [e for _ in range(MAX_ATTEMPTS) for e in (Answer(GENTLE), Answer("yes"))]
    status, r, _ = rehearse(events)
    assert status is Status.COMPLETED and len(r.recorded.turns) == MAX_ATTEMPTS
    assert r.voice.said.count(WORRY.another_try) == MAX_ATTEMPTS - 1


def test_silence_asks_again_and_repeat_says_the_ask_again(tmp_path):
    status, r, _ = rehearse([NoAnswer(20.0), command("repeat"), command("skip")])
    assert status is Status.COMPLETED and r.recorded.turns == []
    assert r.voice.said == [WORRY.scene, WORRY.ask, WORRY.ask, WORRY.ask, WORRY.closing]


def test_stop_pause_and_the_end_of_input(tmp_path):
    assert rehearse([command("stop")])[0] is Status.STOPPED
    status, r, _ = rehearse([command("pause"), command("continue"), command("stop")])
    assert status is Status.STOPPED
    assert r.voice.said[2:] == [REPLIES["paused"], REPLIES["resumed"], WORRY.ask,
                                REPLIES["stopped_empty"]]  # fmt: skip
    assert rehearse([])[0] is Status.INTERRUPTED


def test_no_coaching_after_an_abuse_concern(tmp_path):
    abuse = "my partner hits me when he is angry"
    status, r, partner = rehearse([Answer(abuse), command("continue")], safety=True)
    assert status is Status.COMPLETED and r.ctx.safety.unsafe_relationship
    [(_, _, said, coached)] = r.recorded.turns  # coached before the check found it ...
    assert said == abuse and "feedback" in coached
    assert NO_COACHING in r.voice.said  # ... but none of it is said, nor the partner's reply
    assert partner.said == [WORRY.partner_opening]


def test_an_attempt_after_an_abuse_concern_is_not_coached_at_all(tmp_path):
    r = with_safety(context(rehearsal_script(WORRY, ListenSettings()), [command("continue")]))
    r.ctx.review("my partner hits me when he is angry", r.ctx.first_state.listen)
    r.listener.events = [Answer(GENTLE)]
    assert Rehearse(WORRY, RULES, RecordingVoice()).run(r.ctx) is Status.COMPLETED
    assert r.recorded.turns[-1] == (ATTEMPT_STATE, WORRY.ask, GENTLE, None)
