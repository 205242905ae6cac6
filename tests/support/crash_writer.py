"""A journal writer to be killed: run as a child of the crash tests.

Each line on stdin, "MODE STEP SEED FOLDER LOG", forks a writer on the journal in FOLDER (so
nothing is imported again) that stops just before its STEP-th durable act (an fsync, a rename or
a delete), says on a pipe what that act is, and waits there; the parent then kills it with
SIGKILL and answers "killed WHAT". So a kill lands at a point chosen by its number, not by how
fast the machine runs, and the test knows what was under way. A writer appends to LOG only
after the journal call returned, so every line in it is something reported saved.

MODE session: start sessions and save turns, as `reflect evening` does (SEED: their lengths).
MODE lock: lock and unlock the journal over and over (a key derivation, then every file).

WHAT is "writing" (a temporary file's data is written, not yet synced nor renamed),
"renaming" (a temporary file is about to replace its target), "syncing-folder" (a rename or a
new folder is done, not yet durable) or "deleting".

"script N FOLDER LOG" instead runs script() on FOLDER and dies (os._exit, as abrupt as
SIGKILL) just before its N-th rename or delete, each step that makes a change durable in turn;
it answers "died", or "completed" when the script ended before step N.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import sys
import traceback
from pathlib import Path

from assistant.journal import crypto
from assistant.journal.records import Turn
from assistant.journal.store import Journal

PASS = "crash test passphrase"
#: The cheapest key derivation a lock file may ask for: what is tested is where a kill lands,
#: not the key's cost (every open of a locked journal derives it again).
crypto.SCRYPT_N = 2**14


def log(fd: int, line: str) -> None:
    # One write to an O_APPEND file (a kill may still tear it at a page boundary of the file).
    os.write(fd, f"{line}\n".encode())


def write_sessions(data: Path, fd: int, rng: random.Random) -> None:
    journal = Journal(data, passphrase=lambda: PASS)
    while True:
        sid = journal.start("evening")
        log(fd, f"start {sid}")
        for turn in range(rng.randint(1, 20)):
            answer = f"{sid}-{turn} " + "and then I waited for his reply " * rng.randint(1, 40)
            journal.add_turn(sid, Turn(state="today", prompt="What happened?", answer=answer))
            log(fd, f"saved {sid} {sid}-{turn}")
        journal.finish(sid, "completed")
        log(fd, f"finished {sid}")


def lock_and_unlock(data: Path, fd: int) -> None:
    while True:
        journal = Journal(data, passphrase=lambda: PASS)
        if journal.codec.locked:
            journal.unlock()
            log(fd, "unlocked")
        else:
            journal.lock(PASS)
            log(fd, "locked")


def script(data: Path, fd: int) -> None:
    """Every kind of write the journal makes, reported as each call returns."""
    journal = Journal(data)  # migrates the journal.json the test put there
    log(fd, "opened")
    first = journal.start("evening")
    log(fd, f"start {first}")
    for turn in range(3):
        journal.add_turn(first, Turn(state="today", prompt="p", answer=f"{first}-{turn}"))
        log(fd, f"saved {first} {first}-{turn}")
    journal.finish(first, "completed", safety=["eating"])
    log(fd, f"finished {first}")
    journal.save_audio(first, b"RIFF fake audio")
    log(fd, f"audio {first}")
    journal.set_config({"emergency_number": "112"})
    journal.set_flag("notice_shown", True)
    log(fd, "settings")
    second = journal.start("journal")
    log(fd, f"start {second}")
    journal.add_turn(second, Turn(state="entry", prompt="p", answer=f"{second}-0"))
    log(fd, f"saved {second} {second}-0")
    journal.forget(first)
    log(fd, f"forgot {first}")
    journal.finish(second, "stopped")
    log(fd, f"finished {second}")
    journal.forget_all()
    log(fd, "forgot all")


def die_at(step: int) -> None:
    """Make the step-th rename or delete of this process its last act."""
    count = 0

    def counted(real):
        def call(*args, **kwargs):
            nonlocal count
            count += 1
            if count == step:
                os._exit(0)
            return real(*args, **kwargs)

        return call

    os.replace = counted(os.replace)
    os.unlink = counted(os.unlink)


def stop_at(step: int, tell: int) -> None:
    """Make the step-th durable act of this process tell what it is on `tell`, then wait for
    the kill (it never comes back)."""
    count = 0

    def counted(real, what):
        def call(*args, **kwargs):
            nonlocal count
            count += 1
            if count == step:
                os.write(tell, f"{what(*args)}\n".encode())
                while True:
                    signal.pause()
            return real(*args, **kwargs)

        return call

    def synced(fd: int) -> str:
        return "syncing-folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "writing"

    # Counted, not done: what a killed process wrote stays in the page cache either way (only a
    # power cut needs the sync, and this test does not cut the power), and it is slow.
    os.fsync = counted(lambda fd: None, synced)
    os.replace = counted(os.replace, lambda *args: "renaming")
    os.unlink = counted(os.unlink, lambda *args: "deleting")


def kill_at(data: Path, log_path: str, mode: str, step: int, seed: int) -> str:
    """Fork a writer, let it run to its step-th durable act, kill it there; what was under way."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            stop_at(step, write_end)
            if mode == "session":
                write_sessions(data, fd, random.Random(seed))
            else:
                lock_and_unlock(data, fd)
        except BaseException:
            traceback.print_exc()
        os._exit(1)  # only reached on an error: the test sees that no kill was needed
    os.close(write_end)
    with os.fdopen(read_end) as told:
        what = told.readline().strip()  # blocks until the writer is at its step (or has died)
        if what:
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return f"killed {what}" if killed and what else f"exited {status}"


def main() -> None:
    for line in sys.stdin:
        if line.startswith("script "):
            _, step, folder, log = line.split()
            print(run_script(Path(folder), log, int(step)), flush=True)
            continue
        mode, step, seed, folder, log = line.split()
        print(kill_at(Path(folder), log, mode, int(step), int(seed)), flush=True)


def run_script(data: Path, log_path: str, step: int) -> str:
    pid = os.fork()
    if pid == 0:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            die_at(step)
            script(data, fd)
            os._exit(3)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return {0: "died", 3: "completed"}.get(os.waitstatus_to_exitcode(status), f"failed {status}")


if __name__ == "__main__":
    main()
