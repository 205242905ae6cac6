"""Every open brings the folder to a consistent state, repaired from the session files alone:
temporary files of killed writes, a journal from before the index, an index that lost or kept
a session, a recording without its session, sessions whose process died."""

from __future__ import annotations

import json
from dataclasses import replace

from assistant.journal.folder import JournalFolder
from assistant.journal.records import Status, Turn
from assistant.journal.recovery import tidy
from assistant.journal.store import Journal

TURN = Turn(state="today", prompt="What happened?", answer="a late reply")


def index_ids(folder) -> list[str]:
    entries = json.loads((folder / "index.json").read_text())["sessions"].values()
    return [e["id"] for e in entries]


def finished_session(folder, answer: str = "a late reply") -> str:
    journal = Journal(folder)
    sid = journal.start("evening")
    journal.add_turn(sid, replace(TURN, answer=answer))
    journal.finish(sid, Status.COMPLETED)
    journal.close()
    return sid


def test_temporary_files_of_killed_writes_are_removed(tmp_path):
    sid = finished_session(tmp_path)
    left = [tmp_path / ".index.json.k1.tmp", tmp_path / "sessions" / f".{sid}.json.k2.tmp"]
    for path in left:
        path.write_text("half")
    folder = JournalFolder(tmp_path, warn=lambda message: None)
    with folder.writing():
        tidy(folder)
    assert not any(path.exists() for path in left)


def test_a_session_file_the_index_lost_is_listed_again(tmp_path):
    kept = finished_session(tmp_path, "first")
    lost = finished_session(tmp_path, "second")
    index = json.loads((tmp_path / "index.json").read_text())
    index["sessions"] = {k: v for k, v in index["sessions"].items() if v["id"] != lost}
    (tmp_path / "index.json").write_text(json.dumps(index))
    journal = Journal(tmp_path)
    assert sorted(index_ids(tmp_path)) == sorted([kept, lost])
    assert {s["id"]: s["answers"] for s in [s.to_dict() for s in journal.summaries()]} == {
        kept: 1,
        lost: 1,
    }


def test_an_index_entry_whose_file_is_gone_is_dropped_with_its_recording(tmp_path):
    kept = finished_session(tmp_path, "first")
    gone = finished_session(tmp_path, "second")
    journal = Journal(tmp_path)
    journal.save_audio(gone, b"RIFF fake audio")
    journal.close()
    (tmp_path / "sessions" / f"{gone}.json").unlink()  # forget() killed half way
    Journal(tmp_path).close()
    assert index_ids(tmp_path) == [kept]
    assert not (tmp_path / "audio" / f"{gone}.wav").exists()


def test_a_session_whose_process_died_is_interrupted_or_dropped_if_empty(tmp_path):
    journal = Journal(tmp_path)
    said = journal.start("evening")
    journal.add_turn(said, TURN)
    silent = journal.start("evening")
    journal.close()
    # As if their process had died: an owner that is no live process, in the index and files.
    dead = "-/999999999/-"
    for path in (tmp_path / "index.json", *(tmp_path / "sessions").iterdir()):
        data = json.loads(path.read_text())
        for record in (*data.get("sessions", {}).values(), *data.get("session", {}).values()):
            record["owner"] = dead
        path.write_text(json.dumps(data))
    journal = Journal(tmp_path)
    [session] = [s.to_dict() for s in journal.sessions()]
    assert session["id"] == said and session["status"] == "interrupted"
    assert session["ended_at"] == session["turns"][-1]["at"]
    assert not (tmp_path / "sessions" / f"{silent}.json").exists()


def test_a_journal_from_before_the_index_is_moved_to_one_file_per_session(tmp_path):
    legacy = {
        "id": "0123abcd", "script": "evening", "started_at": "2025-01-01T21:00:00+00:00",
        "ended_at": "2025-01-01T21:10:00+00:00", "status": "completed",
        "turns": [{**TURN.to_dict(), "at": "2025-01-01T21:01:00+00:00"}],
    }  # fmt: skip
    tmp_path.chmod(0o700)
    (tmp_path / "journal.json").write_text(json.dumps({"sessions": {"1": legacy}}))
    journal = Journal(tmp_path)
    assert not (tmp_path / "journal.json").exists()
    assert (tmp_path / "sessions" / "0123abcd.json").exists()
    [session] = [s.to_dict() for s in journal.sessions()]
    assert session["turns"][0]["answer"] == "a late reply" and session["safety"] == []


def test_repair_puts_a_damaged_index_aside_and_rebuilds_it(tmp_path):
    sid = finished_session(tmp_path)
    (tmp_path / "index.json").write_text('{"sessions": {"1": ')
    warned: list[str] = []
    journal = Journal(tmp_path, warn=warned.append, repair=True)
    assert [s["id"] for s in [s.to_dict() for s in journal.summaries()]] == [sid]
    [note] = warned
    assert "a copy is in" in note and note.endswith("rebuilding it from the session files")
    [copy] = (tmp_path / "backups").iterdir()
    assert copy.read_text() == '{"sessions": {"1": '
