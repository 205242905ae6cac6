"""The coaching file's phrases compiled to patterns over plain words: a/b choices, {slots},
... gaps that never cross into another clause, exceptions that cancel what they overlap, and
each mistake one line naming the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.base.datafile import Reader, load_yaml
from assistant.base.errors import BadScriptError
from assistant.base.phrase_compiler import PhraseCompiler
from assistant.coach.phrases import COACH_STYLE, Matcher, overlaps, sentences
from assistant.coach.phrases import matcher as coach_matcher

SLOTS = {"softener": ["maybe", "a bit"], "self": ["i", "myself"]}


def compiler(path: Path = Path("coaching.yaml"), gap_words: int = 2) -> PhraseCompiler:
    made = PhraseCompiler(Reader(path), {}, COACH_STYLE)
    made.add_slots({"slots": SLOTS}, "slots", "slots")
    made.set_gap(gap_words, never_across=["and", "but"])
    return made


def matcher(phrases: list[str], excepts: list[str] | None = None) -> Matcher:
    group: dict = {"phrases": phrases}
    if excepts:
        group["except"] = excepts
    return coach_matcher(compiler(), group, "blame")


def test_text_is_matched_sentence_by_sentence_as_plain_words():
    said = "You NEVER listen! I'm tired; don't you see?"
    assert sentences(said, {}) == ["you never listen", "i am tired", "do not you see"]
    assert sentences("...  !", {}) == []


def test_a_choice_is_any_one_of_its_words_and_words_are_whole():
    blame = matcher(["you never/always listen"])
    assert blame.first("you never listen") == "you never listen"
    assert blame.first("but you always listen to her") == "you always listen"
    assert blame.spans("younever listen") == [] and blame.spans("you never listened") == []


def test_a_gap_spans_a_few_words_but_never_another_clause():
    blame = matcher(["you never ... listen"])
    assert blame.first("you never really do listen") == "you never really do listen"
    assert blame.spans("you never x y z listen") == []  # more than two words
    assert blame.spans("you never and then listen") == []  # "and" starts another clause


def test_a_slot_stands_for_its_phrases():
    soft = matcher(["{softener} tired"])
    assert soft.first("i am a bit tired") == "a bit tired"
    assert soft.first("maybe tired") == "maybe tired"
    assert matcher(["{self} tired"]).spans("self tired") == []  # the slot's words, not its name


def test_an_exception_cancels_the_matches_it_overlaps():
    blame = matcher(["you never ... listen"], excepts=["never ever"])
    assert blame.spans("you never ever listen") == []
    assert blame.first("you never really listen") == "you never really listen"
    assert overlaps((0, 5), (4, 9)) and not overlaps((0, 5), (5, 9))


def refused(tmp_path, phrases: str) -> str:
    """The error for a coaching file whose blame phrases are `phrases` (YAML under the key)."""
    path = tmp_path / "coaching.yaml"
    path.write_text(f"blame:\n  phrases:{phrases}")
    with pytest.raises(BadScriptError) as caught:
        coach_matcher(compiler(path), load_yaml(path)["blame"], "blame")
    return str(caught.value).replace(str(path), "FILE")


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("... you never", "a ... gap must stand between two words, not at an end"),
        ("you never//always", "has an empty choice; write a/b/c"),
        ("c++ is hard", "'c++' is not a plain word"),
        ("{softener}+ tired", "only letters and ' may be joined to a slot"),
        ("{mood} tired", "unknown slot {mood}; slots are {softener}, {self}"),
    ],
)
def test_a_mistake_names_the_file_line_and_key(tmp_path, phrase, message):
    error = refused(tmp_path, f'\n    - ok words\n    - "{phrase}"\n')
    assert error.startswith("FILE:4: blame.phrases[1]: ") and message in error


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        ("[yes, ok words]", "YAML read this word as true/false; put it in quotes"),
        ("[]", "expected a list with at least one entry"),
        ("[ok words, 3]", "expected a phrase (text)"),
    ],
)
def test_a_list_that_is_not_phrases_is_refused(tmp_path, listed, message):
    error = refused(tmp_path, f" {listed}\n")
    assert error.startswith("FILE:2: blame.phrases") and message in error
