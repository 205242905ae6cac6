"""History, show, export, forget and scripts through the real CLI on real journal files."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from conftest import ROOT, reflect


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
    assert "\na late reply\n" in text and "\nthat he would leave\n" in text


def test_forget_one_session_removes_it_from_disk(tmp_path):
    session(tmp_path, "first secret answer")
    session(tmp_path, "second answer")
    first = exported(tmp_path)[0]["id"]
    result = reflect("forget", first, "--yes", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [s["turns"][0]["answer"] for s in exported(tmp_path)] == ["second answer"]
    assert b"first secret answer" not in (tmp_path / "journal.json").read_bytes()


def test_forget_all_asks_first(tmp_path):
    session(tmp_path, "an answer")
    refused = reflect("forget", "--all", "--data-dir", str(tmp_path))  # stdin is not a terminal
    assert refused.returncode == 2
    assert "add --yes" in refused.stderr and len(exported(tmp_path)) == 1
    assert reflect("forget", "--all", "--yes", "--data-dir", str(tmp_path)).returncode == 0
    assert exported(tmp_path) == []
    assert b"an answer" not in (tmp_path / "journal.json").read_bytes()


def test_a_killed_session_keeps_its_answers_and_is_marked_interrupted(tmp_path):
    """SIGKILL mid-session (no cleanup runs): every answer reported saved is still there."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant",
            "evening",
            "--typed",
            "--silent",
            "--data-dir",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    child.stdin.write("a late reply\nthat he would leave\n")
    child.stdin.flush()
    deadline = time.monotonic() + 20
    while "you: that he would leave" not in child.stdout.readline():
        assert time.monotonic() < deadline
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    history = reflect("history", "--data-dir", str(tmp_path)).stdout
    assert "interrupted" in history and "2 answers" in history
    [saved] = exported(tmp_path)
    assert saved["status"] == "interrupted" and saved["ended_at"]
    assert [t["answer"] for t in saved["turns"]] == ["a late reply", "that he would leave"]
