"""Privacy of the journal: lock / unlock with a passphrase, nothing readable on disk while
locked (temporary files included), no network socket in a whole session, audio kept only when
asked. Through the real CLI in child processes, on real files."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from assistant.audio.wav import parse_wav, read_wav
from assistant.journal import files as journal_files
from assistant.journal.crypto import is_sealed
from assistant.journal.records import Turn
from assistant.journal.store import Journal

from audio_helpers import conversation, write
from child import reflect
from conftest import private_modes
from paths import ROOT

SECRET = "I am scared he will find my diary"
PASS = "a long night passphrase"


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k != "REFLECT_PASSPHRASE"}
    return {**out, **extra}


def typed(data: Path, *answers: str, **extra: str):
    stdin = "".join(f"{a}\n" for a in answers) + "stop\n"
    return reflect(
        "evening", "--typed", "--silent", "--data-dir", str(data), stdin=stdin, env=env(**extra)
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode)
        for p in folder.rglob("*")
        if p.is_file()
    }


def on_disk(folder: Path) -> bytes:
    return b"".join(data for data, _, _ in snapshot(folder).values())


def test_lock_then_every_command_needs_the_passphrase_and_unlock_reverses_it(tmp_path):
    data = tmp_path / "j"
    assert typed(data, SECRET).returncode == 0
    locked = reflect("lock", "--data-dir", str(data), env=env(REFLECT_PASSPHRASE=PASS))
    assert locked.returncode == 0, locked.stderr
    sealed = [p for p in data.rglob("*") if p.is_file() and p.name != "lock.json"]
    assert f"locked: {len(sealed)} files encrypted" in locked.stderr
    assert SECRET.encode() not in on_disk(data) and b"evening" not in on_disk(data)
    assert all(is_sealed(p.read_bytes()) for p in data.rglob("*.json") if p.name != "lock.json")

    for args in (["history"], ["export"], ["evening", "--typed", "--silent"], ["unlock"]):
        refused = reflect(*args, "--data-dir", str(data), env=env(), stdin="hello\n")
        assert refused.returncode == 5, refused.stderr
        assert refused.stderr == (
            "reflect: the journal is locked; give its passphrase in REFLECT_PASSPHRASE (there is "
            "no terminal to ask on)\n"
        )

    history = reflect("history", "--data-dir", str(data), env=env(REFLECT_PASSPHRASE=PASS))
    assert history.returncode == 0 and history.stdout.rstrip().endswith(" 1 answer")
    assert typed(data, "a second night", REFLECT_PASSPHRASE=PASS).returncode == 0
    again = reflect("lock", "--data-dir", str(data), env=env(REFLECT_PASSPHRASE=PASS))
    assert again.returncode == 2 and "already locked" in again.stderr

    unlocked = reflect("unlock", "--data-dir", str(data), env=env(REFLECT_PASSPHRASE=PASS))
    assert unlocked.returncode == 0, unlocked.stderr
    assert not (data / "lock.json").exists() and SECRET.encode() in on_disk(data)
    exported = json.loads(reflect("export", "--data-dir", str(data), env=env()).stdout)
    answers = [t["answer"] for s in exported["sessions"] for t in s["turns"]]
    assert answers == [SECRET, "a second night"]


def test_a_wrong_passphrase_is_one_clear_line_and_changes_nothing(tmp_path):
    data = tmp_path / "j"
    assert typed(data, SECRET).returncode == 0
    assert (
        reflect("lock", "--data-dir", str(data), env=env(REFLECT_PASSPHRASE=PASS)).returncode == 0
    )
    before = snapshot(data)
    for args in (
        ["history"],
        ["evening", "--typed", "--silent"],
        ["unlock"],
        ["forget", "--all", "--yes"],
    ):
        result = reflect(
            *args, "--data-dir", str(data), env=env(REFLECT_PASSPHRASE="not the one!"), stdin="x\n"
        )
        assert result.returncode == 5
        assert result.stderr == "reflect: wrong passphrase; nothing was read or changed\n"
        assert snapshot(data) == before


def test_a_short_passphrase_is_refused_before_anything_changes(tmp_path):
    data = tmp_path / "j"
    assert typed(data, SECRET).returncode == 0
    before = snapshot(data)
    result = reflect("lock", "--data-dir", str(data), env=env(REFLECT_PASSPHRASE="short"))
    assert result.returncode == 5
    assert result.stderr == "reflect: the passphrase is too short; use at least 8 characters\n"
    assert snapshot(data) == before


def test_a_locked_session_writes_nothing_readable_even_in_temporary_files(tmp_path, monkeypatch):
    """Every file the journal writes goes through a temporary file and a rename; look at each
    temporary file at the moment it is renamed."""
    seen: list[bytes] = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(Path(src).read_bytes())
        real_replace(src, dst)

    monkeypatch.setattr(journal_files.os, "replace", spy)
    journal = Journal(tmp_path)
    journal.lock(PASS)
    seen.clear()
    journal = Journal(tmp_path, passphrase=lambda: PASS)
    sid = journal.start("evening")
    journal.add_turn(sid, Turn(state="today", prompt="What happened?", answer=SECRET))
    journal.set_config({"crisis_line": "call my sister"})
    journal.finish(sid, "stopped", safety=["abuse"])
    journal.save_audio(sid, b"RIFF....WAVEfmt fake audio")
    assert len(seen) == 7  # start: session + index; turn; config; finish: session + index; audio
    assert all(is_sealed(data) for data in seen)
    assert not any(word in data for data in seen for word in (SECRET.encode(), b"sister", b"RIFF"))
    assert SECRET.encode() not in on_disk(tmp_path)


def test_private_modes_hold_for_every_file_under_a_permissive_umask(tmp_path):
    data = tmp_path / "j"
    wav = write(tmp_path / "a.wav", conversation([0.5, "a late reply", 4.0, "stop", 2.0]))
    child_env = env(REFLECT_PASSPHRASE=PASS)
    umask = (
        "import os, sys; os.umask(0); from assistant.cli.main import main; "
        "sys.exit(main(sys.argv[1:]))"
    )

    def run(*args: str) -> None:
        import subprocess

        done = subprocess.run(
            [sys.executable, "-c", umask, *args],
            env=child_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

    run("evening", "--audio-in", str(wav), "--silent", "--keep-audio", "--data-dir", str(data))
    run("lock", "--data-dir", str(data))
    run("evening", "--audio-in", str(wav), "--silent", "--keep-audio", "--data-dir", str(data))
    # the folder, sessions/, audio/; index, settings, lock file, 2 sessions, 2 recordings
    assert private_modes(data) == (3, 7)


def test_audio_is_kept_only_when_asked_and_forget_removes_it(tmp_path, model):
    samples = conversation([0.5, "my partner came home late", 4.0, "stop", 2.0])
    wav = write(tmp_path / "a.wav", samples)
    data = tmp_path / "j"
    args = ["evening", "--audio-in", str(wav), "--silent", "--data-dir", str(data)]
    assert reflect(*args, env=env()).returncode == 0
    assert not (data / "audio").exists() and b"RIFF" not in on_disk(data)

    kept = reflect(*args, "--keep-audio", env=env())
    assert kept.returncode == 0, kept.stderr
    [audio] = (data / "audio").iterdir()
    recording = parse_wav(audio.read_bytes())
    # exactly what was heard, up to the end of "stop" (the rest of the file was never read)
    assert 7.0 < recording.duration_s <= len(samples) / 16_000
    assert (recording.samples == samples[: len(recording.samples)]).all()
    assert "audio kept in" in kept.stderr
    sid = audio.stem
    assert reflect("forget", sid, "--yes", "--data-dir", str(data), env=env()).returncode == 0
    assert not audio.exists() and b"RIFF" not in on_disk(data)

    refused = reflect("evening", "--typed", "--keep-audio", "--data-dir", str(data), env=env())
    assert refused.returncode == 2 and "with --typed there are none" in refused.stderr


GUARD = """
import os, sys
def refuse(event, args):
    if event.split(".")[0] == "socket":
        os.write(2, f"NETWORK: {event} {args!r}\\n".encode())
        os._exit(86)  # loud, and not catchable by a fallback further up
