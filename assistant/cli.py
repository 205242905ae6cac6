"""Command line: parse, wire the edges to the core, and map failures to one line and an exit code.

Exit codes: 0 done, 1 other failure, 2 bad input or script, 3 model or audio device missing,
4 journal unreadable or unwritable, 130 interrupted (Ctrl-C; answers so far are saved).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from assistant.cli_insights import COMMANDS as READING_COMMANDS
from assistant.cli_insights import USAGE as READING_USAGE
from assistant.errors import BadInputError, ReflectError
from assistant.settings import DIALOGS_DIR, ListenSettings, VoiceSettings, default_data_dir

COMMANDS = (
    "scripts",
    "devices",
    "export",
    "forget",
    "lock",
    "unlock",
    "repair",
    "setup",
)
USAGE = """reflect SCRIPT [options]      run a reflection script (e.g. evening, journal)
       reflect scripts               list the scripts
       reflect devices               list microphones and speakers
       reflect export --format json|markdown
       reflect forget ID | --all [--yes]
       reflect lock | unlock         encrypt the journal with a passphrase, or decrypt it
       reflect repair                rebuild a damaged index from the session files
       reflect setup                 where help is: --emergency-number N --crisis-line TEXT
                                     --abuse-line TEXT
""" + READING_USAGE


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line too, like every other failure."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _device(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="journal folder (default: REFLECT_DATA_DIR or the user data folder)",
    )


def session_parser(name: str) -> argparse.ArgumentParser:
    p = _Parser(prog=f"reflect {name}", description="Run a reflection script.")
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--audio-in",
        type=Path,
        metavar="FILE.wav",
        help="take the spoken answers from a WAV file instead of the microphone",
    )
    source.add_argument(
        "--typed",
        action="store_true",
        help="type the answers (one line each); end of input ends the session",
    )
    p.add_argument(
        "--duplex",
        action="store_true",
        help="with --audio-in: the file is what the microphone heard from the start, the "
        "assistant's speech takes time on it, and --audio-out is aligned with it",
    )
    sink = p.add_mutually_exclusive_group()
    sink.add_argument(
        "--audio-out",
        type=Path,
        metavar="FILE.wav",
        help="write what the assistant says to a WAV file instead of the speakers",
    )
    sink.add_argument("--silent", action="store_true", help="print the prompts only")
    p.add_argument(
        "--keep-audio",
        action="store_true",
        help="also keep the recording of your answers in the journal (off by default)",
    )
    p.add_argument("--device", type=_device, help="input device number or name (reflect devices)")
    p.add_argument("--output-device", type=_device, help="output device number or name")
    p.add_argument(
        "--model",
        type=Path,
        help="Vosk model folder (default: VOSK_MODEL_PATH, "
        "then models/vosk-model-small-en-us-0.15)",
    )
    p.add_argument(
        "--rate",
        type=int,
        default=VoiceSettings.rate_wpm,
        help="speaking rate in words per minute (default %(default)s)",
    )
    _data_dir_option(p)
    return p


def command_parser(name: str) -> argparse.ArgumentParser:
    p = _Parser(prog=f"reflect {name}")
    if name == "devices":
        p.add_argument(
            "--check-input",
            action="store_true",
            help="exit 0 if a microphone exists, 3 if not; print nothing",
        )
        return p
    if name == "scripts":
        return p
    _data_dir_option(p)
    if name == "export":
        p.add_argument("--format", choices=("json", "markdown"), default="json")
    elif name == "forget":
        target = p.add_mutually_exclusive_group(required=True)
        target.add_argument("id", nargs="?", help="session id to delete")
        target.add_argument("--all", action="store_true", help="delete every session")
        p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    elif name == "setup":
        # Checked while parsing, so a mistake is one line before the journal is opened.
        from assistant.safety.resources import (
            check_abuse_line,
            check_crisis_line,
            check_emergency_number,
        )

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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("-h", "--help"):
        print(f"usage: {USAGE}")
        return 0
    if not argv:
        print(
            "reflect: say what to run, e.g. `reflect evening` (`reflect --help` lists all)",
            file=sys.stderr,
        )
        return 2
    name, rest = argv[0], argv[1:]
    try:
        if name in READING_COMMANDS:
            from assistant.cli_insights import run_reading

            return run_reading(name, rest, DIALOGS_DIR, _data_dir)
        if name in COMMANDS:
            from assistant.cli_tools import run_tool

            args = command_parser(name).parse_args(rest)
            return run_tool(name, args, DIALOGS_DIR, _data_dir(args))
        from assistant.cli_session import run_session

        args = session_parser(name).parse_args(rest)

        listen = ListenSettings()
        voice = replace(VoiceSettings(), rate_wpm=args.rate)
        if not 80 <= args.rate <= 300:
            raise BadInputError(f"--rate {args.rate}: use 80 to 300 words per minute")
        return run_session(name, args, DIALOGS_DIR, _data_dir(args), listen, voice)
    except ReflectError as exc:
        print(f"reflect: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        tool = name in COMMANDS or name in READING_COMMANDS
        saved = "; everything said so far is saved" if not tool else ""
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
