"""cli/start.py: starting a session from its parsed options: listing rehearsals and breathing
patterns from the real dialogs/, the checks every session shares, and what is passed on."""

from __future__ import annotations

import pytest

import assistant.cli.session
from assistant.base.errors import BadInputError
from assistant.base.settings import DIALOGS_DIR, ListenSettings
from assistant.breathe.patterns import DEFAULT_PATTERN, load_patterns
from assistant.cli.options import breathe_options, session_parser
from assistant.cli.start import list_patterns, list_rehearsals, start_session
from assistant.coach.rehearsal import load_rehearsals


def parse(argv, kind="script"):
    p = session_parser(kind, "test")
    if kind == "rehearse":
        p.add_argument("rehearsal", nargs="?")
    if kind == "breathe":
        breathe_options(p)
    args = p.parse_args(argv)
    if kind == "script":
        args.script = "evening"
    return args


def test_list_patterns_prints_each_with_its_rate(capsys):
    assert list_patterns(DIALOGS_DIR) == 0
    lines = capsys.readouterr().out.splitlines()
    patterns = load_patterns(DIALOGS_DIR / "breathing")
    assert [line.split()[0] for line in lines] == list(patterns)
    default = next(line for line in lines if line.startswith(DEFAULT_PATTERN + " "))
    assert default.endswith(" (default)")
    assert sum(line.endswith("(default)") for line in lines) == 1
    assert all("breaths a minute" in line for line in lines)


def test_list_rehearsals(capsys):
    assert list_rehearsals(DIALOGS_DIR) == 0
    out = capsys.readouterr().out
    for name, rehearsal in load_rehearsals(DIALOGS_DIR / "rehearsals").items():
        assert f"{name:12s} {rehearsal.description}" in out


def test_rehearse_without_a_name_and_breathe_list_only_list(capsys):
    assert start_session("rehearse", parse([], "rehearse"), DIALOGS_DIR, DIALOGS_DIR) == 0
    assert "(default)" not in capsys.readouterr().out
    assert start_session("breathe", parse(["--list"], "breathe"), DIALOGS_DIR, DIALOGS_DIR) == 0
    assert "(default)" in capsys.readouterr().out


@pytest.mark.parametrize("rate", [79, 301, 0])
def test_a_rate_out_of_range_is_refused(rate, tmp_path):
    with pytest.raises(BadInputError, match=f"--rate {rate}: use 80 to 300 words per minute"):
        start_session("script", parse(["--typed", "--rate", str(rate)]), DIALOGS_DIR, tmp_path)


def test_typed_warns_about_spoken_only_options(capsys, tmp_path):
    args = parse(["--typed", "--model", "m", "--device", "2", "--rate", "50"])
    with pytest.raises(BadInputError):  # the bad rate stops it before any session starts
        start_session("script", args, DIALOGS_DIR, tmp_path)
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "reflect: --model is for spoken answers; with --typed it is not used",
        "reflect: --device is for spoken answers; with --typed it is not used",
    ]


@pytest.fixture
def started(monkeypatch):
    """What start_session hands to run_session. The session itself is not run here: the flows
    (tests/flows/) run it whole; this records only the arguments start chose."""
    calls = []

    def run_session(*args):
        calls.append(args)
        return 0

    monkeypatch.setattr(assistant.cli.session, "run_session", run_session)
    return calls


def test_a_typed_script_is_started_by_name_without_the_model(started, tmp_path):
    args = parse(["--typed", "--rate", "120"])
    assert start_session("script", args, DIALOGS_DIR, tmp_path) == 0
    [(name, passed, dialogs, data, listen, voice, rehearsal, model)] = started
    assert (name, passed, dialogs, data) == ("evening", args, DIALOGS_DIR, tmp_path)
    assert listen == ListenSettings() and voice.rate_wpm == 120
    assert rehearsal is None and model is None  # typed: no speech model loaded


def test_a_rehearsal_is_started_under_its_kind(started, tmp_path):
    args = parse(["--typed", "difficult"], "rehearse")
    start_session("rehearse", args, DIALOGS_DIR, tmp_path)
    assert started[0][0] == "rehearse" and started[0][6] == "difficult"
