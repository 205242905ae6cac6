"""Everyday use as a newcomer meets it: the command list, --version, notes about options that do
nothing, corrections of what was heard, damaged sessions named (the CLI in this process; what
needs a child process: tests/e2e/test_everyday_cli.py)."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from dataclasses import replace

import pytest

from assistant import __version__
from assistant.base.errors import BadInputError, BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.cli.commands import COMMANDS, NAMES, SCRIPT, parser_for, usage
from assistant.cli.tools import parse_edited
from assistant.dialog.script import find_script
from assistant.journal.export import to_json, to_markdown
from assistant.journal.records import SessionRecord
from assistant.journal.store import Journal
from assistant.speech.commands import load_commands

from flows import cli, exported, journal_with, run_typed
from paths import ROOT

TURN = {"state": "today", "prompt": "What happened today?", "answer": "he was wiretapped data"}


# -- the command line -------------------------------------------------------------------------


def test_version_is_the_package_version():
    version = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.M)
    result = cli("--version")
    assert result.returncode == 0 and result.stdout == f"reflect {version[1]}\n"
    assert __version__ == version[1]


def test_every_command_comes_from_one_table():
    """Sessions (a script, rehearse, breathe, pause) and tools alike: one row each, from which
    the usage text and the parser come."""
    text = usage()
    assert tuple(c.name for c in COMMANDS if c.name != SCRIPT) == NAMES
    assert {"rehearse", "breathe", "pause", "history", "setup"} <= set(NAMES)
    for command in COMMANDS:
        name = "evening" if command.name == SCRIPT else command.name
        assert command.about in text
        assert parser_for(name, command).prog == f"reflect {name}"
        assert (f"reflect {command.name}" in text) or command.name == SCRIPT
    assert cli("--help").stdout == f"usage: {text}\n"


def test_each_session_kind_says_what_it_is_in_its_help():
    assert "Run a reflection script." in cli("evening", "--help").stdout
    assert "A guided breathing exercise." in cli("breathe", "--help").stdout
    rehearse = cli("rehearse", "--help")
    assert rehearse.returncode == 0 and "usage: reflect rehearse" in rehearse.stdout


def test_options_for_spoken_answers_are_said_to_be_unused_with_typed(tmp_path):
    result = cli(
        "journal", "--typed", "--silent", "--model", str(tmp_path / "nowhere"),
        "--data-dir", str(tmp_path / "d"), stdin="a quiet day\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "reflect: --model is for spoken answers; with --typed it is not used" in result.stderr


def test_a_typed_command_said_politely_is_still_the_command(tmp_path, commands):
    done = run_typed("evening", ["repeat please", "please skip", "stop now"], data_dir=tmp_path)
    script = find_script("evening", DIALOGS_DIR)
    today = script.states["today"].prompt
    assert done.said[1:4] == [today, today, script.states["fear"].prompt]
    assert done.stored == []  # nothing was answered: nothing kept
    assert commands.match("I wanted to stop please") is None  # still an answer


# -- damaged sessions -------------------------------------------------------------------------


def test_a_damaged_session_is_marked_in_history_and_named_by_repair(tmp_path):
    good = journal_with(tmp_path, TURN)
    bad = journal_with(tmp_path, {**TURN, "answer": "soon garbled"})
    path = tmp_path / "sessions" / f"{bad}.json"
    path.write_bytes(path.read_bytes()[:40])
    history = cli("history", "--data-dir", str(tmp_path))
    assert history.returncode == 0
    rows = {line.split()[0]: line for line in history.stdout.splitlines()}
    assert "damaged" in rows[bad] and "completed 1 answer" not in rows[bad]
    assert "completed" in rows[good] and "1 answer" in rows[good]
    assert f"{path} is damaged" in history.stderr
    repair = cli("repair", "--data-dir", str(tmp_path))
    assert repair.returncode == 0
    assert "the index lists 2 sessions" in repair.stderr
    assert f"damaged: {bad};" in repair.stderr and "a copy in backups/" in repair.stderr
    assert path.read_bytes()  # never written over


def test_a_damaged_index_stops_everything_until_repaired(tmp_path):
    journal_with(tmp_path, {**TURN, "answer": "first"})
    journal_with(tmp_path, {**TURN, "answer": "second"})
    index = tmp_path / "index.json"
    index.write_bytes(index.read_bytes()[:-20])
    damaged = index.read_bytes()
    for args in (["history"], ["evening", "--typed", "--silent"]):
        result = cli(*args, "--data-dir", str(tmp_path), stdin="an answer\n")
        assert result.returncode == 4
        message = result.stderr.strip()
        assert message.startswith(f"reflect: the journal file {index} is damaged (not JSON")
        assert message.endswith("`reflect repair` rebuilds the index from the session files")
        assert index.read_bytes() == damaged and len(message.splitlines()) == 1
    [copy] = (tmp_path / "backups").iterdir()
    assert copy.read_bytes() == damaged and str(copy) in message
    repaired = cli("repair", "--data-dir", str(tmp_path))
    assert repaired.returncode == 0, repaired.stderr
    assert "the index lists 2 sessions" in repaired.stderr
    answers = [s.turns[0].answer for s in Journal(tmp_path).sessions()]
    assert sorted(answers) == ["first", "second"]  # both started in the same second


def test_empty_typed_input_leaves_no_session(tmp_path):
    result = cli("journal", "--typed", "--silent", "--data-dir", str(tmp_path), stdin="")
    assert result.returncode == 0, result.stderr
    assert "nothing was said, so nothing was kept" in result.stderr
    history = cli("history", "--data-dir", str(tmp_path))
    assert history.stdout == "" and "no sessions yet" in history.stderr


# -- correcting what was heard ----------------------------------------------------------------


def test_edit_one_answer_keeps_what_was_heard_beside_it(tmp_path):
    sid = journal_with(tmp_path, TURN, {**TURN, "state": "fear", "answer": "being left"})
    result = cli(
        "edit", sid[:4], "--turn", "1", "--text", "he was quiet at dinner",
        "--data-dir", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"session {sid}: 1 answer corrected" in result.stderr
    [session] = exported(tmp_path)
    first, second = session["turns"]
    assert first["answer"] == "he was quiet at dinner"
    assert first["heard"] == "he was wiretapped data"
    assert "heard" not in second  # untouched
    diary = cli("show", sid, "--data-dir", str(tmp_path)).stdout
    assert "he was quiet at dinner" in diary and "first heard as: he was wiretapped data" in diary
    # corrected again, the first transcript stays; corrected back, there is nothing beside it
    cli("edit", sid, "--turn", "1", "--text", "he was quiet", "--data-dir", str(tmp_path))
    assert exported(tmp_path)[0]["turns"][0]["heard"] == "he was wiretapped data"
    cli("edit", sid, "--turn", "1", "--text", TURN["answer"], "--data-dir", str(tmp_path))
    assert "heard" not in exported(tmp_path)[0]["turns"][0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--turn", "3", "--text", "x"], "has 1 answers; there is no answer 3"),
        (["--turn", "1", "--text", "  "], "answer 1 would be empty"),
        (["--turn", "1"], "--turn N and --text go together"),
    ],
)
def test_edit_mistakes_are_one_line_and_change_nothing(tmp_path, args, message):
    sid = journal_with(tmp_path, TURN)
    before = (tmp_path / "sessions" / f"{sid}.json").read_bytes()
    result = cli("edit", sid, *args, "--data-dir", str(tmp_path))
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "sessions" / f"{sid}.json").read_bytes() == before


def test_edit_in_the_editor_saves_every_changed_answer(tmp_path, monkeypatch):
    sid = journal_with(tmp_path, TURN, {**TURN, "state": "fear", "answer": "being left"})
    editor = tmp_path.parent / f"{tmp_path.name}-editor.py"  # not inside the journal
    editor.write_text(
        textwrap.dedent("""\
        import pathlib, stat, sys
        path = pathlib.Path(sys.argv[1])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text()
        path.write_text(text.replace("he was wiretapped data", "he was quiet at dinner"))
    """)
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.setenv("VISUAL", "")
    result = cli("edit", sid, "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"session {sid}: 1 answer corrected" in result.stderr
    turns = exported(tmp_path)[0]["turns"]
    assert [t["answer"] for t in turns] == ["he was quiet at dinner", "being left"]
    assert turns[0]["heard"] == "he was wiretapped data"


def test_an_edited_file_whose_shape_was_changed_is_refused():
    text = "# header\n== answer 1 ==\n# prompt\nfirst\n== answer 2 ==\nsecond\nmore\n"
    assert parse_edited(text, 2) == {1: "first", 2: "second\nmore"}
    assert parse_edited("== answer 1 ==\nfirst\n", 2) == {1: "first"}  # 2 is left as it was
    with pytest.raises(BadInputError, match=r"answers \[3\], not 1 to 2"):
        parse_edited("== answer 3 ==\nfirst\n", 2)
    with pytest.raises(BadInputError, match="line 1: text before the first answer line"):
        parse_edited("stray\n== answer 1 ==\nfirst\n", 1)


# -- the export -------------------------------------------------------------------------------


def test_export_keeps_turn_keys_it_does_not_know(tmp_path):
    journal_with(tmp_path, {**TURN, "feedback": "slow down a little", "pace_wpm": 142})
    [turn] = json.loads(to_json(Journal(tmp_path).sessions()))["sessions"][0]["turns"]
    assert turn["feedback"] == "slow down a little" and turn["pace_wpm"] == 142
    assert list(turn)[:3] == ["state", "prompt", "answer"]  # the contract's keys first


def test_the_diary_shows_safety_replies_as_said_not_as_answers_to_the_menu():
    menu = "You can say breathe, continue, pause or stop."
    session = SessionRecord.from_dict({
        "id": "abcd1234", "script": "evening", "status": "safety",
        "started_at": "2026-01-01T21:00:00+00:00",
        "turns": [
            {"state": "today", "prompt": "What happened today?", "answer": "i want to die"},
            {"state": "safety", "prompt": menu, "answer": "i'm fine"},
            {"state": "safety", "prompt": "Are you safe right now?", "answer": "yes"},
        ],
    })  # fmt: skip
    diary = to_markdown([session])
    assert menu not in diary and "Are you safe right now?" not in diary
    assert diary.count("\n**") == 1  # one question heading: the script's
    assert "*During the check-in:* i'm fine" in diary and "*During the check-in:* yes" in diary
    only_replies = to_markdown([replace(session, turns=session.turns[1:])])
    assert "*(no question was answered)*" in only_replies


def test_commands_file_mistakes_name_line_key_and_fix(tmp_path):
    text = (DIALOGS_DIR / "commands.yaml").read_text()
    cases = [
        ("  stop: [stop,", "  stop: [thats all, stop,", 'closing[0]: "that\'s all" is already'),
        ("  skip: [skip,", "  skip: [repeat,", "commands.skip[0]: 'repeat' is already a phrase"),
        ("closing:", "closng:", "closng: unknown key; did you mean 'closing'?"),
        ("  first: ", "  frist: ", "replies.frist: unknown key; did you mean 'first'?"),
    ]
    for old, new, message in cases:
        assert text.count(old) == 1, old
        path = tmp_path / "commands.yaml"
        path.write_text(text.replace(old, new))
        with pytest.raises(BadScriptError) as caught:
            load_commands(path)
        where, _, rest = str(caught.value).partition(": ")
        assert where.startswith(f"{path}:") and where.rsplit(":", 1)[1].isdigit(), where
        assert message in rest, rest
