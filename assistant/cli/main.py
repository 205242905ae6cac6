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
from dataclasses import replace
from pathlib import Path

from assistant import __version__
from assistant.base.errors import BadInputError, ReflectError
from assistant.base.settings import DIALOGS_DIR, ListenSettings, VoiceSettings, default_data_dir
from assistant.cli.tools import COMMANDS, Parser, command_parser, data_dir_option, run_tool, usage
from assistant.dialog.script import command_clash
from assistant.speech.model import preload_model

#: Session options that only matter for spoken answers: with --typed they are not used.
SPOKEN_ONLY = (("model", "--model"), ("device", "--device"))


def _device(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def session_parser(name: str) -> argparse.ArgumentParser:
    p = Parser(prog=f"reflect {name}", description="Run a reflection script.")
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
        "--echo-cancel",
        action="store_true",
        help="load the sound server's echo canceller (PulseAudio module-echo-cancel) for the "
        "session: lets commands be heard over the assistant's voice without headphones",
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
    p.add_argument(
        "--show-turns",
        action="store_true",
        help="say on stderr how each spoken answer ended (the quiet waited, the turn model)",
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
    data_dir_option(p)
    return p


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
    try:
        if name in COMMANDS:
            args = command_parser(name).parse_args(rest)
            hidden = DIALOGS_DIR / f"{name}.yaml"
            if hidden.exists():  # a script named like this command: say why it never runs
                print(f"reflect: {command_clash(hidden, COMMANDS)}", file=sys.stderr)
            return run_tool(name, args, DIALOGS_DIR, _data_dir(args))
        rehearsal = None
        if name == "rehearse":  # reflect rehearse [NAME [options]]
            if not rest or rest[0].startswith("-"):
                return _list_rehearsals()
            rehearsal, rest = rest[0], rest[1:]
        parser = session_parser(f"rehearse {rehearsal}" if rehearsal else name)
        if name in ACTIVITIES:
            _activity_options(parser, name)
        args = parser.parse_args(rest)
        if name == "breathe" and args.list:
            return _list_patterns()
        if args.typed:
            for attr, option in SPOKEN_ONLY:
                if getattr(args, attr) is not None:
                    print(f"reflect: {option} is for spoken answers; with --typed it is not used",
                          file=sys.stderr)  # fmt: skip

        listen = ListenSettings()
        voice = replace(VoiceSettings(), rate_wpm=args.rate)
        if not 80 <= args.rate <= 300:
            raise BadInputError(f"--rate {args.rate}: use 80 to 300 words per minute")
        # The model's load (0.7 s, in C++, off the GIL) overlaps importing the session's modules.
        started = None if args.typed else preload_model(args.model)
        from assistant.cli.session import run_session

        return run_session(
            name, args, DIALOGS_DIR, _data_dir(args), listen, voice, rehearsal, started
        )
    except ReflectError as exc:
        print(f"reflect: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        saved = "; everything said so far is saved" if name not in COMMANDS else ""
        print(f"\nreflect: interrupted{saved}.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `reflect history | head -1`: the reader has had enough
        _drop_stdout()
        return 141
    except OSError as exc:  # stdout on a full disk, and the like; the journal is already saved
        _drop_stdout()
        print(f"reflect: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return 1


#: Sessions without a script of questions: a breathing exercise, a break.
ACTIVITIES = ("breathe", "pause")


def _activity_options(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "breathe":
        parser.add_argument("pattern", nargs="?", help="which pattern (default: cyclic-sighing)")
        parser.add_argument("--list", action="store_true", help="list the breathing patterns")
        parser.add_argument(
            "--minutes", type=float, help="how long (default: the pattern's own length)"
        )
    else:
        parser.add_argument(
            "--minutes", default="20", help="how long the break lasts, 1 to 1440 (default 20)"
        )


def _list_patterns() -> int:
    from assistant.breathe.patterns import DEFAULT_PATTERN, load_patterns

    for name, pattern in load_patterns().items():
        default = " (default)" if name == DEFAULT_PATTERN else ""
        rate = f"{pattern.breaths_per_minute:.1f} breaths a minute"
        print(f"{name:16s} {pattern.description} {rate}{default}")
    return 0


def _list_rehearsals() -> int:
    from assistant.coach.rehearsal import load_rehearsals

    for name, rehearsal in load_rehearsals(DIALOGS_DIR / "rehearsals").items():
        print(f"{name:12s} {rehearsal.description}")
    return 0


def _drop_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir if getattr(args, "data_dir", None) else default_data_dir()
