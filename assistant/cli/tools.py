"""What the commands around sessions do (scripts, devices, edit, export, forget, lock, unlock,
repair, setup), and their options; their rows are in cli/commands.py, the one table."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from assistant.audio import devices
from assistant.base.errors import AudioDeviceError, BadInputError, ReflectError
from assistant.base.text import plural
from assistant.cli import passphrase
from assistant.cli.console import Console
from assistant.dialog.script import command_clash, load_script, script_paths
from assistant.insights.rating import parse_rating
from assistant.journal.crypto import LOCK_FILE
from assistant.journal.export import to_json, to_markdown
from assistant.journal.records import SessionRecord
from assistant.journal.store import Journal
from assistant.safety.check import CATEGORIES
from assistant.safety.resources import (
    Resources,
    check_abuse_line,
    check_crisis_line,
    check_emergency_number,
)
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.speech import voices
from assistant.speech.commands import load_commands


def list_voices() -> int:
    """The voices: name, kind, installed or not; the default marked."""
    for voice in voices.VOICES:
        state = "installed" if voice.installed else "not installed (run ./scripts/run)"
        default = " (default)" if voice.name == voices.DEFAULT_VOICE else ""
        print(f"{voice.name:8s} {voice.kind:7s} {state:10s} {voice.about}{default}")
    return 0


def list_scripts(dialogs_dir: Path, commands: tuple[str, ...]) -> int:
    """The scripts, each with its description (or why it cannot run)."""
    for name, path in script_paths(dialogs_dir).items():
        try:
            clash = command_clash(path, commands)
            if clash:
                raise clash
            about = load_script(path).description
        except ReflectError as exc:
            about = f"(cannot be used: {exc})"
        print(f"{name:12s} {about}")
    return 0


def list_devices(args: argparse.Namespace) -> int:
    if args.check_input:
        try:
            return 0 if devices.has_device("input") else AudioDeviceError.exit_code
        except AudioDeviceError:
            return AudioDeviceError.exit_code
    print(devices.describe())
    return 0


def repair(journal: Journal) -> int:
    count = len(journal.summaries())
    damaged = journal.damaged()
    journal.warn(f"the index lists {count} session{'' if count == 1 else 's'}")
    for problem in damaged.values():
        journal.warn(problem)
    if damaged:
        journal.warn(
            f"damaged: {', '.join(damaged)}; each was left as it was, with a copy in backups/; "
            "`reflect forget ID` removes one for good"
        )
    return 0


def forget(journal: Journal, args: argparse.Namespace) -> int:
    if args.all:
        count = len(journal.summaries())
        what = "the only session" if count == 1 else f"all {plural(count, 'session')}"
    else:
        sid = journal.resolve(args.id)  # a damaged session can be deleted too
        listed = {s.id: s for s in journal.summaries()}.get(sid)
        about = f" ({listed.started_at[:10]}, {listed.script})" if listed else ""
        what = f"session {sid}{about}"
    if not args.yes:
        if not sys.stdin.isatty():
            raise BadInputError(f"refusing to delete {what} without confirmation; add --yes")
        try:
            reply = input(f"Delete {what} for good? Type yes to confirm: ")
        except (EOFError, KeyboardInterrupt):
            reply = ""
            print(file=sys.stderr)
        if reply.strip().lower() != "yes":
            print("nothing deleted", file=sys.stderr)
            return 1
    if args.all:
        deleted, running = journal.forget_all()
        kept = f"; kept {running} still running" if running else ""
        print(f"deleted {deleted} session{'' if deleted == 1 else 's'}{kept}", file=sys.stderr)
    else:
        journal.forget(sid)
        print(f"deleted {what}", file=sys.stderr)
    return 0


def setup(journal: Journal, args: argparse.Namespace, dialogs_dir: Path) -> int:
    """Where help is: set with flags, asked for on a terminal, shown otherwise."""
    reserved = reserved_phrases(load_commands(dialogs_dir / "commands.yaml"))
    support = load_support(dialogs_dir / "support.yaml", CATEGORIES, reserved)
    config = journal.config()
    current = Resources.from_config(config)
    flags = (args.emergency_number, args.crisis_line, args.abuse_line)
    given = any(flag is not None for flag in flags)
    if args.voice is not None and args.voice != config.get("voice"):
        config = {**config, "voice": args.voice}
        journal.set_config(config)
    if args.reset and given:
        raise BadInputError("--reset goes back to the default text; use it on its own")
    if args.reset:
        chosen = Resources()
    elif given:  # already checked by the parser
        now = (current.emergency_number, current.crisis_line, current.abuse_line)
        chosen = Resources(*(n if f is None else f for n, f in zip(now, flags, strict=True)))
    elif sys.stdin.isatty() and args.voice is None:  # `setup --voice NAME` asks nothing more
        chosen = _ask_resources(current)
    else:
        chosen = current
    if chosen != current:
        journal.set_config({**config, **chosen.to_config()})
    default = "(not set: the default text is said)"
    print(f"voice:            {config.get('voice') or voices.DEFAULT_VOICE}")
    print(f"emergency number: {chosen.emergency_number or default}")
    print(f"crisis line:      {chosen.crisis_line or default}")
    print(f"abuse line:       {chosen.abuse_line or default}")
    print("said when an answer suggests you may not be safe:")
    print(f"  {support.help.what_to_do(chosen, category='self-harm', reported=False)}")
    print("said when an answer is about a partner's violence, threats or control:")
    print(f"  {support.help.what_to_do(chosen, category='abuse', reported=False)}")
    return 0


def _ask_resources(current: Resources) -> Resources:
    """Ask on the terminal; Enter keeps what is set, a single - goes back to the default."""
    print(
        "Where help is, said if an answer suggests you may not be safe. "
        "Press Enter to keep what is set, or type - for the default.",
        file=sys.stderr,
    )

    def ask(question: str, now: str, check: Callable[[str], str]) -> str:
        try:
            reply = input(f"{question} [{now or 'default'}]: ").strip()
        except EOFError:
            reply = ""
        return now if not reply else "" if reply == "-" else check(reply)

    number = ask(
        "Emergency number (e.g. 112, 911)", current.emergency_number, check_emergency_number
    )
    line = ask("Crisis line (name and how to reach it)", current.crisis_line, check_crisis_line)
    abuse = ask(
        "Line for abuse by a partner (name and how to reach it)",
        current.abuse_line,
        check_abuse_line,
    )
    return Resources(number, line, abuse)


def lock(args: argparse.Namespace, dialogs_dir: Path, data_dir: Path) -> int:
    if (data_dir / LOCK_FILE).exists():
        raise BadInputError("the journal is already locked; `reflect unlock` opens it")
    note = Console().note
    # a damaged journal is refused here, before any change
    journal = Journal(data_dir, create=False, warn=note)
    sealed = journal.lock(passphrase.ask_new())
    note(
        f"locked: {sealed} files encrypted; every command now asks for the passphrase (or "
        f"{passphrase.ENV}). Without it nothing can be read back, so keep it safe."
    )
    return 0


def unlock(journal: Journal, args: argparse.Namespace, dialogs_dir: Path) -> int:
    if journal.finished == "unlocking":
        journal.warn("unlocked: an unlock that had been cut short is now finished")
        return 0
    changed = journal.unlock()
    journal.warn(f"unlocked: {changed} files are stored in plain text again")
    return 0


def export(journal: Journal, args: argparse.Namespace) -> int:
    sessions = journal.sessions()
    print(to_json(sessions) if args.format == "json" else to_markdown(sessions), end="\n")
    return 0


# -- reflect edit --------------------------------------------------------------------------

EDIT_HEADER = """\
# Correct what was heard in session {sid} ({script}, {when}).
# Change the text under each "== answer N ==" line and save; close the editor without saving
# to change nothing. Lines starting with # are left out. The transcript as first heard is kept
# beside each corrected answer (export shows both).
"""
ANSWER_LINE = "== answer "


def _edit_text(session: SessionRecord) -> str:
    when = session.started_at[:16].replace("T", " ")
    parts = [EDIT_HEADER.format(sid=session.id, script=session.script, when=when)]
    for number, turn in enumerate(session.turns, 1):
        prompt = " ".join(turn.prompt.split())
        parts.append(f"\n{ANSWER_LINE}{number} ==\n# {prompt}\n{turn.answer}\n")
    return "".join(parts)


def parse_edited(text: str, count: int) -> dict[int, str]:
    """The answers in an edited file, by number; BadInputError if its shape was changed."""
    answers: dict[int, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(ANSWER_LINE):
            label = line[len(ANSWER_LINE) :].rstrip(" =")
            if not label.isdigit() or int(label) in answers:
                raise BadInputError(f"line {number}: {line!r} is not an answer line; keep them")
            current = answers.setdefault(int(label), [])
        elif line.startswith("#"):
            continue
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise BadInputError(f"line {number}: text before the first answer line; move it")
    beyond = sorted(n for n in answers if not 1 <= n <= count)
    if beyond or not answers:
        raise BadInputError(
            f"the edited file has answers {sorted(answers)}, not 1 to {count}; nothing was saved"
        )
    return {n: "\n".join(lines).strip() for n, lines in answers.items()}


def missing_blocks(edited: dict[int, str], count: int) -> str | None:
    """A block removed in the editor leaves that answer as it was (the other edits are kept):
    the line that says which."""
    missing = [str(n) for n in range(1, count + 1) if n not in edited]
    if not missing:
        return None
    many = len(missing) > 1
    which = f"answers {', '.join(missing)} were" if many else f"answer {missing[0]} was"
    return f"{which} missing from the edited file, so left as it was"


def _editor() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
    if not command.strip():
        raise BadInputError(
            'no editor: set EDITOR (e.g. EDITOR=nano), or use --turn N --text "..."'
        )
    return shlex.split(command)


def _private_scratch(locked: bool) -> str | None:
    """Where the answers may be written for the editor: memory (/dev/shm) when it exists; a
    locked journal never puts them on disk in plain text."""
    if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):
        return "/dev/shm"
    if locked:
        raise BadInputError(
            "the journal is locked and there is no memory-only folder for the editor's file; "
            'use --turn N --text "..." instead'
        )
    return None


def edit(journal: Journal, args: argparse.Namespace) -> int:
    session = journal.find(args.id)
    sid, count = session.id, len(session.turns)
    if not count:
        raise BadInputError(f"session {sid} has no answers to correct")
    if args.text is not None or args.turn is not None:
        if args.text is None or args.turn is None:
            raise BadInputError("--turn N and --text go together")
        changed = journal.correct(sid, {args.turn: args.text}, rating=parse_rating)
    else:
        editor = _editor()
        with tempfile.TemporaryDirectory(
            prefix="reflect-", dir=_private_scratch(journal.codec.locked)
        ) as scratch:  # 0700, removed with everything in it
            path = Path(scratch) / f"{sid}.txt"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(_edit_text(session))
            before = path.stat().st_mtime_ns, path.read_bytes()
            try:
                done = subprocess.run([*editor, str(path)], check=False)
            except OSError as exc:
                raise BadInputError(
                    f"cannot start the editor {editor[0]!r}: {exc.strerror}"
                ) from None
            if done.returncode != 0:
                raise BadInputError(f"the editor ended with code {done.returncode}; nothing saved")
            if (path.stat().st_mtime_ns, path.read_bytes()) == before:
                journal.warn("nothing changed")
                return 0
            edited = parse_edited(path.read_text(encoding="utf-8", errors="replace"), count)
            missing = missing_blocks(edited, count)
            if missing:
                journal.warn(missing)
        changed = journal.correct(sid, edited, rating=parse_rating)
    journal.warn(
        f"session {sid}: {plural(changed, 'answer')} corrected"
        if changed
        else "nothing changed"
    )
    return 0


# -- the table -----------------------------------------------------------------------------


# -- the options of each tool (their rows are in cli/commands.py) --------------------------


def devices_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--check-input",
        action="store_true",
        help="exit 0 if a microphone exists, 3 if not; print nothing",
    )


def edit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="session id (or its first characters)")
    p.add_argument("--turn", type=int, metavar="N", help="the answer to correct, from 1")
    p.add_argument("--text", metavar="TEXT", help="its corrected text")


def export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("json", "markdown"), default="json")


def forget_options(p: argparse.ArgumentParser) -> None:
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("id", nargs="?", help="session id to delete")
    target.add_argument("--all", action="store_true", help="delete every session")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def setup_options(p: argparse.ArgumentParser) -> None:
    # Checked while parsing, so a mistake is one line before the journal is opened.
    p.description = "Where help is, said when an answer suggests you may not be safe."
    p.add_argument(
        "--emergency-number", metavar="N", type=check_emergency_number, help="e.g. 112 or 911"
    )
    p.add_argument(
        "--crisis-line",
        metavar="TEXT",
        type=check_crisis_line,
        help='e.g. "Samaritans, call 116 123, any time"',
    )
    p.add_argument(
        "--abuse-line",
        metavar="TEXT",
        type=check_abuse_line,
        help="said after an answer about a partner's violence, threats or control, e.g. "
        '"National Domestic Abuse Helpline, call 0808 2000 247"',
    )
    p.add_argument("--reset", action="store_true", help="back to the default text")
    p.add_argument(
        "--voice",
        metavar="NAME",
        type=lambda name: voices.find_voice(name).name,
        help="the voice sessions speak with from now on (reflect voices lists them)",
    )
