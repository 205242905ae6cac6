"""base/datafile.Reader: the typed reads every data file goes through, each mistake one line
naming the file, the line, the key path and the fix."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from assistant.base.datafile import Reader, load_yaml
from assistant.base.errors import BadScriptError

FILE = """\
title: "  A  calm   evening "
greeting: Hello {name}
count: 3
seconds: 5.45
flag: true
kind: hold
lines: [one, two, one]
phrases: ["I'm done", no]
section:
  a: 1
  b: 2
"""


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Reader, dict, Path]:
    path = tmp_path / "sample.yaml"
    path.write_text(FILE, encoding="utf-8")
    return Reader(path), load_yaml(path), path


def error(call) -> str:
    with pytest.raises(BadScriptError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_line_of_text_is_folded_to_single_spaces(loaded):
    r, data, _ = loaded
    assert r.text(data, "title", "title") == "A calm evening"
    assert r.text(data, "greeting", "greeting", ("name",)) == "Hello {name}"
    assert r.text(data, "missing", "missing", optional=True) == ""


def test_text_mistakes_name_the_file_line_key_and_fix(loaded):
    r, data, path = loaded
    assert error(lambda: r.text(data, "greeting", "greeting")) == (
        f"{path}:2: greeting: unknown placeholder {{name}}; remove it"
    )
    assert error(lambda: r.text(data, "greeting", "greeting", ("who", "when"))).endswith(
        "unknown placeholder {name}; use {who}, {when}"
    )
    assert error(lambda: r.text(data, "count", "count")) == (
        f"{path}:3: count: expected a line of text (in quotes if it has ':')"
    )
    assert error(lambda: r.text(data, "nope", "nope", problem="missing: write one")).endswith(
        "nope: missing: write one"
    )


def test_texts_in_turn_must_differ(loaded):
    r, data, path = loaded
    assert r.texts(data, "lines", "lines") == ("one", "two", "one")
    assert error(lambda: r.texts(data, "lines", "lines", repeated="twice; vary it")) == (
        f"{path}:7: lines[2]: twice; vary it"
    )
    assert error(lambda: r.texts(data, "lines", "lines", at_least=4, too_few="too few")) == (
        f"{path}:7: lines: too few"
    )


def test_phrases_are_normalised_and_a_bare_no_is_caught(loaded):
    r, data, path = loaded
    message = error(lambda: r.phrases(data, "phrases", "phrases", noun="word"))
    assert message.startswith(f"{path}:8: phrases[1]: False is not a word; put it in quotes")
    assert r.phrases(data, "lines", "lines") == ("one", "two", "one")
    assert error(lambda: r.phrases(data, "lines", "lines", distinct=True)).endswith(
        "lines[2]: 'one' is already item 0; remove one"
    )
    assert error(lambda: r.strings(data, "phrases", "phrases")).endswith(
        'phrases[1]: YAML read this word as true/false; put it in quotes ("no")'
    )
    assert r.strings(data, "absent", "absent", optional=True) == []
    assert error(lambda: r.strings(data, "absent", "absent")).endswith(
        "absent: expected a list with at least one entry"
    )


def test_numbers_whole_exact_and_in_range(loaded):
    r, data, path = loaded
    assert r.number(data, "count", "count", 1, 5, whole=True) == 3
    assert r.number(data, "seconds", "seconds", 0.5, 30, exact=True) == Fraction(109, 20)
    assert r.number(data, "seconds", "seconds", 0) == pytest.approx(5.45)
    assert error(lambda: r.number(data, "seconds", "seconds", 1, 5, whole=True)) == (
        f"{path}:4: seconds: expected a whole number from 1 to 5"
    )
    assert error(lambda: r.number(data, "count", "count", 4, unit="seconds")) == (
        f"{path}:3: count: expected a number of seconds at least 4"
    )
    assert error(lambda: r.number(data, "flag", "flag", 0)).endswith("expected a number at least 0")


def test_flags_and_choices(loaded):
    r, data, path = loaded
    assert r.flag(data, "flag", "flag") is True
    assert r.flag(data, "absent", "absent", default=False) is False
    assert (
        error(lambda: r.flag(data, "count", "count")) == f"{path}:3: count: expected true or false"
    )
    assert r.choice(data, "kind", "kind", ["in", "hold", "out"]) == "hold"
    assert error(lambda: r.choice(data, "kind", "kind", ["in", "out"])) == (
        f"{path}:6: kind: expected one of in, out"
    )
    assert error(lambda: r.choice(data, "kind", "kind", ["in"], 'expected "in"')).endswith(
        'kind: expected "in"'
    )


def test_a_mapping_refuses_unknown_keys_and_names_missing_ones(loaded):
    r, data, path = loaded
    assert r.mapping(data, "section", "section", {"a", "b"}) == {"a": 1, "b": 2}
    assert error(lambda: r.mapping(data, "section", "section", {"a", "bb"})) == (
        f"{path}:11: section.b: unknown key; did you mean 'bb'?"
    )
    assert error(lambda: r.mapping(data, "section", "section", {"a", "b", "c"}, {"c"})) == (
        f"{path}:9: section: missing key 'c'; add it"
    )
    assert error(lambda: r.mapping(data, "count", "count")) == (
        f"{path}:3: count: expected a mapping of keys"
    )


def test_a_list_item_is_read_like_a_value(loaded):
    r, data, path = loaded
    items = data["lines"]
    assert r.text(items, 1, "lines[1]") == "two"
    assert error(lambda: r.text(items, 5, "lines[5]")).startswith(f"{path}:7: lines[5]: expected")
