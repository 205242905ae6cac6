"""The journal's TinyDB storage: written atomically, sealed under the journal's key and bound to
its place in the folder, and a damaged file refused before anything reads it or writes over it."""

from __future__ import annotations

import json

import pytest
from tinydb import TinyDB

from assistant.journal import crypto
from assistant.journal.crypto import PLAIN
from assistant.journal.files import is_temporary
from assistant.journal.storage import DamagedFile, SealedJSONStorage

TABLES = {"session": {"1": {"id": "0123abcd"}}, "turns": {"1": {"answer": "a late reply"}}}


@pytest.fixture(scope="module")
def key():
    """A journal key (the cheapest derivation a lock may ask for: the cost is not tested)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crypto, "SCRYPT_N", 2**14)
        return crypto.new_lock("a passphrase of mine")[1]


def test_what_is_written_is_read_back_and_no_temporary_is_left(tmp_path):
    storage = SealedJSONStorage(tmp_path / "s.json", "sessions/s.json")
    assert storage.read() is None  # no file yet: an empty journal, not damage
    storage.write(TABLES)
    assert storage.read() == TABLES
    assert json.loads((tmp_path / "s.json").read_text()) == TABLES  # plain JSON when unlocked
    assert not [p for p in tmp_path.iterdir() if is_temporary(p.name)]


def test_a_sealed_file_reads_only_under_its_key_and_its_own_name(tmp_path, key):
    path = tmp_path / "s.json"
    SealedJSONStorage(path, "sessions/s.json", key).write(TABLES)
    assert path.read_bytes().startswith(crypto.MAGIC) and b"late reply" not in path.read_bytes()
    assert SealedJSONStorage(path, "sessions/s.json", key).read() == TABLES
    with pytest.raises(DamagedFile):  # swapped in from another place in the folder
        SealedJSONStorage(path, "sessions/t.json", key).read()
    with pytest.raises(DamagedFile):  # no key
        SealedJSONStorage(path, "sessions/s.json", PLAIN).read()


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        (b"", "empty"),
        (b'{"session": {"1": {"id": "0123', "not JSON, perhaps cut short"),
        (b'["a", "list"]', "not a set of TinyDB tables"),
        (b'{"turns": {"1": "not a document"}}', "not a set of TinyDB tables"),
    ],
)
def test_damage_is_named_with_the_file(tmp_path, stored, why):
    path = tmp_path / "s.json"
    path.write_bytes(stored)
    with pytest.raises(DamagedFile) as caught:
        SealedJSONStorage(path, "s.json").read()
    assert caught.value.path == path and caught.value.why == why
    assert str(caught.value) == f"the journal file {path} is damaged ({why})"


def test_what_the_validator_finds_wrong_is_damage_and_never_written_over(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"turns": {}}')
    db = TinyDB(path, storage=SealedJSONStorage, name="s.json",
                validate=lambda data: "" if "session" in data else "no session record")  # fmt: skip
    with pytest.raises(DamagedFile, match=r"\(no session record\)"):
        db.table("turns").insert({"answer": "more"})  # TinyDB reads before it writes
    assert path.read_text() == '{"turns": {}}'
