"""The typed vocabulary the session, its commands and the safety flow pass: a session's Status
is the very word the journal stores; Next and Choice are their own kinds, never equal to a
Status or to a bare string."""

from __future__ import annotations

import json

from assistant.dialog.outcomes import Choice, Next, Status


def test_a_status_is_the_word_stored_in_the_journal():
    words = ["completed", "stopped", "interrupted", "safety", "running"]
    assert [s.value for s in Status] == words
    assert [Status(word) for word in words] == list(Status)
    assert Status.SAFETY == "safety" and json.dumps({"status": Status.STOPPED}) == (
        '{"status": "stopped"}'
    )


def test_what_goes_on_is_not_mistaken_for_how_a_session_ended():
    assert Next.ASK != "ask" and Choice.STOP != "stop" and Choice.STOP != Status.STOPPED
    assert {c.value for c in Choice} == {"continue", "pause", "stop", "interrupted"}
    assert {n.value for n in Next} == {"ask", "listen"}
