"""The real state machine and journal driven by typed text: every command and path, in ms."""

from __future__ import annotations

import io

import pytest

from assistant.base.settings import DIALOGS_DIR, ListenSettings
from assistant.dialog.script import find_script
from assistant.events import Answer, Command, EndOfInput
from assistant.journal.store import Journal
from assistant.speech.typed import TypedListener

from conftest import private_modes
from flows import cli, exported, run_typed


def run(lines: list[str], data_dir, script: str = "evening"):
    done = run_typed(script, lines, data_dir=data_dir)
    return done.outcome, done.said, done.exported


def answers(session: dict) -> list[tuple[str, str]]:
    return [(t["state"], t["answer"]) for t in session["turns"]]


def test_a_whole_evening_in_order(data_dir):
    outcome, said, [session] = run(
        [
            "a late reply",
            "that he is losing interest",
            "my parents were distant",
            "to hear that he still cares",
            "call a friend",
            "I'd say a seven",
        ],
        data_dir,
    )
    assert outcome.status == session["status"] == "completed"
    assert session["turns"][-1]["rating"] == 7
    assert answers(session) == [
        ("today", "a late reply"),
        ("fear", "that he is losing interest"),
        ("roots", "my parents were distant"),
        ("need", "to hear that he still cares"),
        ("kindness", "call a friend"),
        ("secure", "I'd say a seven"),
    ]
    script = find_script("evening", DIALOGS_DIR)
    assert said == [
        script.intro,
        *(s.prompt for s in script.states.values() if not s.final),
        script.outro,
    ]
    assert [t["prompt"] for t in session["turns"]] == said[1:7]
    assert session["ended_at"] >= session["started_at"]


def test_repeat_skip_back(data_dir, commands):
    script = find_script("evening", DIALOGS_DIR)
    today, fear, need = (script.states[n].prompt for n in ("today", "fear", "need"))
    _, said, [session] = run(
        [
            "repeat that",
            "a late reply",
            "skip",
            "go back",
            "that he would leave",
            "go back",
            "go back",
            "go back",
            "stop",
        ],
        data_dir,
    )
    assert said[1:4] == [today, today, fear]  # repeat asks again; the answer belongs to it
    assert said[4] == need  # skipped fear: the script moves past 'roots' too
    assert said[5] == fear  # go back
    assert answers(session) == [("today", "a late reply"), ("fear", "that he would leave")]
    assert said[-3:] == [commands.replies["first"], today, commands.replies["stopped"]]
    assert session["status"] == "stopped"


def test_pause_waits_for_continue_and_keeps_what_is_said_meanwhile(data_dir, commands):
    _, said, [session] = run(
        ["pause", "I am making tea", "skip", "continue", "a cancelled plan", "stop"],
        data_dir,
    )
    assert commands.replies["paused"] in said and commands.replies["resumed"] in said
    # Saved (and, with safeguards, checked); other commands are passed over while paused.
    assert answers(session) == [("paused", "I am making tea"), ("today", "a cancelled plan")]
    assert session["status"] == "stopped"


def test_silence_asks_once_more_then_moves_on(data_dir, commands):
    script = find_script("evening", DIALOGS_DIR)
    _, said, [session] = run(["", "", "it was fine"], data_dir)
    assert said[1:5] == [
        script.states["today"].prompt,
        script.states["today"].reprompt,
        commands.replies["movingon"],
        script.states["fear"].prompt,
    ]
    assert answers(session) == [("fear", "it was fine")]


def test_an_answer_containing_a_command_word_is_an_answer(data_dir):
    _, _, [session] = run(["I wanted to stop texting him", "stop"], data_dir)
    assert answers(session) == [("today", "I wanted to stop texting him")]


def test_end_of_input_is_interrupted_and_keeps_every_answer(data_dir):
    outcome, _, [session] = run(["a late reply", "being left"], data_dir)
    assert outcome.status == session["status"] == "interrupted"
    assert len(session["turns"]) == 2


def test_journal_script_takes_one_free_answer(data_dir):
    memo = "today was long and I kept thinking about what she said at dinner " * 20
    outcome, _, [session] = run([memo], data_dir, script="journal")
    assert outcome.status == "completed"
    assert answers(session) == [("entry", memo.strip())]


def test_cli_typed_mode_pipes_answers_and_saves_privately(tmp_path):
    data = tmp_path / "d"
    result = cli(
        "evening",
        "--typed",
        "--silent",
        "--data-dir",
        str(data),
        stdin="a late reply\nskip\nstop\n",
    )
    assert result.returncode == 0, result.stderr
    assert "» What happened today" in result.stdout
    assert "  you: a late reply" in result.stdout
    assert "session" in result.stderr and "stopped" in result.stderr
    # the folder, sessions/; index.json, the session, settings.json (the first-run notice)
    assert private_modes(data) == (2, 3)
    assert [t["answer"] for t in exported(data)[0]["turns"]] == ["a late reply"]


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_private_even_under_a_permissive_umask(tmp_path, umask):
    import os

    old = os.umask(umask)
    try:
        run(["one answer"], tmp_path / "j")
    finally:
        os.umask(old)
    journal = Journal(tmp_path / "j")
    journal.set_config({"emergency": "112"})
    journal.lock("a passphrase of mine")  # lock and settings write files too
    journal.unlock()
    assert private_modes(tmp_path / "j") == (2, 3)  # + settings.json


def test_a_closing_phrase_alone_moves_on_without_storing(data_dir):
    script = find_script("evening", DIALOGS_DIR)
    _, said, [session] = run(["that's all", "being left", "stop"], data_dir)
    assert said[1:3] == [script.states["today"].prompt, script.states["fear"].prompt]
    assert answers(session) == [("fear", "being left")]


def test_a_typed_journal_entry_runs_over_many_lines_until_a_closing_phrase(tmp_path):
    done = run_typed("journal", ["para one", "para two", "that's all"], data_dir=tmp_path / "d")
    assert done.session["status"] == "completed"
    assert answers(done.session) == [("entry", "para one\npara two")]


def test_a_long_typed_answer_ends_at_an_empty_line_or_the_end_of_input(data_dir):
    _, _, [session] = run(["first line", "second line", "", "ignored"], data_dir,
                          script="journal")  # fmt: skip
    assert answers(session) == [("entry", "first line\nsecond line")]
    _, _, [_, later] = run(["only", "lines"], data_dir, script="journal")
    assert answers(later) == [("entry", "only\nlines")]


def test_a_command_on_its_own_line_ends_a_long_answer_and_is_then_heard(commands):
    long = ListenSettings(long_answer=True)
    listener = TypedListener(io.StringIO("one\ntwo\nskip\n"), commands)
    assert listener.listen(long) == Answer("one\ntwo")
    assert listener.listen(long) == Command("skip", "skip")
    assert isinstance(listener.listen(long), EndOfInput)


def test_elsewhere_one_line_is_one_answer(commands):
    listener = TypedListener(io.StringIO("one\ntwo\n"), commands)
    assert listener.listen(ListenSettings()) == Answer("one")
    assert listener.listen(ListenSettings()) == Answer("two")


def test_at_a_terminal_a_long_answer_says_how_to_end_it_in_typing_words(commands, capsys):
    listener = TypedListener(io.StringIO("one\n\nand\n"), commands, prompt="> ")
    listener.listen(ListenSettings(long_answer=True))
    hint = commands.replies["typed_long"]
    assert "empty line" in hint and "that's all" in hint and "say" not in hint
    assert capsys.readouterr().out.startswith(hint + "\n> ")
    listener.listen(ListenSettings())
    assert hint not in capsys.readouterr().out
