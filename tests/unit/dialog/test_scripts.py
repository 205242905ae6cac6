"""Dialog scripts load into a real transitions machine; mistakes name file, line, key and fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assistant.base.errors import BadInputError, BadScriptError
from assistant.base.settings import DIALOGS_DIR, ListenSettings
from assistant.dialog.machine import Dialog
from assistant.dialog.script import find_script, load_script, script_paths
from assistant.speech.commands import load_commands

GOOD = """\
description: A test script.
machine:
  initial: first
  states:
    - name: first
      prompt: First question?
    - name: second
      prompt: Second question?
      listen: {end_silence_s: 4}
    - name: end
      final: true
  transitions:
    - {trigger: next, source: first, dest: second}
    - {trigger: next, source: second, dest: end}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_shipped_scripts_load_and_finish():
    paths = script_paths(DIALOGS_DIR)
    assert {"evening", "journal"} <= set(paths)
    assert "commands" not in paths
    for path in paths.values():
        script = load_script(path)
        dialog = Dialog(script)
        for _ in range(20):
            if dialog.finished:
                break
            dialog.advance("an answer")
        assert dialog.finished, path


def test_evening_covers_the_reflection_and_branches_on_a_skipped_fear():
    script = find_script("evening", DIALOGS_DIR)
    assert list(script.states) == ["today", "fear", "roots", "need", "kindness", "secure", "end"]
    assert [n for n, st in script.states.items() if st.rating] == ["secure"]
    dialog = Dialog(script)
    dialog.advance("late reply")
    dialog.advance(None)  # fear skipped: asking where it comes from makes no sense
    assert dialog.state == "need"
    dialog = Dialog(script)
    dialog.advance("late reply")
    dialog.advance("that he is leaving")
    assert dialog.state == "roots"


def test_journal_is_one_long_open_prompt():
    script = find_script("journal", DIALOGS_DIR)
    first = script.states[script.initial]
    assert first.listen.max_answer_s >= 3600 and first.listen.end_silence_s > 3
    assert first.listen.long_answer  # typed, the entry runs over many lines
    assert [s.final for s in script.states.values()] == [False, True]


def test_per_state_listen_settings_override_the_script(tmp_path):
    script = load_script(write(tmp_path, GOOD))
    assert script.states["first"].listen.end_silence_s == ListenSettings().end_silence_s
    assert script.states["second"].listen.end_silence_s == 4.0


def test_shipped_commands_have_every_command():
    commands = load_commands(DIALOGS_DIR / "commands.yaml")
    assert commands.match("Repeat that.") == "repeat"
    assert commands.match("skip") == "skip"
    assert commands.match("I wanted to stop texting him") is None
    assert commands.is_closing("That's all")


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        (
            "      prompt: First question?",
            "      promt: First question?",
            6,
            "machine.states[0].promt: unknown key; did you mean 'prompt'?",
        ),
        (
            "dest: second}",
            "dest: secnd}",
            13,
            "machine.transitions[0].dest: no state 'secnd'; did you mean 'second'?",
        ),
        ("    - name: second", "    - name: second_q", 7, "no underscores"),
        (
            "{trigger: next, source: first, dest: second}",
            "{trigger: next, source: first, dest: second, conditions: os.system}",
            13,
            "unknown callback 'os.system'; known callbacks are ['answered', 'skipped']",
        ),
        (
            "{trigger: next, source: first, dest: second}",
            "{trigger: go, source: first, dest: second}",
            13,
            "unknown trigger 'go'",
        ),
        (
            "  initial: first",
            "  initial: start",
            3,
            "machine.initial: expected the name of a state",
        ),
        ("listen: {end_silence_s: 4}", "listen: {end_silence_s: 1}", 9, "thinking pause"),
        ("listen: {end_silence_s: 4}", "listen: {end_silnce_s: 4}", 9, "unknown listen setting"),
        (
            "    - {trigger: next, source: second, dest: end}\n",
            "",
            7,
            "nothing leaves state 'second' when the person answers",
        ),
        ("      prompt: Second question?", "      prompt: Second: question?", 8, "not valid YAML"),
        (
            "description: A test script.",
            "descripton: A test script.",
            1,
            "did you mean 'description'?",
        ),
        # shapes that would crash the loader or leave a session looping forever
        (
            "description: A test script.",
            "description: A test script.\n? [a, b]\n: 1",
            2,
            "a key must be plain text",
        ),
        (
            "dest: second}",
            "dest: second, conditions: answered}",
            5,
            "nothing leaves state 'first' when the person skips",
        ),
        ("{trigger: next,", "{trigger: [next],", 13, "unknown trigger ['next']"),
        ("dest: second}", "dest: [second]}", 13, "dest: expected one state name"),
        ("source: first,", "source: {a: 1},", 13, "source: expected a name or a list of names"),
        ("  initial: first", "  initial: [first]", 3, "machine.initial: expected the name"),
        (
            "dest: second}",
            "dest: second, unless: {answered: true}}",
            13,
            "unless: expected a name or a list of names",
        ),
        ("      prompt: First question?", "      prompt: First\x07 question?", 6, "not valid YAML"),
        (
            "description: A test script.",
            "description: A test script.\ndescription: again",
            2,
            "key 'description' appears twice",
        ),
        (
            "listen: {end_silence_s: 4}",
            "listen: {end_silence_s: .nan}",
            9,
            "expected a positive number of seconds",
        ),
        (
            "listen: {end_silence_s: 4}",
            "listen: {long_answer: 'yes'}",
            9,
            "long_answer: expected true or false",
        ),
        (
            "source: second, dest: end}",
            "source: second, dest: first}",
            5,
            "from state 'first' no path leads to a state with 'final: true'",
        ),
    ],
)
def test_mistakes_name_file_line_key_and_fix(tmp_path, old, new, line, expected):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(BadScriptError) as err:
        load_script(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert expected in message
    assert "\n" not in message


def test_unreachable_state_is_reported(tmp_path):
    text = GOOD.replace(
        "    - name: end\n", "    - name: lost\n      prompt: Never?\n    - name: end\n"
    )
    text = text.replace(
        "  transitions:\n", "  transitions:\n    - {trigger: next, source: lost, dest: end}\n"
    )
    with pytest.raises(BadScriptError, match="state 'lost' can never be reached from 'first'"):
        load_script(write(tmp_path, text))


def test_unknown_script_lists_known_ones():
    with pytest.raises(BadInputError, match="scripts: evening, journal"):
        find_script("evning", DIALOGS_DIR)
