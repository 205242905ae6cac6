"""`reflect voices`, `--voice NAME` on the sessions, and `reflect setup --voice NAME` keeping the
choice in the journal (speech/voices.py's table, cli/tools.py, cli/session.py)."""

from __future__ import annotations

import argparse

from assistant.base.settings import VoiceSettings
from assistant.cli.console import Console
from assistant.cli.session import _chosen_voice
from assistant.journal.store import Journal
from assistant.speech.voices import VOICES

from flows import cli


def test_voices_lists_each_with_its_kind_whether_installed_and_the_default():
    done = cli("voices")
    assert done.returncode == 0 and done.stderr == ""
    rows = done.stdout.splitlines()
    assert [row.split()[:3] for row in rows] == [
        ["joe", "neural", "installed"],  # ./scripts/test installs it
        ["espeak", "espeak", "installed"],
    ]
    assert [row.endswith("(default)") for row in rows] == [True, False]
    assert len(rows) == len(VOICES)


def test_an_unknown_voice_is_one_line_naming_the_voices(tmp_path):
    done = cli("evening", "--typed", "--voice", "robot", "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "reflect: --voice robot: no such voice; use one of joe, espeak (reflect voices)"
    ]
    assert not tmp_path.exists() or not any(tmp_path.iterdir())  # nothing was opened


def test_setup_keeps_the_voice_and_sessions_use_it_unless_told_otherwise(tmp_path):
    data = tmp_path / "journal"
    done = cli("setup", "--voice", "espeak", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert "voice:            espeak" in done.stdout.splitlines()
    shown = cli("setup", "--data-dir", str(data))
    assert "voice:            espeak" in shown.stdout.splitlines()  # kept

    notes: list[str] = []
    console = Console()
    console.note = notes.append  # type: ignore[method-assign]
    journal = Journal(data)
    try:
        saved = _chosen_voice(argparse.Namespace(voice=None), journal, VoiceSettings(), console)
        told = _chosen_voice(argparse.Namespace(voice="joe"), journal, VoiceSettings(), console)
        journal.set_config({**journal.config(), "voice": "gone"})  # saved by another version
        unknown = _chosen_voice(argparse.Namespace(voice=None), journal, VoiceSettings(), console)
    finally:
        journal.close()
    assert (saved.voice_name, told.voice_name, unknown.voice_name) == ("espeak", "joe", "joe")
    assert notes == ["the saved voice 'gone' is unknown; using joe"]
