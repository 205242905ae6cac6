"""The commands around sessions: scripts, devices, history, show, export, forget."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.audio import devices
from assistant.dialog.script import load_script, script_paths
from assistant.errors import AudioDeviceError, BadInputError, ReflectError
from assistant.journal.export import to_json, to_markdown
from assistant.journal.store import Journal


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


def _history(journal: Journal) -> int:
    sessions = journal.sessions()
    if not sessions:
        print("no sessions yet", file=sys.stderr)
    for s in sessions:
        answers = len(s.get("turns", []))
        when = s["started_at"][:16].replace("T", " ")
        print(f"{s['id']}  {when}  {s['script']:10s} {s['status']:11s} {answers} answers")
    return 0


def _forget(journal: Journal, args: argparse.Namespace) -> int:
    if args.all:
        what = f"all {len(journal.sessions())} sessions"
    else:
        session = journal.find(args.id)
        what = f"session {session['id']} ({session['started_at'][:10]}, {session['script']})"
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
        journal.forget(session["id"])
        print(f"deleted {what}", file=sys.stderr)
    return 0


def run_tool(name: str, args: argparse.Namespace, dialogs_dir: Path, data_dir: Path) -> int:
    if name == "scripts":
        return _scripts(dialogs_dir)
    if name == "devices":
        return _devices(args)
    journal = Journal(data_dir, create=False)
    try:
        if name == "history":
            return _history(journal)
        if name == "show":
            print(to_markdown([journal.find(args.id)]), end="")
            return 0
        if name == "export":
            sessions = journal.sessions()
            print(to_json(sessions) if args.format == "json" else to_markdown(sessions), end="\n")
            return 0
        return _forget(journal, args)
    finally:
        journal.close()
