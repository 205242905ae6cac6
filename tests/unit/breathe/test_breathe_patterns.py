"""Breathing patterns are data: a user can add one, and every mistake is one line naming the
file, the line, the key and the fix."""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from assistant.base.errors import BadInputError, BadScriptError
from assistant.breathe.patterns import Breath, find_pattern, load_pattern, load_patterns

GOOD = """\
description: In for three, out for six.
phases:
  - breath: in
    seconds: 3
    say: In
  - breath: out
    seconds: 6.05
    say: Out
rounds: 5
"""


def write(folder: Path, text: str, name: str = "slow.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_a_user_pattern_loads_and_is_found_by_its_file_name(tmp_path):
    write(tmp_path, GOOD)
    pattern = find_pattern("slow", tmp_path)
    assert pattern.phases[1].duration_s == Fraction(121, 20)  # exact, not a nearby float
    assert pattern.round_s == Fraction(181, 20) and pattern.rounds == 5
    assert pattern.minutes is None and pattern.tone_after_rounds is None
    assert pattern.fill_levels() == ((0.0, 1.0), (1.0, 0.0))
    assert set(load_patterns(tmp_path)) == {"slow"}
    with pytest.raises(BadInputError, match=r"unknown breathing pattern 'box'; patterns: slow"):
        find_pattern("box", tmp_path)


def test_fill_levels_of_two_in_breaths_add_up_to_full():
    levels = find_pattern("cyclic-sighing").fill_levels()
    assert levels[0] == (0.0, pytest.approx(2 / 3)) and levels[1][1] == 1.0
    assert levels[2] == (1.0, 0.0)
    assert [p.breath for p in find_pattern("box").phases][1] is Breath.HOLD


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("rounds: 5", "rounds: 5\nminute: 3"),
            r":10: minute: unknown key; did you mean 'minutes'\?",
        ),
        (("rounds: 5", "rounds: 5\nminutes: 3"), r":1: rounds: give either rounds: N or minutes"),
        (("rounds: 5", "rounds: 0"), r":9: rounds: expected a whole number from 1 to 500"),
        (("seconds: 3", "seconds: 0.1"), r":4: phases\[0\].seconds: expected a number from 0.5"),
        (("seconds: 3", "seconds: '3'"), r":4: phases\[0\].seconds: expected a number"),
        (("breath: in", "breath: inhale"), r":3: phases\[0\].breath: expected one of in, hold"),
        (("breath: out", "breath: hold"), r":2: phases: add a phase with breath: out"),
        (("say: In", "sya: In"), r":5: phases\[0\].sya: unknown key; did you mean 'say'\?"),
        (("say: Out", "say: 'Out {name}'"), r":8: phases\[1\].say: unknown placeholder \{name\}"),
        (("description: In for three, out for six.", ""), r"description: expected a line of text"),
    ],
)
def test_mistakes_name_file_line_key_and_fix(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(BadScriptError, match=message) as caught:
        load_pattern(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_a_file_name_that_cannot_be_typed_as_a_name_is_refused(tmp_path):
    path = write(tmp_path, GOOD, name="Slow Breath.yaml")
    with pytest.raises(BadScriptError, match=r"file name: 'Slow Breath.yaml': rename it"):
        load_pattern(path)
