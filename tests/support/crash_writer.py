"""A journal writer to be killed: run as a child of the crash tests.

Each line on stdin, "MODE DELAY_S", forks a writer (so nothing is imported again), lets it work
for DELAY_S, kills it with SIGKILL and answers "killed". A writer appends to the log only after
the journal call returned, so every line in the log is something reported saved.

MODE session: start sessions and save turns, as `reflect evening` does.
MODE lock: lock and unlock the journal over and over (a key derivation, then every file).

"script N FOLDER LOG" instead runs script() on FOLDER and dies (os._exit, as abrupt as
SIGKILL) just before its N-th rename or delete, each step that makes a change durable in turn;
it answers "died", or "completed" when the script ended before step N.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
import traceback
from pathlib import Path

from assistant.journal.records import Turn
from assistant.journal.store import Journal

PASS = "crash test passphrase"


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


def main() -> None:
    data, log_path = Path(sys.argv[1]), sys.argv[2]
    for line in sys.stdin:
        if line.startswith("script "):
            _, step, folder, log = line.split()
            print(run_script(Path(folder), log, int(step)), flush=True)
            continue
        mode, delay = line.split()
        pid = os.fork()
        if pid == 0:
            fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            rng = random.Random(os.getpid())
            try:
                if mode == "session":
                    write_sessions(data, fd, rng)
                else:
                    lock_and_unlock(data, fd)
            except BaseException:
                traceback.print_exc()
            os._exit(1)  # only reached on an error: the test sees that no kill was needed
        time.sleep(float(delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print("killed" if killed else f"exited {status}", flush=True)


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
