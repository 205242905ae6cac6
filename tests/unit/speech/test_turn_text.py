"""dialogs/turn.yaml: transcripts that stop mid-clause, and requests for time."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.dialog.script import script_paths
from assistant.speech.turn_text import asks_for_time, ends_mid_clause, load_turn_words

MID_CLAUSE = [
    "i just needed some reassurance and because",
    "i just needed some reassurance and",
    "he said he was busy but",
    "i was scared that",
    "so",
    "we could talk or",
    "i would feel better if",
    "it started when",
    "the thing which",
    "i wanted to",
    "i keep checking the",
    "i felt like a",
    "i told my",
    "and then",
    "i was um",
    "it's kind of",
    "The evening was hard, and...",  # typed, with punctuation
    "I'm worried 'cause",
]
FINISHED = [
    "i just needed some reassurance",
    "I just needed some reassurance.",
    "i think so",
    "i don't think so",
    "i know that",
    "not really",
    "i didn't want to",
    "it felt like that",
    "that's how it was",
    "so do i",
    "we talked about it after dinner",
    "he hugged me and i felt safe",
    "sandwich",  # ends in "and" only as letters, not as a word
    "",
]


@pytest.mark.parametrize("text", MID_CLAUSE)
def test_mid_clause(text: str) -> None:
    assert ends_mid_clause(text)


@pytest.mark.parametrize("text", FINISHED)
def test_finished(text: str) -> None:
    assert not ends_mid_clause(text)


def test_requests_for_time() -> None:
    assert asks_for_time("give me a minute")
    assert asks_for_time("hmm hold on")
    assert asks_for_time("That's a hard one. Let me think.")
    assert not asks_for_time("let me think about what he said")
    assert not asks_for_time("i couldn't hold on to him")
    assert not ends_mid_clause("let me think")  # the holding phrases are complete as said


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "turn.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "mid_clause_endings: [and, so]\ncomplete_endings: [i think so]\nholding_phrases: [hold on]\n"


def test_the_shipped_file_loads_and_a_copy_of_it_too(tmp_path: Path) -> None:
    shipped = load_turn_words(DIALOGS_DIR / "turn.yaml")
    assert ("because",) in shipped.mid_clause and ("hold", "on") in shipped.holding
    small = load_turn_words(write(tmp_path, GOOD))
    assert small.ends_mid_clause("well so") and not small.ends_mid_clause("i think so")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("holding_phrases", "holding_phrase"), ":3: holding_phrase: unknown key; "
         "did you mean 'holding_phrases'?"),
        (GOOD.replace("[and, so]", "[and, so, And]"), ":1: mid_clause_endings[2]: 'And' is "
         "already item 0; remove one"),
        (GOOD.replace("[and, so]", "[and, no]"), ":1: mid_clause_endings[1]: False is not a "
         "word; put it in quotes"),
        (GOOD.replace("[i think so]", "[me too]"), ":2: complete_endings[0]: 'me too' does not "
         "end with a mid_clause_endings word"),
        (GOOD.replace("[hold on]", "[]"), ":3: holding_phrases: expected a list"),
    ],
)  # fmt: skip
def test_mistakes_are_one_line_naming_file_line_key_and_fix(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(BadScriptError) as caught:
        load_turn_words(path)
    assert str(caught.value).startswith(f"{path}{message}"), str(caught.value)
    assert "\n" not in str(caught.value)


def test_turn_yaml_is_not_offered_as_a_script() -> None:
    assert (DIALOGS_DIR / "turn.yaml").is_file()
    assert "turn" not in script_paths(DIALOGS_DIR)
