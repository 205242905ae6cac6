"""base/numbers: the number words and a rating's fillers, data in dialogs/numbers.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.base.errors import BadScriptError
from assistant.base.numbers import load_numbers, number_words
from assistant.insights.rating import parse_rating


def test_the_shipped_words_say_one_to_ten():
    numbers = number_words()
    assert numbers.values["seven"] == 7 and numbers.word(2) == "two" and numbers.word(12) == "12"
    assert "i'd" in numbers.rating_fillers and parse_rating("I'd say about a seven") == 7


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("words: {one: 1, uno: 1}\nrating_fillers: [a]\n", ":1: words.uno: 1 has a word already"),
        ("words: {one: one}\nrating_fillers: [a]\n", ":1: words.one: expected a whole number"),
        ("words: {one: 1}\nrating_filler: [a]\n", ":2: rating_filler: unknown key; did you mean"),
        ("words: {one: 1}\nrating_fillers: [a, no]\n", ":2: rating_fillers[1]: False is not a"),
    ],
)
def test_mistakes_name_the_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "numbers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadScriptError) as caught:
        load_numbers(path)
    assert str(caught.value).startswith(f"{path}{message}"), str(caught.value)
