"""The journal folder: where each file lives, one writer at a time, the key in hand checked
against the lock on disk, and a damaged file copied to backups/ before it is reported."""

from __future__ import annotations

import fcntl
import os

import pytest

from assistant.base.errors import JournalError
from assistant.journal import crypto
from assistant.journal.folder import (
    BACKUPS,
    REPAIR_HINT,
    JournalFolder,
    is_session_id,
    session_name,
)
from assistant.journal.storage import DamagedFile


@pytest.fixture
def folder(tmp_path) -> JournalFolder:
    path = tmp_path / "journal"
    path.mkdir(mode=0o700)
    return JournalFolder(path, warn=lambda message: None)


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)  # the key's cost is not what is tested
    return crypto.new_lock("a passphrase of mine")


def test_a_session_id_is_checked_before_it_becomes_a_path():
    assert is_session_id("0123abcd") and session_name("0123abcd") == "sessions/0123abcd.json"
    for bad in ("../../etc", "0123ABCD", "0123abc", "0123abcd.json"):
        assert not is_session_id(bad)
        with pytest.raises(JournalError, match="is not a session id"):
            session_name(bad)


def test_the_files_are_every_file_but_the_lock_and_temporaries(folder):
    (folder.dir / "sessions").mkdir()
    for name in ("index.json", "sessions/0123abcd.json", "lock.json", ".index.json.x1.tmp"):
        (folder.dir / name).write_text("{}")
    assert [folder.name_of(p) for p in folder.files()] == ["index.json", "sessions/0123abcd.json"]
    assert folder.session_ids() == {"0123abcd"}


def test_writers_take_turns_on_the_folder(folder):
    def taken() -> bool:
        fd = os.open(folder.dir, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)

    with folder.writing():
        assert taken()  # another writer (another process) would wait here
    assert not taken()


def test_a_key_that_no_longer_matches_the_lock_on_disk_changes_nothing(folder, key):
    record, codec = key
    (folder.dir / crypto.LOCK_FILE).write_bytes(crypto.dump_lock(record))  # locked meanwhile
    meanwhile = "locked or unlocked by another command meanwhile"
    with pytest.raises(JournalError, match=meanwhile), folder.writing():
        pytest.fail("went on with the old key")
    folder.codec = codec
    with folder.writing():
        pass


def test_a_damaged_file_is_copied_once_and_reported_with_where_the_copy_is(folder):
    path = folder.dir / "index.json"
    path.write_bytes(b'{"sessions": {"1": ')
    error = folder.damaged(DamagedFile(path, "not JSON, perhaps cut short"))
    [copy] = (folder.dir / BACKUPS).iterdir()
    assert copy.name.startswith("index.json.") and copy.name.endswith(".damaged")
    assert copy.read_bytes() == path.read_bytes()
    assert str(error) == (
        f"the journal file {path} is damaged (not JSON, perhaps cut short); it was left "
        f"untouched; a copy is in {copy}"
    )
    folder.damaged(DamagedFile(path, "again"))  # the same damage: the same copy
    assert len(list((folder.dir / BACKUPS).iterdir())) == 1


def test_a_damaged_index_met_while_writing_says_how_to_rebuild_it(folder):
    (folder.dir / "index.json").write_bytes(b"")
    with pytest.raises(JournalError) as caught, folder.writing():
        folder.index.all()
    assert str(caught.value).endswith(REPAIR_HINT)


def test_in_a_locked_journal_the_copy_is_sealed_under_its_own_name(folder, key):
    _, codec = key
    folder.codec = codec
    path = folder.dir / "settings.json"
    path.write_bytes(codec.encode(b'{"flags": {"1": ', "settings.json"))  # sealed, cut short
    folder.damaged(DamagedFile(path, "not JSON, perhaps cut short"))
    [copy] = (folder.dir / BACKUPS).iterdir()
    assert crypto.is_sealed(copy.read_bytes())
    assert codec.decode(copy.read_bytes(), folder.name_of(copy)) == b'{"flags": {"1": '