sys.addaudithook(refuse)
if sys.argv[1] == "--probe":
    import socket
    socket.socket()
from assistant.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_whole_session_opens_no_network_socket(tmp_path, model):
    """Python's audit hooks see every socket created, connected or resolved; the guard ends the
    process at the first. The probe shows the guard does fire."""
    import subprocess

    def guarded(*args: str):
        return subprocess.run(
            [sys.executable, "-c", GUARD, *args],
            env=env(REFLECT_PASSPHRASE=PASS),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    probe = guarded("--probe")
    assert probe.returncode == 86 and "NETWORK: socket.__new__" in probe.stderr
    wav = write(
        tmp_path / "a.wav",
        conversation([0.5, "he did not call me back", 4.0, "being left alone", 4.0, "stop", 2.0]),
    )
    data = tmp_path / "j"
    out = tmp_path / "said.wav"
    for args in (
        ["evening", "--audio-in", str(wav), "--audio-out", str(out), "--data-dir", str(data)],
        ["lock", "--data-dir", str(data)],
        ["history", "--data-dir", str(data)],
        ["export", "--format", "markdown", "--data-dir", str(data)],
        ["unlock", "--data-dir", str(data)],
    ):
        result = guarded(*args)
        assert result.returncode == 0, result.stderr
        assert "NETWORK" not in result.stderr
    assert read_wav(out).duration_s > 5  # the prompts were really synthesised


def on_a_terminal(args: list[str], replies: list[str]) -> tuple[int, str]:
    """Run reflect with a pseudo-terminal as its controlling terminal (where getpass asks),
    answering each prompt as it appears; returns the exit code and everything the terminal
    showed."""
    import fcntl
    import select
    import subprocess
    import termios

    main, terminal = os.openpty()

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(
        [sys.executable, "-m", "assistant", *args],
        stdin=terminal, stdout=terminal, stderr=terminal, cwd=ROOT, env=env(),
        preexec_fn=controlling_terminal,
    )  # fmt: skip
    os.close(terminal)
    shown, pending = b"", list(replies)
    try:
        while True:
            ready, _, _ = select.select([main], [], [], 30)
            assert ready, f"no output for 30 s: {shown!r}"
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            if pending and shown.endswith(b": "):  # a prompt waiting for its answer
                os.write(main, f"{pending.pop(0)}\n".encode())
    finally:
        os.close(main)
    return child.wait(timeout=30), shown.decode(errors="replace")


def test_the_passphrase_is_asked_on_the_terminal_twice_and_never_shown(tmp_path):
    data = tmp_path / "j"
    assert typed(data, SECRET).returncode == 0
    code, shown = on_a_terminal(["lock", "--data-dir", str(data)], [PASS, "a different one"] * 3)
    assert code == 5 and shown.count("New passphrase") == 3  # three tries, then it gives up
    assert "the two passphrases differ; try again (1 more try)" in shown
    assert "the two passphrases differ; nothing was changed" in shown
    assert not (data / "lock.json").exists()
    code, shown = on_a_terminal(["lock", "--data-dir", str(data)], ["short", PASS, PASS])
    assert "the passphrase is too short; use at least 8 characters; try again" in shown
    assert code == 0 and "locked:" in shown and PASS not in shown
    code, shown = on_a_terminal(["history", "--data-dir", str(data)], ["not it at all", PASS])
    assert "that passphrase does not open the journal; try again (2 more tries)" in shown
    assert code == 0 and "Journal passphrase:" in shown and " 1 answer\r\n" in shown
    assert PASS not in shown
    code, shown = on_a_terminal(["history", "--data-dir", str(data)], ["wrong passphrase"] * 3)
    assert code == 5 and shown.count("Journal passphrase:") == 3
    assert "wrong passphrase; nothing was read or changed" in shown
