"""Locking and unlocking the folder: every file sealed or opened one at a time, the lock file
first carrying what is under way, so a kill half way is finished by the next open; never while
a session is running."""

from __future__ import annotations

import pytest

from assistant.base.errors import BadInputError, PassphraseError
from assistant.journal import crypto
from assistant.journal.encryption import open_lock
from assistant.journal.folder import JournalFolder
from assistant.journal.records import Status, Turn
from assistant.journal.store import Journal

PASS = "a passphrase of mine"
TURN = Turn(state="today", prompt="What happened?", answer="a late reply")


@pytest.fixture(autouse=True)
def cheap_key(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)  # the key's cost is not what is tested


def journal_of(folder, sessions: int = 3) -> Journal:
    journal = Journal(folder)
    for _ in range(sessions):
        sid = journal.start("evening")
        journal.add_turn(sid, TURN)
        journal.finish(sid, Status.COMPLETED)
    journal.set_flag("notice_shown", True)
    return journal


def sealed(folder) -> dict[str, bool]:
    return {
        p.relative_to(folder).as_posix(): crypto.is_sealed(p.read_bytes())
        for p in sorted(folder.rglob("*.json"))
        if p.name != crypto.LOCK_FILE
    }


def test_lock_seals_every_file_and_unlock_opens_them_again(tmp_path):
    journal = journal_of(tmp_path)
    assert journal.lock(PASS) == 5  # three sessions, the index, the settings
    assert all(sealed(tmp_path).values()) and len(sealed(tmp_path)) == 5
    reopened = Journal(tmp_path, passphrase=lambda: PASS)
    assert len(reopened.sessions()) == 3 and reopened.flag("notice_shown")
    assert reopened.unlock() == 5
    assert not any(sealed(tmp_path).values()) and not (tmp_path / crypto.LOCK_FILE).exists()


def test_a_locked_journal_opens_only_with_its_passphrase(tmp_path):
    journal_of(tmp_path).lock(PASS)
    with pytest.raises(PassphraseError, match="the journal is locked; give its passphrase"):
        Journal(tmp_path)
    with pytest.raises(PassphraseError, match="wrong passphrase; nothing was read or changed"):
        Journal(tmp_path, passphrase=lambda: "not the passphrase")


def test_a_mistyped_passphrase_is_asked_again_as_often_as_allowed(tmp_path):
    journal_of(tmp_path).lock(PASS)
    typed = ["mistyped once", PASS]

    def at_a_terminal() -> str:
        return typed.pop(0)

    at_a_terminal.tries = 3  # type: ignore[attr-defined]
    assert len(Journal(tmp_path, passphrase=at_a_terminal).sessions()) == 3 and typed == []


def test_a_lock_cut_short_is_finished_by_the_next_open(tmp_path):
    journal_of(tmp_path).lock(PASS)
    # As a kill half way leaves it: the lock file says "locking", some files still plain.
    record = crypto.read_lock(tmp_path / crypto.LOCK_FILE)
    (tmp_path / crypto.LOCK_FILE).write_bytes(crypto.dump_lock({**record, "state": "locking"}))
    codec = crypto.open_lock(record, PASS)
    index = tmp_path / "index.json"
    index.write_bytes(codec.decode(index.read_bytes(), "index.json"))
    assert not sealed(tmp_path)["index.json"]
    folder = JournalFolder(tmp_path, warn=lambda message: None)
    assert open_lock(folder, lambda: PASS) == "locking"  # what an open does first
    assert all(sealed(tmp_path).values()) and folder.codec.locked
    assert "state" not in crypto.read_lock(tmp_path / crypto.LOCK_FILE)
    assert len(Journal(tmp_path, passphrase=lambda: PASS).sessions()) == 3


def test_lock_and_unlock_say_when_there_is_nothing_to_do(tmp_path):
    journal = journal_of(tmp_path, sessions=1)
    with pytest.raises(BadInputError, match="the journal is not locked"):
        journal.unlock()
    journal.lock(PASS)
    with pytest.raises(BadInputError, match="already locked; `reflect unlock` opens it"):
        journal.lock(PASS)


def test_not_while_a_session_is_running(tmp_path):
    journal = journal_of(tmp_path, sessions=1)
    running = journal.start("evening")
    journal.add_turn(running, TURN)
    with pytest.raises(BadInputError, match=f"session {running} is still running; end it first"):
        journal.lock(PASS)
    assert not any(sealed(tmp_path).values())
