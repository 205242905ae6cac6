"""base/phrase_compiler: the one compiler for the phrases of dialogs/safety.yaml and
dialogs/coaching.yaml (words, a/b choices, {slots}, ... gaps, fillers), and its mistakes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.base.datafile import Reader, load_yaml
from assistant.base.errors import BadScriptError
from assistant.base.phrase_compiler import PhraseCompiler, Style, read_spellings
from assistant.base.text import to_words

FILE = """\
spellings: {im: i am}
slots:
  he: [he, she, "{partner}"]
  partner: [my partner, my boyfriend]
  relative: [sister, brother]
  me: [me, her]
phrases:
  - "{he} hits {me}"
  - want/wants/wanted to die
  - "{i_am} ... scared"
  - "{relative}'s husband"
  - i feel
  - i feel ... scared
"""
SAFETY = Style(by_words=False, lazy_gaps=True, patterns_key="patterns")
COACH = Style(by_words=True, lazy_gaps=False)


def compiler(
    tmp_path: Path, text: str = FILE, style: Style = SAFETY
) -> tuple[PhraseCompiler, dict]:
    path = tmp_path / "phrases.yaml"
    path.write_text(text, encoding="utf-8")
    data = load_yaml(path)
    r = Reader(path)
    comp = PhraseCompiler(r, read_spellings(r, data, "spellings", "spellings"), style)
    comp.add_slots(data, "slots", "slots")
    comp.add_slot("i_am", {"i_am": ["i am"]}, "i_am", "i_am")
    comp.set_gap(3, ["he", "she", "i"])
    return comp, data


def match(comp: PhraseCompiler, phrase: str, said: str) -> str | None:
    regex = re.compile(comp.phrase(phrase, ({}, None, "test")).regex)
    found = regex.search(" ".join(to_words(said, comp.spellings)))
    return found.group(0) if found else None


def test_slots_choices_and_gaps_match_whole_words(tmp_path):
    comp, _ = compiler(tmp_path)
    assert match(comp, "{he} hits {me}", "My boyfriend hits me") == "my boyfriend hits me"
    assert match(comp, "want/wants/wanted to die", "she wants to die") == "wants to die"
    assert match(comp, "want/wants/wanted to die", "she wanted to diet") is None
    assert match(comp, "{i_am} ... scared", "Im really very scared") == "i am really very scared"
    assert match(comp, "{i_am} ... scared", "i am sure he is scared") is None  # not across "he"
    assert match(comp, "{relative}'s husband", "my sister's husband") == "sister's husband"


def test_fillers_may_stand_between_any_two_words(tmp_path):
    comp, _ = compiler(tmp_path)
    assert match(comp, "wants to die", "wants to really die") is None
    comp.set_fillers(["really", "kind of"])
    comp.tokens.clear()
    assert (
        match(comp, "wants to die", "wants to really kind of die") == "wants to really kind of die"
    )


def test_a_lazy_gap_takes_the_fewest_words_a_greedy_one_the_most(tmp_path):
    said = "i am so scared so scared"
    lazy, _ = compiler(tmp_path)
    greedy, _ = compiler(tmp_path, style=COACH)
    assert match(lazy, "{i_am} ... scared", said) == "i am so scared"
    assert match(greedy, "{i_am} ... scared", said) == "i am so scared so scared"


def test_by_words_a_list_tries_its_longest_phrase_first(tmp_path):
    said = "i feel very scared"
    by_file, _ = compiler(tmp_path)
    by_words, _ = compiler(tmp_path, style=COACH)
    in_order = re.compile(by_file.alternative({"p": ["i feel", "i feel ... scared"]}, "p", "p"))
    longest = re.compile(by_words.alternative({"p": ["i feel", "i feel ... scared"]}, "p", "p"))
    assert in_order.search(said).group(0) == "i feel"
    assert longest.search(said).group(0) == "i feel very scared"


def test_a_rule_knows_a_word_every_match_holds(tmp_path):
    comp, _ = compiler(tmp_path)
    piece = comp.phrase("{he} hits {me}", ({}, None, "test"))
    assert piece.needs == frozenset({"hits"}) and piece.words == 4


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("{hee} hits", "unknown slot {hee}; did you mean {he}? slots are {he}, {partner}"),
        ("want/ to die", "'want/' has an empty choice; write a/b/c"),
        ("to die ...", "a ... gap must stand between two words, not at an end"),
        ("to ... ... die", "two ... gaps in a row; use one"),
        ("(die|dead)", "'(die|dead)' is not a plain word; phrases are words, {slots}, a/b choices"),
        ("{he}x}", "'{he}x}': unmatched brace; write slots as {name}"),
    ],
)
def test_phrase_mistakes_name_file_line_key_and_fix(tmp_path, phrase, message):
    comp, _ = compiler(tmp_path)
    items = comp.reader.strings({"phrases": [phrase]}, "phrases", "phrases")
    with pytest.raises(BadScriptError, match=re.escape(message)):
        comp.alternative({"phrases": items}, "phrases", "phrases")


def test_slot_mistakes_are_found_where_the_slot_is(tmp_path):
    looped = FILE.replace("partner: [my partner, my boyfriend]", 'partner: ["{he}"]')
    comp, _ = compiler(tmp_path, looped)
    with pytest.raises(BadScriptError, match=r"phrases\.yaml:4: slots\.partner\[0\]: slots refer "
                       r"to each other in a loop \(\{he\} -> \{partner\} -> \{he\}\)"):  # fmt: skip
        comp.slot("he", ({}, None, "test"))
    gapped = FILE.replace("relative: [sister, brother]", "relative: [sister ... in law]")
    comp, _ = compiler(tmp_path, gapped)
    with pytest.raises(BadScriptError, match=r":5: slots\.relative\[0\]: a slot entry cannot"):
        comp.slot("relative", ({}, None, "test"))
    with pytest.raises(BadScriptError, match=r":1: spellings: expected a mapping"):
        compiler(tmp_path, FILE.replace("spellings: {im: i am}", "spellings: [im]"))
