"""`reflect insights` in the terminal: a summary in plain words first, every figure under its
heading, how each was got only with --explain, and what there is not yet said plainly."""

from __future__ import annotations

from rich.console import Console

from assistant.insights.terminal import print_insights

from insights_journal import computed, flat_sessions, planted_sessions


def shown(insights, explain: bool = True) -> str:
    console = Console(record=True, width=120, color_system=None)
    print_insights(insights, console, explain=explain)
    return console.export_text()


def test_the_planted_journal_is_told_under_its_headings():
    text = shown(computed(planted_sessions()))
    headings = ["How secure you felt", "Days reflected", "What tends to set the feeling off",
                "Where it may come from", "Worries you came back to", "Language, week by week",
                "On this day"]  # fmt: skip
    at = [text.index(h) for h in headings]
    assert at == sorted(at)  # in this order
    assert text.startswith("The last 12 weeks,")
    assert "Feeling more secure over these weeks" in text
    assert "(1 to 10, one mark per rated session)" in text  # the sparkline
    assert "late or missing replies" in text and "of 60 sessions" in text
    assert "The fear of being left came back on" in text
    assert text.count("how: ") >= 6  # each figure says how it was got
    assert "a month ago (" in text and "(session " in text


def test_an_empty_journal_says_there_is_nothing_yet():
    text = shown(computed([]))
    assert "Not enough ratings yet" in text and "nothing often enough to list yet" in text
    assert "No worry has come back often enough to point out." in text
    assert "too few words" in text  # on this day: only days that hold a session


def test_an_empty_journal_without_explain_is_a_few_plain_words_not_method():
    text = shown(computed([]), explain=False)
    assert "Nothing to look back on in these weeks yet." in text
    assert "how:" not in text and "lemma" not in text and "themes.yaml" not in text
    assert len(text.strip().splitlines()) <= 4


def test_the_planted_journal_without_explain_starts_with_its_summary_and_hides_the_method():
    text = shown(computed(planted_sessions()), explain=False)
    lines = text.splitlines()
    assert lines[1].startswith("You reflected on ") and "Feeling more secure" in lines[2]
    assert "What came up most: late or missing replies" in text
    assert "how:" not in text and "least-squares" not in text and "simplemma" not in text
    assert "reflect insights --explain" in text


def test_a_flat_journal_shows_no_worry_and_no_direction():
    text = shown(computed(flat_sessions()))
    assert "Fairly steady over these weeks" in text
    assert "No worry has come back often enough to point out." in text
