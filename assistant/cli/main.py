"""Command line: parse, wire the edges to the core, and map failures to one line and an exit code.

Exit codes: 0 done, 1 other failure, 2 bad input or script, 3 model or audio device missing,
4 journal unreadable or unwritable, 130 interrupted (Ctrl-C; answers so far are saved).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant import __version__
from assistant.base.errors import ReflectError
from assistant.base.settings import DIALOGS_DIR, default_data_dir
from assistant.cli.commands import NAMES, SCRIPT, find_command, parser_for, usage
from assistant.dialog.script import RESERVED, command_clash


def main(argv: Sequence[str] | None = None) -> int:
    # Ctrl-C must save and stop even when started with SIGINT ignored (nohup, a background job).
    with contextlib.suppress(ValueError):  # only the main thread may set it
        signal.signal(signal.SIGINT, signal.default_int_handler)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help"):
        print(f"usage: {usage()}")
        return 0
    if argv and argv[0] == "--version":
        print(f"reflect {__version__}")
        return 0
    if not argv:
        print(
            "reflect: say what to run, e.g. `reflect evening` (`reflect --help` lists all)",
            file=sys.stderr,
        )
        return 2
    name, rest = argv[0], argv[1:]
    command = find_command(name)
    try:
        hidden = DIALOGS_DIR / f"{name}.yaml"
        if name in NAMES and name not in RESERVED and hidden.exists():
            # a script named like this command: say why it never runs
            print(f"reflect: {command_clash(hidden, NAMES)}", file=sys.stderr)
        args = parser_for(name, command).parse_args(rest)
        if command.name == SCRIPT:
            args.script = name
        return command.run(args, DIALOGS_DIR, _data_dir(args))
    except ReflectError as exc:
        print(f"reflect: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        saved = "; everything said so far is saved" if command.session else ""
        print(f"\nreflect: interrupted{saved}.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `reflect history | head -1`: the reader has had enough
        _drop_stdout()
        return 141
    except OSError as exc:  # stdout on a full disk, and the like; the journal is already saved
        _drop_stdout()
        print(f"reflect: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _drop_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir if getattr(args, "data_dir", None) else default_data_dir()
