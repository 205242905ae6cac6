"""The commands around sessions: scripts, devices, export, forget, setup, lock, repair
(history and show are in cli_insights.py, with the other reading-back commands)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from assistant import passphrase
from assistant.audio import devices
from assistant.console import Console
from assistant.dialog.script import load_script, script_paths
from assistant.errors import AudioDeviceError, BadInputError, ReflectError
from assistant.journal.crypto import LOCK_FILE
from assistant.journal.export import to_json, to_markdown
from assistant.journal.store import Journal
from assistant.safety.check import CATEGORIES
from assistant.safety.resources import (
    Resources,
    check_abuse_line,
    check_crisis_line,
    check_emergency_number,
)
from assistant.safety.support_file import load_support, reserved_phrases
from assistant.speech.commands import load_commands


def _scripts(dialogs_dir: Path) -> int:
    for name, path in script_paths(dialogs_dir).items():
        try:
            about = load_script(path).description
        except ReflectError as exc:
            about = f"(cannot be used: {exc})"
        print(f"{name:12s} {about}")
    return 0


def _devices(args: argparse.Namespace) -> int:
    if args.check_input:
        try:
            return 0 if devices.has_device("input") else AudioDeviceError.exit_code
        except AudioDeviceError:
            return AudioDeviceError.exit_code
    print(devices.describe())
    return 0


def _forget(journal: Journal, args: argparse.Namespace) -> int:
    if args.all:
        what = f"all {len(journal.summaries())} sessions"
    else:
        sid = journal.resolve(args.id)  # a damaged session can be deleted too
        listed = {s["id"]: s for s in journal.summaries()}.get(sid)
        about = f" ({listed['started_at'][:10]}, {listed['script']})" if listed else ""
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


def _setup(journal: Journal, args: argparse.Namespace, dialogs_dir: Path) -> int:
    """Where help is: set with flags, asked for on a terminal, shown otherwise."""
    reserved = reserved_phrases(load_commands(dialogs_dir / "commands.yaml"))
    support = load_support(dialogs_dir / "support.yaml", CATEGORIES, reserved)
    config = journal.config()
    current = Resources.from_config(config)
    flags = (args.emergency_number, args.crisis_line, args.abuse_line)
    given = any(flag is not None for flag in flags)
    if args.reset and given:
        raise BadInputError("--reset goes back to the default text; use it on its own")
    if args.reset:
        chosen = Resources()
    elif given:  # already checked by the parser
        now = (current.emergency_number, current.crisis_line, current.abuse_line)
        chosen = Resources(*(n if f is None else f for n, f in zip(now, flags, strict=True)))
    elif sys.stdin.isatty():
        chosen = _ask_resources(current)
    else:
        chosen = current
    if chosen != current:
        journal.set_config({**config, **chosen.to_config()})
    default = "(not set: the default text is said)"
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


def _lock(data_dir: Path) -> int:
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


def run_tool(name: str, args: argparse.Namespace, dialogs_dir: Path, data_dir: Path) -> int:
    if name == "scripts":
        return _scripts(dialogs_dir)
    if name == "devices":
        return _devices(args)
    if name == "lock":
        return _lock(data_dir)
    note = Console().note
    journal = Journal(
        data_dir,
        create=name == "setup",  # settings can come before the first session
        passphrase=passphrase.ask,
        warn=note,
        repair=name == "repair",
    )
    try:
        if name == "unlock" and journal.finished == "unlocking":
            note("unlocked: an unlock that had been cut short is now finished")
            return 0
        if name == "unlock":
            changed = journal.unlock()
            note(f"unlocked: {changed} files are stored in plain text again")
            return 0
        if name == "repair":
            note(f"the index lists {len(journal.summaries())} sessions")
            return 0
        if name == "setup":
            return _setup(journal, args, dialogs_dir)
        if name == "export":
            sessions = journal.sessions()
            print(to_json(sessions) if args.format == "json" else to_markdown(sessions), end="\n")
            return 0
        return _forget(journal, args)
    finally:
        journal.close()
