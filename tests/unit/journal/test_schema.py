"""The fields of a session and a turn, defined once: what an older record reads as, what the
export shows and what `history` lists (never the answers, never the writing process)."""

from __future__ import annotations

from assistant.journal.schema import (
    EXPORTED_SESSION,
    EXPORTED_TURN,
    META_KEYS,
    SUMMARY_KEYS,
    with_defaults,
)

OLD = {"id": "0123abcd", "script": "evening", "started_at": "2025-01-01T21:00:00+00:00",
       "ended_at": None, "status": "completed"}  # fmt: skip


def test_a_record_from_an_older_version_reads_with_the_defaults():
    record = with_defaults(OLD)
    assert list(record) == list(META_KEYS)
    assert (record["safety"], record["concerns"], record["strong"], record["summary"]) == (
        [], [], False, None,
    )  # fmt: skip
    record["safety"].append("abuse")
    assert with_defaults(OLD)["safety"] == []  # each record its own list


def test_the_export_shows_the_contracts_fields_and_history_no_answers():
    assert EXPORTED_SESSION[-1] == "turns" and "owner" not in EXPORTED_SESSION
    assert "strong" not in EXPORTED_SESSION
    assert EXPORTED_TURN[:3] == ("state", "prompt", "answer") and "rating" in EXPORTED_TURN
    assert "answers" in SUMMARY_KEYS and "turns" not in SUMMARY_KEYS
    assert "owner" not in SUMMARY_KEYS
