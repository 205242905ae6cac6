"""History, show, export, forget and scripts through the real CLI on real journal files."""

from __future__ import annotations

import json
import signal
from datetime import datetime

from child import reflect, typed_session, typed_session_until_saved


def everything_on_disk(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def session(data, *answers: str, script: str = "evening") -> None:
    stdin = "".join(f"{a}\n" for a in answers) + "stop\n"
    result = reflect(script, "--typed", "--silent", "--data-dir", str(data), stdin=stdin)
    assert result.returncode == 0, result.stderr


def exported(data) -> list[dict]:
    return json.loads(reflect("export", "--data-dir", str(data)).stdout)["sessions"]


def test_scripts_lists_each_with_a_description():
    lines = reflect("scripts").stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["evening", "journal"]
    assert all(len(line.split()) > 4 for line in lines)


def test_markdown_export_reads_like_a_diary(tmp_path):
    session(tmp_path, "a late reply", "that he would leave")
    session(tmp_path, "a quiet day", script="journal")
    text = reflect("export", "--format", "markdown", "--data-dir", str(tmp_path)).stdout
    assert text.startswith("# Reflection journal\n")
    assert text.count("\n## ") == 2 and "· evening" in text and "· journal" in text
    assert (
        "**What happened today that stirred up a feeling of insecurity, even a small one?**" in text
    )
    assert "\na late reply\n" in text and "\nthat he would leave\n" in text  # kept as said
    day = datetime.now().astimezone()
    assert f"\n## {day:%A} {day.day} {day:%B %Y}, " in text  # a date a person reads
    assert text.count("*Stopped before the end. Session `") == 1  # the journal one completed


def test_forget_one_session_removes_it_from_disk(tmp_path):
    session(tmp_path, "first secret answer")
    session(tmp_path, "second answer")
    first = exported(tmp_path)[0]["id"]
    result = reflect("forget", first, "--yes", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [s["turns"][0]["answer"] for s in exported(tmp_path)] == ["second answer"]
    assert not (tmp_path / "sessions" / f"{first}.json").exists()
    assert b"first secret answer" not in everything_on_disk(tmp_path)
    assert first.encode() not in everything_on_disk(tmp_path)


def test_forget_all_asks_first(tmp_path):
    session(tmp_path, "an answer")
    refused = reflect("forget", "--all", "--data-dir", str(tmp_path))  # stdin is not a terminal
    assert refused.returncode == 2
    assert "add --yes" in refused.stderr and len(exported(tmp_path)) == 1
    assert reflect("forget", "--all", "--yes", "--data-dir", str(tmp_path)).returncode == 0
    assert exported(tmp_path) == []
    assert b"an answer" not in everything_on_disk(tmp_path)
    assert list((tmp_path / "sessions").iterdir()) == []


def test_a_killed_session_keeps_its_answers_and_is_marked_interrupted(tmp_path):
    """SIGKILL mid-session (no cleanup runs): every answer reported saved is still there."""
    child = typed_session_until_saved(tmp_path, ["a late reply", "that he would leave"])
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    history = reflect("history", "--data-dir", str(tmp_path)).stdout
    assert "interrupted" in history and "2 answers" in history
    [saved] = exported(tmp_path)
    assert saved["status"] == "interrupted" and saved["ended_at"]
    assert [t["answer"] for t in saved["turns"]] == ["a late reply", "that he would leave"]


def test_a_folder_holding_other_files_is_not_taken_over(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    (shared / "notes.txt").write_text("someone else's file")
    shared.chmod(0o755)
    for args in (["history"], ["evening", "--typed", "--silent"]):
        result = reflect(*args, "--data-dir", str(shared), stdin="hello\n")
        assert result.returncode == 4
        assert result.stderr.strip() == (
            f"reflect: {shared} already holds other files; give --data-dir a new or empty folder"
        )
    assert (shared.stat().st_mode & 0o777) == 0o755 and sorted(shared.iterdir()) == [
        shared / "notes.txt"
    ]


def test_reading_commands_do_not_create_the_folder(tmp_path):
    result = reflect("history", "--data-dir", str(tmp_path / "none"))
    assert result.returncode == 0 and "no sessions yet" in result.stderr
    assert not (tmp_path / "none").exists()


def test_json_that_is_not_a_journal_is_reported_and_left_untouched(tmp_path):
    for name in ("journal.json", "index.json"):  # the journal before the index, and the index
        journal = tmp_path / name
        for text in ('{"sessions": []}', '{"sessions": {"1": {"id": "x"}}}', "[1, 2]"):
            journal.write_text(text)
            result = reflect("history", "--data-dir", str(tmp_path))
            assert result.returncode == 4, result.stderr
            assert "is damaged" in result.stderr and "Traceback" not in result.stderr
            assert journal.read_text() == text
        journal.unlink()


def test_a_session_whose_pid_was_reused_is_recovered(tmp_path):
    from assistant.journal.owner import process_token
    from assistant.journal.store import Journal

    boot, _, _ = process_token(1).split("/")
    tmp_path.chmod(0o700)
    running = {
        "script": "evening",
        "started_at": "2026-01-01T21:00:00+00:00",
        "ended_at": None,
        "status": "running",
        "turns": [{"state": "today", "prompt": "p", "answer": "a", "at": "2026-01-01T21:01"}],
    }
    sessions = {
        # pid 1 exists, but it is not the process that started this session
        "1": {**running, "id": "aaaa0001", "owner": f"{boot}/1/999999999"},
        "2": {**running, "id": "aaaa0002", "owner": process_token()},  # this process: alive
    }
    (tmp_path / "journal.json").write_text(json.dumps({"sessions": sessions}))
    journal = Journal(tmp_path)
    statuses = {s.id: s.status for s in journal.sessions()}
    journal.close()
    assert statuses == {"aaaa0001": "interrupted", "aaaa0002": "running"}


def test_sessions_running_at_once_lose_nothing(tmp_path):
    """Five typed sessions write the same journal at the same time, 20 turns each ("go back"
    after each answer keeps them on the first question)."""
    answers = [f"answer number {i}" for i in range(20)]
    stdin = "".join(f"{a}\ngo back\n" for a in answers)
    children = [typed_session(tmp_path) for _ in range(5)]
    for child in children:
        child.stdin.write(stdin)
        child.stdin.close()
    for child in children:
        assert child.wait(timeout=120) == 0, child.stderr.read()
    sessions = exported(tmp_path)
    assert len(sessions) == 5
    for saved in sessions:
        assert [t["answer"] for t in saved["turns"]] == answers


def test_forget_leaves_a_session_that_is_still_running(tmp_path):
    session(tmp_path, "an old answer")
    child = typed_session_until_saved(tmp_path, ["a late reply"])
    running = next(s["id"] for s in exported(tmp_path) if s["status"] == "running")
    refused = reflect("forget", running, "--yes", "--data-dir", str(tmp_path))
    assert refused.returncode == 2 and "is still running" in refused.stderr
    result = reflect("forget", "--all", "--yes", "--data-dir", str(tmp_path))
    assert result.returncode == 0
    assert result.stderr.strip() == "deleted 1 session; kept 1 still running"
    child.stdin.write("that he would leave\nstop\n")
    child.stdin.close()
    assert child.wait(timeout=30) == 0, child.stderr.read()
    [kept] = exported(tmp_path)
    assert kept["status"] == "stopped"
    assert [t["answer"] for t in kept["turns"]] == ["a late reply", "that he would leave"]
