"""The one table of commands: every `reflect NAME`, sessions and tools alike. The usage text, each
command's parser and what runs it all come from here; any other name is a script (the SCRIPT row).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.cli import insights as reading
from assistant.cli import passphrase, tools
from assistant.cli.console import Console
from assistant.cli.options import (
    Parser,
    breathe_options,
    data_dir_option,
    pause_options,
    session_parser,
)
from assistant.cli.start import start_session
from assistant.journal.store import Journal

#: What runs a command: (its parsed options, the dialogs folder, the journal folder) -> exit code.
Run = Callable[[argparse.Namespace, Path, Path], int]
Options = Callable[[argparse.ArgumentParser], None]
#: The row of every name that is not a command: the reflection script of that name.
SCRIPT = "SCRIPT"


@dataclass(frozen=True)
class Command:
    name: str
    usage: str  # what follows `reflect NAME` in the usage text
    about: str  # one line for --help
    options: Options
    run: Run
    #: A session (speaks, listens, is saved as a session): it takes the session options too.
    session: bool = False


def _none(p: argparse.ArgumentParser) -> None:
    pass


def _journal(
    act: Callable[..., int], *, create: bool = False, repair: bool = False, extra: bool = False
) -> Run:
    """A runner that opens the journal (asking for the passphrase if locked) around `act`."""

    def run(args: argparse.Namespace, dialogs_dir: Path, data_dir: Path) -> int:
        journal = Journal(
            data_dir,
            create=create,  # settings can come before the first session
            passphrase=passphrase.ask,
            warn=Console().note,
            repair=repair,
        )
        try:
            if extra:
                return act(journal, args, dialogs_dir)
            return act(journal, args)
        finally:
            journal.close()

    return run


def _with_data_dir(more: Options) -> Options:
    def options(p: argparse.ArgumentParser) -> None:
        data_dir_option(p)
        more(p)

    return options


def _rehearse_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("rehearsal", nargs="?", help="which rehearsal (none: list them)")


def _session(kind: str) -> Run:
    return lambda args, dialogs_dir, data_dir: start_session(kind, args, dialogs_dir, data_dir)


COMMANDS: tuple[Command, ...] = (
    Command(SCRIPT, "[options]", "run a reflection script (e.g. evening, journal)", _none,
            _session("script"), session=True),
    Command("rehearse", "[NAME [options]]",
            "say a hard sentence aloud and be coached (no NAME: list)", _rehearse_options,
            _session("rehearse"), session=True),
    Command("breathe", "[PATTERN] [--minutes N] [--list]", "a guided breathing exercise",
            breathe_options, _session("breathe"), session=True),
    Command("pause", "[--minutes 20]", "a break in a heated talk, with a time to go back",
            pause_options, _session("pause"), session=True),
    Command("scripts", "", "list the scripts", _none,
            lambda a, d, j: tools.list_scripts(d, NAMES)),
    Command("voices", "", "list the voices (--voice NAME; reflect setup --voice NAME)", _none,
            lambda a, d, j: tools.list_voices()),
    Command("devices", "", "list microphones and speakers", tools.devices_options,
            lambda a, d, j: tools.list_devices(a)),
    Command("history", "[--since YYYY-MM-DD] [--limit N]", "list saved sessions",
            reading.options("history"), reading.runner("history")),
    Command("show", "ID | last", "print one session", reading.options("show"),
            reading.runner("show")),
    Command("search", "WORDS", "answers holding all of these words", reading.options("search"),
            reading.runner("search")),
    Command("insights", "[--weeks N] [--explain]", "what keeps coming back, over the last weeks",
            reading.options("insights"), reading.runner("insights")),
    Command("report", "--html FILE", "the same as one web page (plain text: keep it private)",
            reading.options("report"), reading.runner("report")),
    Command("remind", "[--at HH:MM | --off]", "an evening notification (shows it without either)",
            reading.options("remind"), reading.runner("remind")),
    Command("edit", "ID [--turn N --text TEXT]",
            "correct a transcript ($EDITOR, or one answer)", _with_data_dir(tools.edit_options),
            _journal(tools.edit)),
    Command("export", "--format json|markdown", "everything, on stdout",
            _with_data_dir(tools.export_options), _journal(tools.export)),
    Command("forget", "ID | --all [--yes]", "delete one session, or all",
            _with_data_dir(tools.forget_options), _journal(tools.forget)),
    Command("lock", "", "encrypt the journal with a passphrase", _with_data_dir(_none), tools.lock),
    Command("unlock", "", "decrypt it again", _with_data_dir(_none),
            _journal(tools.unlock, extra=True)),
    Command("repair", "", "rebuild a damaged index; name damaged sessions", _with_data_dir(_none),
            _journal(lambda journal, args: tools.repair(journal), repair=True)),
    Command("setup", "[--emergency-number N --crisis-line TEXT --abuse-line TEXT --voice NAME]",
            "where help is, and the voice", _with_data_dir(tools.setup_options),
            _journal(tools.setup, create=True, extra=True)),
)  # fmt: skip
BY_NAME = {command.name: command for command in COMMANDS}
#: The names a script cannot take (`reflect history` is always the command).
NAMES = tuple(name for name in BY_NAME if name != SCRIPT)


def find_command(name: str) -> Command:
    """The row of `name`; any other name is a script's."""
    return BY_NAME.get(name, BY_NAME[SCRIPT])


def parser_for(name: str, command: Command) -> argparse.ArgumentParser:
    """A session kind gets the session options besides its own."""
    if not command.session:
        parser = Parser(prog=f"reflect {name}", description=command.about)
    elif command.name == SCRIPT:
        parser = session_parser(name, "Run a reflection script.")
    else:
        parser = session_parser(name, f"{command.about[0].upper()}{command.about[1:]}.")
    command.options(parser)
    return parser


def usage() -> str:
    rows = [(f"{c.name if c.name != SCRIPT else 'SCRIPT'} {c.usage}".strip(), c.about)
            for c in COMMANDS]  # fmt: skip
    width = 22  # a longer left side puts its line of help under it
    lines = []
    for left, about in rows:
        if len(left) < width:
            lines.append(f"reflect {left:{width}s}{about}")
        else:
            lines += [f"reflect {left}", f"        {'':{width}s}{about}"]
    lines.append("reflect --version")
    return "\n       ".join(lines)
