"""The command line's parser and the options several commands share: the journal folder, and
everything a session takes (where answers come from, where speech goes)."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.base.settings import VoiceSettings


class Parser(argparse.ArgumentParser):
    """Usage mistakes are one line too, like every other failure."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="journal folder (default: REFLECT_DATA_DIR or the user data folder)",
    )


def _device(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def session_parser(name: str, description: str) -> argparse.ArgumentParser:
    p = Parser(prog=f"reflect {name}", description=description)
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
    p.add_argument(
        "--voice",
        metavar="NAME",
        help="who speaks: a name from `reflect voices` (default: the one saved with "
        f"`reflect setup --voice`, else {VoiceSettings.voice_name})",
    )
    data_dir_option(p)
    return p


def breathe_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("pattern", nargs="?", help="which pattern (default: cyclic-sighing)")
    p.add_argument("--list", action="store_true", help="list the breathing patterns")
    p.add_argument("--minutes", type=float, help="how long (default: the pattern's own length)")


def pause_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--minutes", default="20", help="how long the break lasts, 1 to 1440 (default 20)"
    )
