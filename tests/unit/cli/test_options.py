"""cli/options.py: the session options every session command shares, and usage mistakes as one
line with exit code 2."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from assistant.base.settings import VoiceSettings
from assistant.cli.options import (
    Parser,
    breathe_options,
    data_dir_option,
    pause_options,
    session_parser,
)
from assistant.cli.start import SPOKEN_ONLY


def test_defaults():
    args = session_parser("evening", "a script").parse_args([])
    assert args.audio_in is None and not args.typed and not args.silent
    assert args.rate == VoiceSettings.rate_wpm
    assert args.device is None and args.model is None and args.data_dir is None
    for attr, option in SPOKEN_ONLY:
        assert getattr(args, attr) is None and option == f"--{attr}"


def test_values_are_typed():
    args = session_parser("evening", "a script").parse_args(
        ["--audio-in", "in.wav", "--audio-out", "out.wav", "--duplex", "--rate", "150",
         "--device", "3", "--output-device", "USB Headset", "--data-dir", "j", "--keep-audio"]
    )  # fmt: skip
    assert args.audio_in == Path("in.wav") and args.audio_out == Path("out.wav")
    assert args.duplex and args.keep_audio and args.rate == 150
    assert args.device == 3  # a number is a device index
    assert args.output_device == "USB Headset"  # anything else a name
    assert args.data_dir == Path("j")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--typed", "--audio-in", "a.wav"], "not allowed with argument"),
        (["--silent", "--audio-out", "a.wav"], "not allowed with argument"),
        (["--rate", "fast"], "invalid int value"),
        (["--loud"], "unrecognized arguments: --loud"),
    ],
)
def test_a_usage_mistake_is_one_line_with_exit_code_2(capsys, argv, says):
    with pytest.raises(SystemExit) as caught:
        session_parser("evening", "a script").parse_args(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("reflect evening: ") and says in err
    assert err.endswith(" (see reflect evening --help)\n") and err.count("\n") == 1


def test_parser_error_names_the_program(capsys):
    with pytest.raises(SystemExit) as caught:
        Parser(prog="reflect x").error("bad")
    assert caught.value.code == 2
    assert capsys.readouterr().err == "reflect x: bad (see reflect x --help)\n"


def test_breathe_and_pause_options():
    breathe = argparse.ArgumentParser()
    breathe_options(breathe)
    args = breathe.parse_args(["box", "--minutes", "2.5"])
    assert (args.pattern, args.minutes, args.list) == ("box", 2.5, False)
    assert breathe.parse_args(["--list"]).pattern is None
    pause = argparse.ArgumentParser()
    pause_options(pause)
    assert pause.parse_args([]).minutes == "20"  # checked later, with its own message
    assert pause.parse_args(["--minutes", "45"]).minutes == "45"


def test_data_dir_option():
    p = argparse.ArgumentParser()
    data_dir_option(p)
    assert p.parse_args(["--data-dir", "/tmp/j"]).data_dir == Path("/tmp/j")
    assert p.parse_args([]).data_dir is None
