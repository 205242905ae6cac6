"""SIGKILL while the journal is being written: every time, the journal still opens and holds
every turn that had been reported saved. Each kill lands just before a durable act (an fsync, a
rename, a delete) chosen by its number, which the writer reports on a pipe before it is killed
(tests/support/crash_writer.py): the same kills on a fast machine and a loaded one."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from assistant.journal import crypto
from assistant.journal.files import is_temporary
from assistant.journal.records import Turn
from assistant.journal.store import Journal

from paths import ROOT, SUPPORT

PASS = "crash test passphrase"
SESSION_KILLS = 200
KILLS_PER_JOURNAL = 25
LOCK_KILLS = 20
SESSIONS = 40
#: What a writer killed there leaves behind: a temporary file, written and not yet renamed.
MID_WRITE = ("writing", "renaming")


@pytest.fixture(autouse=True)
def no_power_cuts(monkeypatch):
    """As in the writer: the cheapest key derivation a lock file may ask for, and no fsync (what
    a killed process wrote stays in the page cache; only a power cut needs the sync). What is
    tested is where a kill lands, not the key's cost or the disk's."""
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)
    monkeypatch.setattr(os, "fsync", lambda fd: None)


class Killer:
    """The crash_writer child: forks a writer per request and kills it at a durable act."""

    def __init__(self) -> None:
        self._child = subprocess.Popen(
            [sys.executable, str(SUPPORT / "crash_writer.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def kill_at(self, mode: str, data: Path, log: Path, step: int, seed: int = 0) -> str:
        """Kill a writer on `data` just before its step-th durable act; returns what that act
        was."""
        self._child.stdin.write(f"{mode} {step} {seed} {data} {log}\n")
        self._child.stdin.flush()
        reply = self._child.stdout.readline().strip()
        assert reply.startswith("killed "), f"{reply}: {self._child.stderr.read() if reply else ''}"
        return reply.removeprefix("killed ")

    def run_script(self, data: Path, log: Path, step: int) -> str:
        self._child.stdin.write(f"script {step} {data} {log}\n")
        self._child.stdin.flush()
        reply = self._child.stdout.readline().strip()
        assert reply in ("died", "completed"), f"{reply}: {self._child.stderr.read()}"
        return reply

    def close(self) -> None:
        self._child.stdin.close()
        assert self._child.wait(timeout=30) == 0, self._child.stderr.read()


def reported(log: Path) -> list[list[str]]:
    """The log's lines: what the writers reported saved (a kill lands between them, never
    inside one)."""
    return [line.split() for line in log.read_text().splitlines()] if log.exists() else []


def pending_temporaries(data: Path) -> int:
    return sum(is_temporary(p.name) for p in data.rglob("*"))


def check_everything_reported_is_there(data: Path, reported: list[list[str]]) -> int:
    """Open the journal as the next command would; returns the number of turns checked."""
    journal = Journal(data, passphrase=lambda: PASS)
    stored = {s.id: s.to_dict() for s in journal.sessions()}
    saved: dict[str, list[str]] = defaultdict(list)
    for event, *args in reported:
        if event == "saved":
            saved[args[0]].append(args[1])
        elif event == "finished":
            assert stored[args[0]]["status"] == "completed"
    for sid, answers in saved.items():
        # A session killed before its first answer is not kept (nothing was said); one with an
        # answer reported saved must be there.
        assert sid in stored, f"session {sid} had answers reported saved but is missing"
        kept = [t["answer"].split()[0] for t in stored[sid]["turns"]]
        # every turn reported saved is there, in order; one more may have been saved just
        # before the kill, without being reported
        assert kept[: len(answers)] == answers and len(kept) - len(answers) <= 1
    assert all(s["status"] != "running" for s in stored.values())
    return sum(map(len, saved.values()))


def test_sigkill_while_saving_turns_loses_nothing_reported(tmp_path, capsys):
    killer = Killer()
    rng = random.Random(20261124)
    kinds: list[str] = []
    turns = 0
    try:
        for kill in range(SESSION_KILLS):
            # A fresh journal every KILLS_PER_JOURNAL kills: each check reads all of it.
            data = tmp_path / f"j{kill // KILLS_PER_JOURNAL}"
            log = data.with_suffix(".log")
            # a session start and up to 20 turns: three durable acts per file written
            kinds.append(killer.kill_at("session", data, log, rng.randint(1, 60), seed=kill))
            left = pending_temporaries(data) > 0
            assert left == (kinds[-1] in MID_WRITE), (kill, kinds[-1])
            checked = check_everything_reported_is_there(data, reported(log))
            if kill % KILLS_PER_JOURNAL == KILLS_PER_JOURNAL - 1:
                turns += checked
    finally:
        killer.close()
    mid_write = sum(kind in MID_WRITE for kind in kinds)
    with capsys.disabled():
        print(
            f"\n  SIGKILL while saving: {SESSION_KILLS} kills, {mid_write} of them mid-write "
            f"(a temporary file left behind); all {turns} turns reported saved were there"
        )
    assert {"writing", "renaming", "syncing-folder"} <= set(kinds)
    assert mid_write >= 5  # the kills did land inside writes, not only between them
    assert turns > 200


def durable_acts(action, monkeypatch) -> int:
    """How many fsyncs, renames and deletes `action()` makes (as the writer counts them)."""
    count = 0

    def counted(real):
        def call(*args, **kwargs):
            nonlocal count
            count += 1
            return real(*args, **kwargs)

        return call

    with monkeypatch.context() as patch:
        for name in ("fsync", "replace", "unlink"):
            patch.setattr(os, name, counted(getattr(os, name)))
        action()
    return count


def test_sigkill_while_locking_or_unlocking_loses_nothing(tmp_path, capsys, monkeypatch):
    data = tmp_path / "j"
    journal = Journal(data)
    reported = []
    for _ in range(SESSIONS):  # many files, so that most kills land amid sealing them
        sid = journal.start("evening")
        for turn in range(2):
            journal.add_turn(sid, Turn(state="s", prompt="p", answer=f"{sid}-{turn} words"))
            reported.append(["saved", sid, f"{sid}-{turn}"])
        journal.finish(sid, "completed")
    # How many durable acts one whole lock makes (the lock file, then every file, then the lock
    # file again), so that the kills land before, during and after the files.
    trial = tmp_path / "trial"
    shutil.copytree(data, trial)
    whole = durable_acts(lambda: Journal(trial).lock(PASS), monkeypatch)
    killer = Killer()
    rng = random.Random(11)
    halfway = 0
    try:
        for _ in range(LOCK_KILLS):
            killer.kill_at("lock", data, tmp_path / "log", rng.randint(round(0.35 * whole), whole))
            lock = data / "lock.json"
            halfway += lock.exists() and '"state"' in lock.read_text()
            assert check_everything_reported_is_there(data, reported) == 2 * SESSIONS
    finally:
        killer.close()
    with capsys.disabled():
        print(
            f"\n  SIGKILL while locking/unlocking: {LOCK_KILLS} kills, {halfway} of them halfway "
            f"through the files; all {2 * SESSIONS} turns there after each"
        )
    assert halfway >= 2


def test_dying_before_each_durable_step_leaves_a_consistent_journal(tmp_path, capsys):
    """Not random: the writer dies just before its 1st, 2nd, 3rd ... rename or delete, through
    every kind of write the journal makes (migration, start, turns, finish, audio, settings,
    forget, forget --all), until the script runs to its end."""
    legacy = {
        "id": "0123abcd",
        "script": "evening",
        "started_at": "2025-01-01T21:00:00+00:00",
        "ended_at": "2025-01-01T21:10:00+00:00",
        "status": "completed",
        "turns": [{"state": "today", "prompt": "p", "answer": "0123abcd-0", "at": "2025"}],
    }
    killer = Killer()
    step = 0
    try:
        while True:
            step += 1
            data, log = tmp_path / f"j{step}", tmp_path / f"log{step}"
            data.mkdir(mode=0o700)
            (data / "journal.json").write_text(json.dumps({"sessions": {"1": legacy}}))
            outcome = killer.run_script(data, log, step)
            events = [line.split() for line in log.read_text().splitlines()] if log.exists() else []
            check_consistent(data, events, legacy)
            if outcome == "completed":
                break
            assert outcome == "died"
    finally:
        killer.close()
    with capsys.disabled():
        print(f"\n  died before each of {step - 1} durable steps: consistent after every one")
    assert step > 25  # every write of the script was a step (26 here)


def check_consistent(data: Path, events: list[list[str]], legacy: dict) -> None:
    """`events` is what the writer reported before dying in the call after the last of them;
    the script's calls come in a fixed order, so their count says what must be there."""
    warnings: list[str] = []
    journal = Journal(data, warn=warnings.append)
    stored = {s.id: s.to_dict() for s in journal.sessions()}
    assert not warnings
    assert not [p for p in data.rglob("*") if is_temporary(p.name)]
    assert {p.stem for p in (data / "sessions").glob("*.json")} == set(stored)
    audio = {p.stem for p in (data / "audio").glob("*.wav")}
    assert audio <= set(stored), "a recording outlived its session"
    assert all(s["status"] != "running" for s in stored.values())

    # The k-th event (0 opened, 1 start, 2-4 saved, 5 finished, 6 audio, 7 settings, 8 start,
    # 9 saved, 10 forgot first, 11 finished, 12 forgot all) is reported once its call returned;
    # with `done` events reported, call number `done` was under way: it may or may not be there.
    done = len(events)
    first = events[1][1] if done > 1 else ""
    second = events[8][1] if done > 8 else ""
    if done < 12:  # the journal.json of before was moved over whole, even if cut short
        assert stored[legacy["id"]]["turns"] == legacy["turns"]
    if 2 <= done < 10:
        saved = [f"{first}-{t}" for t in range(min(done - 2, 3))]
        if done == 2 and first not in stored:  # died before its first answer: not kept
            return
        assert [t["answer"] for t in stored[first]["turns"]][: len(saved)] == saved
        assert (
            stored[first]["status"] in {"interrupted", "safety"}
            if done == 5
            else (stored[first]["status"] == ("safety" if done > 5 else "interrupted"))
        )
        if done != 6:
            assert (first in audio) == (done > 6)
    if done > 10:  # forgotten: gone from disk, recording too
        assert first not in stored and first not in audio
    if done > 7:
        assert journal.config() == {"emergency_number": "112"} and journal.flag("notice_shown")
    if 9 <= done < 12:
        # a session that died before its first answer is not kept
        answers = [t["answer"] for t in stored[second]["turns"]] if second in stored else []
        assert answers == [f"{second}-0"] or (done == 9 and answers == [])
    if done == 13:
        assert stored == {} and not list((data / "sessions").iterdir())
