"""The pause rule on an injected clock: return time, halfway check-in, the closing opener,
grievance noticed, the range errors. Nothing here waits."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone

import pytest

from assistant.base.errors import BadInputError, BadScriptError
from assistant.breathe.pause_rule import (
    PAUSE_FILE,
    CheckIn,
    Done,
    ManualClock,
    OfferBreathing,
    PauseRule,
    Say,
    Stage,
    check_minutes,
    load_pause_texts,
    run_on_clock,
)

TEXTS = load_pause_texts()
START = datetime(2025, 3, 4, 21, 14, 0, tzinfo=timezone(timedelta(hours=1)))


def test_the_start_says_the_return_time_soothing_things_and_offers_breathing():
    events = PauseRule(TEXTS, 20, START).begin()
    assert [type(e) for e in events] == [Say, Say, OfferBreathing]
    assert "until 21:34." in events[0].text
    assert "walk" in events[1].text and "music" in events[1].text
    assert "breathe" in events[2].text
    assert all(e.at == START for e in events)


def test_under_twenty_minutes_it_says_why_twenty_is_suggested():
    events = PauseRule(TEXTS, 10, START).begin()
    assert "Twenty minutes" in events[0].text and "10 minutes" in events[0].text
    assert "until 21:24." in events[1].text
    assert not any("Twenty" in e.text for e in PauseRule(TEXTS, 20, START).begin())


def test_a_break_of_a_whole_day_comes_back_tomorrow():
    events = PauseRule(TEXTS, 1440, START).begin()
    assert "until 21:14 tomorrow" in events[0].text


def test_halfway_check_in_once_then_time_to_go_back_with_one_calm_opener():
    rule = PauseRule(TEXTS, 20, START, rng=random.Random(3))
    rule.begin()
    assert rule.next_due() == START + timedelta(minutes=10)
    assert rule.tick(START + timedelta(minutes=9, seconds=59)) == []
    check_in = rule.tick(START + timedelta(minutes=10))
    assert [type(e) for e in check_in] == [CheckIn]
    assert "about 10 minutes to go" in check_in[0].text
    assert rule.tick(START + timedelta(minutes=15)) == []  # once only
    assert rule.next_due() == START + timedelta(minutes=20)
    end = rule.tick(START + timedelta(minutes=20))
    assert [type(e) for e in end] == [Say, Say, Done]
    assert "It's 21:34" in end[0].text and "time to go back" in end[0].text
    assert end[2].opener in TEXTS.openers and end[2].opener in end[1].text
    assert rule.stage is Stage.DONE and rule.next_due() is None
    assert rule.tick(START + timedelta(minutes=30)) == []


def test_the_rehearsal_scripts_openers_take_the_place_of_the_files():
    mine = ("Can we sit down and start again?",)
    events = list(run_on_clock(PauseRule(TEXTS, 20, START, openers=mine), ManualClock(START)))
    assert events[-1] == Done(mine[0], START + timedelta(minutes=20))


class WaitsRecorded(ManualClock):
    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.waits: list[datetime] = []

    def sleep_until(self, when: datetime) -> None:
        self.waits.append(when)
        super().sleep_until(when)


def test_driven_on_a_manual_clock_the_whole_break_takes_no_time(monkeypatch):
    def no_real_waiting(seconds: float) -> None:
        raise AssertionError(f"waited {seconds} s on the real clock")

    monkeypatch.setattr(time, "sleep", no_real_waiting)
    clock = WaitsRecorded(START)
    events = list(run_on_clock(PauseRule(TEXTS, 30, START), clock))
    # Every wait went to the injected clock, in order, none before the break began.
    assert clock.waits == sorted(clock.waits) and clock.waits[0] > START
    assert clock.waits[-1] == START + timedelta(minutes=30)
    assert [type(e) for e in events] == [Say, Say, OfferBreathing, CheckIn, Say, Say, Done]
    assert events[3].at == START + timedelta(minutes=15)
    assert events[-1].at == clock.now() == START + timedelta(minutes=30)


def test_a_late_tick_skips_the_check_in_and_ends():
    rule = PauseRule(TEXTS, 20, START)
    rule.begin()
    assert [type(e) for e in rule.tick(START + timedelta(minutes=25))] == [Say, Say, Done]


@pytest.mark.parametrize(
    "said",
    [
        "He always does this, he never listens",
        "i cant believe he said that in front of them",
        "And what she said about my mother.",
        "How could he, honestly",
    ],
)
def test_going_over_the_grievance_is_gently_put_off_and_breathing_offered(said):
    rule = PauseRule(TEXTS, 20, START)
    rule.begin()
    at = START + timedelta(minutes=3)
    events = rule.heard(said, at)
    assert [type(e) for e in events] == [Say, OfferBreathing]
    assert "when you talk again" in events[0].text and events[0].at == at


@pytest.mark.parametrize(
    "said", ["I think I'll go for a walk", "I feel a bit calmer now", "she's my partner", "never"]
)
def test_other_things_said_are_left_alone(said):
    rule = PauseRule(TEXTS, 20, START)
    rule.begin()
    assert rule.heard(said, START + timedelta(minutes=3)) == []


@pytest.mark.parametrize("minutes", [0, -5, 1441, 2.5, True, "twenty", None])
def test_minutes_outside_one_to_a_day_are_a_one_line_error(minutes):
    with pytest.raises(BadInputError, match=r"^--minutes must be a whole number from 1 to 1440"):
        check_minutes(minutes)


@pytest.mark.parametrize(("minutes", "expected"), [(1, 1), (1440, 1440), ("45", 45)])
def test_minutes_in_range_are_taken(minutes, expected):
    assert check_minutes(minutes) == expected


def test_a_mistake_in_the_texts_names_file_line_and_key(tmp_path):
    path = tmp_path / "pause_rule.yaml"
    text = PAUSE_FILE.read_text().replace("{remaining} to go", "{left} to go")
    path.write_text(text)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("check_in:"))
    with pytest.raises(BadScriptError, match=rf":{line}: check_in: unknown placeholder \{{left\}}"):
        load_pause_texts(path)
