"""Starting a session of any kind (a script, a rehearsal, breathing, a break) from its parsed
options: the checks every kind shares, then the model's load, begun before the heavy imports."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from assistant.base.errors import BadInputError
from assistant.base.settings import ListenSettings, VoiceSettings
from assistant.speech.model import preload_model

#: Session options that only matter for spoken answers: with --typed they are not used.
SPOKEN_ONLY = (("model", "--model"), ("device", "--device"))
#: Activities that need no answer: with no microphone they play their cues, unheard.
LISTENING_OPTIONAL = ("breathe", "pause")
NO_MICROPHONE = (
    "no microphone found, so nothing said is heard; the cues are played (Ctrl-C ends it)"
)


def start_session(kind: str, args: argparse.Namespace, dialogs_dir: Path, data_dir: Path) -> int:
    """`kind`: script (args.script names it), rehearse, breathe or pause."""
    if kind == "rehearse" and args.rehearsal is None:
        return list_rehearsals(dialogs_dir)
    if kind == "breathe" and args.list:
        return list_patterns(dialogs_dir)
    if kind in LISTENING_OPTIONAL and not (args.typed or args.audio_in) and not _microphone(args):
        print(f"reflect: {NO_MICROPHONE}", file=sys.stderr)
        args = argparse.Namespace(**{**vars(args), "typed": True})
    if args.typed:
        for attr, option in SPOKEN_ONLY:
            if getattr(args, attr) is not None:
                print(f"reflect: {option} is for spoken answers; with --typed it is not used",
                      file=sys.stderr)  # fmt: skip
    if not 80 <= args.rate <= 300:
        raise BadInputError(f"--rate {args.rate}: use 80 to 300 words per minute")
    from assistant.speech import voices

    voice = replace(VoiceSettings(), rate_wpm=args.rate)
    if args.voice is not None:
        voice = replace(voice, voice_name=voices.find_voice(args.voice).name)  # one line if not
    # The models' loads (0.7 s, 0.5 s, in C++, off the GIL) overlap importing the session's
    # modules. The voice is the one asked for, else the default (a voice saved with `reflect
    # setup` is known once the journal is open: then it is loaded there).
    started = None if args.typed else preload_model(args.model)
    if not args.silent:
        voices.preload(voice.voice_name)
    from assistant.cli.session import run_session

    name = args.script if kind == "script" else kind
    rehearsal = args.rehearsal if kind == "rehearse" else None
    return run_session(
        name, args, dialogs_dir, data_dir, ListenSettings(), voice, rehearsal, started
    )


def _microphone(args: argparse.Namespace) -> bool:
    """Is there a microphone to listen with? (A named --device that is missing is still the
    session's one-line error.)"""
    from assistant.audio import devices
    from assistant.base.errors import AudioDeviceError

    if args.device is not None:
        return True
    try:
        return devices.has_device("input", None)
    except AudioDeviceError:
        return False


def list_patterns(dialogs_dir: Path) -> int:
    from assistant.breathe.patterns import DEFAULT_PATTERN, load_patterns

    for name, pattern in load_patterns(dialogs_dir / "breathing").items():
        default = " (default)" if name == DEFAULT_PATTERN else ""
        rate = f"{pattern.breaths_per_minute:.1f} breaths a minute"
        print(f"{name:16s} {pattern.description} {rate}{default}")
    return 0


def list_rehearsals(dialogs_dir: Path) -> int:
    from assistant.coach.rehearsal import load_rehearsals

    for name, rehearsal in load_rehearsals(dialogs_dir / "rehearsals").items():
        print(f"{name:12s} {rehearsal.description}")
    return 0
