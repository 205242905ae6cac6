"""The journal's files on disk: one file per session, an index derived from them, recovery from
every half-finished state a crash can leave, and damaged files reported, copied, never written."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.base.errors import JournalError
from assistant.journal.records import Status, Turn
from assistant.journal.store import Journal

TURN = Turn(state="today", prompt="What happened today?", answer="a late reply")


def journal_with(folder: Path, *answers: str) -> tuple[Journal, str]:
    journal = Journal(folder)
    sid = journal.start("evening")
    for answer in answers:
        journal.add_turn(sid, replace(TURN, answer=answer))
    journal.finish(sid, Status.COMPLETED)
    return journal, sid


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_saving_a_turn_rewrites_only_that_sessions_file(tmp_path):
    journal, old = journal_with(tmp_path, "an old answer")
    sid = journal.start("evening")
    before = files(tmp_path)
    journal.add_turn(sid, TURN)
    after = files(tmp_path)
    assert {name for name in after if after[name] != before.get(name)} == {f"sessions/{sid}.json"}
    assert json.loads(after[f"sessions/{old}.json"]) == json.loads(before[f"sessions/{old}.json"])


def test_history_lists_a_running_session_with_its_answers_so_far(tmp_path):
    journal = Journal(tmp_path)
    sid = journal.start("journal")
    journal.add_turn(sid, TURN)
    journal.add_turn(sid, TURN)
    [summary] = Journal(tmp_path).summaries()
    assert (summary.id, summary.status, summary.answers) == (sid, Status.RUNNING, 2)


def test_a_journal_from_before_the_index_is_moved_over_whole(tmp_path):
    tmp_path.chmod(0o700)
    turns = [{**TURN.to_dict(), "at": "2026-01-01T21:01:00+00:00", "start_s": 1.5, "end_s": 4.0}]
    legacy = {
        "id": "0123abcd",
        "script": "evening",
        "started_at": "2026-01-01T21:00:00+00:00",
        "ended_at": "2026-01-01T21:10:00+00:00",
        "status": "completed",
        "owner": None,
        "turns": turns,
    }
    (tmp_path / "journal.json").write_text(json.dumps({"sessions": {"1": legacy}}))
    [session] = Journal(tmp_path).sessions()
    defaults = {"safety": [], "concerns": [], "strong": False, "summary": None}
    assert session.to_dict() == {**legacy, **defaults}
    assert sorted(files(tmp_path)) == ["index.json", "sessions/0123abcd.json"]


def test_a_start_killed_between_its_two_writes_is_found_again(tmp_path):
    _, sid = journal_with(tmp_path, "kept")
    (tmp_path / "index.json").unlink()  # as if killed after the session file, before the index
    (tmp_path / "sessions" / ".0a0a0a0a.json.x1y2.tmp").write_bytes(b'{"half": ')  # a torn write
    assert [s.id for s in Journal(tmp_path).summaries()] == [sid]
    assert sorted(files(tmp_path)) == ["index.json", f"sessions/{sid}.json"]


def test_a_forget_killed_between_its_two_writes_is_finished(tmp_path):
    _, sid = journal_with(tmp_path, "to be forgotten")
    (tmp_path / "sessions" / f"{sid}.json").unlink()  # killed after the file, before the index
    assert Journal(tmp_path).summaries() == []


@pytest.mark.parametrize(
    "damage",
    [lambda raw: raw[: len(raw) // 2], lambda raw: b"not json at all", lambda raw: b""],
    ids=["truncated", "not-json", "empty"],
)
def test_a_damaged_session_file_is_copied_reported_and_never_written(tmp_path, damage):
    journal, bad = journal_with(tmp_path, "the damaged one")
    _, good = journal_with(tmp_path, "the good one")
    path = tmp_path / "sessions" / f"{bad}.json"
    path.write_bytes(damage(path.read_bytes()))
    damaged = path.read_bytes()
    warnings: list[str] = []
    journal = Journal(tmp_path, warn=warnings.append)
    assert [s.id for s in journal.sessions()] == [good]  # the rest is still readable
    [warning] = warnings
    assert f"the journal file {path} is damaged" in warning and "left untouched" in warning
    copy = Path(warning.split("a copy is in ")[1].split(";")[0])
    assert copy.parent == tmp_path / "backups" and copy.read_bytes() == damaged
    with pytest.raises(JournalError, match="is damaged"):
        journal.find(bad)
    journal.add_turn(journal.start("evening"), TURN)  # new sessions go on being saved
    assert path.read_bytes() == damaged
    assert len(list((tmp_path / "backups").iterdir())) == 1  # seen again: the same copy


def test_json_that_is_not_a_session_is_damage(tmp_path):
    _, sid = journal_with(tmp_path, "x")
    path = tmp_path / "sessions" / f"{sid}.json"
    for text in ('{"session": {}}', '{"session": {"1": {"id": 3}}}', '{"turns": []}'):
        path.write_text(text)
        with pytest.raises(JournalError, match="is damaged"):
            Journal(tmp_path).find(sid)
        assert path.read_text() == text


def test_a_sealed_file_that_does_not_decrypt_is_damage_not_a_wrong_passphrase(tmp_path):
    journal, sid = journal_with(tmp_path, "sealed answer")
    journal.lock("the right passphrase")
    path = tmp_path / "sessions" / f"{sid}.json"
    sealed = bytearray(path.read_bytes())
    sealed[-5] ^= 0x01  # one flipped bit in the ciphertext
    path.write_bytes(bytes(sealed))
    journal = Journal(tmp_path, passphrase=lambda: "the right passphrase")
    with pytest.raises(JournalError, match=r"is damaged \(it does not decrypt: damaged\)") as err:
        journal.find(sid)
    copy = Path(str(err.value).split("a copy is in ")[1])
    assert copy.read_bytes() == path.read_bytes() == bytes(sealed)


def test_a_damaged_lock_file_is_reported_and_kept(tmp_path):
    journal, _ = journal_with(tmp_path, "x")
    journal.lock("the right passphrase")
    lock = tmp_path / "lock.json"
    lock.write_text('{"version": 1, "kdf": ')
    with pytest.raises(JournalError, match=r"lock\.json is damaged") as err:
        Journal(tmp_path, passphrase=lambda: "the right passphrase")
    assert "a copy is in" in str(err.value) and lock.read_text() == '{"version": 1, "kdf": '


def test_a_session_that_ends_with_no_answer_is_not_kept(tmp_path):
    journal, kept = journal_with(tmp_path, "a late reply")
    empty = journal.start("journal")
    assert journal.save_audio(empty, b"RIFF") is not None  # --keep-audio, Ctrl-C before a word
    journal.finish(empty, Status.INTERRUPTED)
    assert [s.id for s in journal.summaries()] == [kept]
    assert {p.stem for p in (tmp_path / "sessions").iterdir()} == {kept}
    assert not list((tmp_path / "audio").iterdir())
    assert journal.save_audio(empty, b"RIFF") is None  # nothing to keep it beside


def test_a_session_that_died_before_its_first_answer_is_dropped_on_the_next_open(tmp_path):
    from assistant.journal.session_file import meta, update_meta

    journal, _ = journal_with(tmp_path, "kept")
    dead = journal.start("evening")
    with_turn = journal.start("evening")
    journal.add_turn(with_turn, replace(TURN, answer="said before the crash"))
    for sid in (dead, with_turn):  # as if their process had died
        update_meta(journal._folder, sid, replace(meta(journal._folder, sid), owner="0/1/1"))
        journal._index.update({"owner": "0/1/1"}, lambda doc, sid=sid: doc["id"] == sid)
    statuses = {s.id: s.status for s in Journal(tmp_path).summaries()}
    assert dead not in statuses and statuses[with_turn] is Status.INTERRUPTED
    assert not (tmp_path / "sessions" / f"{dead}.json").exists()


def test_the_second_pass_refines_a_turn_but_never_a_correction(tmp_path):
    journal = Journal(tmp_path)
    sid = journal.start("evening")
    live = "he went out with good friends"
    plain = journal.add_turn(sid, replace(TURN, answer=live))
    corrected = journal.add_turn(sid, replace(TURN, answer="seven", heard="heaven", rating=7))
    journal.refine_turn(sid, plain, "He went out with his friends.", live)
    journal.refine_turn(sid, corrected, "Heaven.", "heaven")
    journal.finish(sid, Status.COMPLETED)
    first, second = Journal(tmp_path).find(sid).turns
    assert (first.answer, first.heard_live) == ("He went out with his friends.", live)
    assert (second.answer, second.heard, second.heard_live) == ("seven", "heaven", "heaven")
    # An edit afterwards keeps the accurate text as what was heard, the live one beside it.
    journal.correct(sid, {1: "He went out with his friends from work."})
    first = Journal(tmp_path).find(sid).turns[0]
    assert (first.heard, first.heard_live) == ("He went out with his friends.", live)
