"""What each journal file must hold to be trusted: every required field of its type, a known
status; fields it does not know (newer versions) are left alone."""

from __future__ import annotations

import pytest

from assistant.journal.validate import check_index, check_legacy, check_session, check_settings

META = {"id": "0123abcd", "script": "evening", "started_at": "2026-03-04T21:00:00+01:00",
        "status": "completed"}  # fmt: skip
TURN = {"state": "today", "prompt": "What happened?", "answer": "a late reply",
        "at": "2026-03-04T21:01:00+01:00"}  # fmt: skip


def session_file(meta: dict = META, *turns: dict) -> dict:
    return {"session": {"1": meta}, "turns": {str(i): t for i, t in enumerate(turns, 1)}}


def test_a_whole_session_file_passes_with_keys_it_does_not_know():
    newer = {**TURN, "pace_wpm": 142, "feedback": {"findings": []}, "rating": 7}
    assert check_session(session_file({**META, "future": 1}, TURN, newer)) == ""


@pytest.mark.parametrize(
    "meta",
    [
        {k: v for k, v in META.items() if k != "script"},
        {**META, "status": "finished"},  # not a status
        {**META, "id": 7},
        {**META, "safety": "self-harm"},  # checked when present: a list
    ],
)
def test_a_session_record_missing_a_field_or_of_the_wrong_kind_is_refused(meta):
    assert check_session(session_file(meta, TURN)) == (
        "its session record is missing or incomplete"
    )


def test_one_session_record_exactly():
    assert check_session({"turns": {}}) == "its session record is missing or incomplete"
    two = {"session": {"1": META, "2": META}, "turns": {}}
    assert check_session(two) == "its session record is missing or incomplete"


@pytest.mark.parametrize(
    "turn",
    [
        {k: v for k, v in TURN.items() if k != "answer"},
        {**TURN, "rating": True},  # a yes is not a number
        {**TURN, "rating": "7"},
        {**TURN, "heard": None},
    ],
)
def test_a_turn_missing_a_field_or_of_the_wrong_kind_is_refused(turn):
    assert check_session(session_file(META, TURN, turn)) == "a turn is incomplete"


def test_an_index_entry_must_say_how_many_answers():
    assert check_index({"sessions": {"1": {**META, "answers": 2}}}) == ""
    assert check_index({"sessions": {"1": META}}) == "entry '0123abcd' is incomplete"


def test_a_journal_from_before_the_index_holds_its_turns_inside_each_session():
    assert check_legacy({"sessions": {"1": {**META, "turns": [TURN]}}}) == ""
    assert check_legacy({"sessions": {"1": {**META, "turns": {"1": TURN}}}}) == (
        "session '0123abcd' is incomplete"
    )


def test_settings_hold_flags_and_config_only():
    assert check_settings({"flags": {"1": {"notice_shown": True}}, "config": {}}) == ""
    assert check_settings({"sessions": {}}) == "not the settings of a journal"
    two = {"flags": {"1": {}, "2": {}}}
    assert check_settings(two) == "not the settings of a journal"
