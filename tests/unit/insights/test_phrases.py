"""The sentences the insights are told in: plain and warm, a figure with its meaning, a hard
stretch met with a suggestion rather than a verdict."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.insights.compute import Days, RatingTrend, RepeatedWorry, Trend, Week
from assistant.insights.phrases import (
    balance,
    day_text,
    days_sentence,
    percent,
    plural,
    rating_sentence,
    worry_sentence,
)
from assistant.insights.vocabulary import Topic

MEANS = "4.0 on average at first, 6.5 lately."


def rating(trend: Trend, first: float | None = 4.0, last: float | None = 6.5) -> RatingTrend:
    return RatingTrend((), trend, None, None, first, last, "how")


def test_a_day_and_a_count_read_as_a_person_writes_them():
    assert day_text(date(2026, 3, 4)) == "Wednesday 4 March 2026"
    assert plural(1, "day") == "1 day" and plural(0, "day") == "0 days"
    assert plural(2, "evening") == "2 evenings" and plural(3, "child", "children") == "3 children"


@pytest.mark.parametrize(
    ("trend", "said"),
    [
        (
            Trend.RISING,
            "Feeling more secure over these weeks: 4.0 on average at first, 6.5 lately.",
        ),
        (Trend.STEADY, "Fairly steady over these weeks: 4.0 on average at first, 6.5 lately."),
    ],
)
def test_the_rating_direction_is_said_with_its_means(trend, said):
    assert rating_sentence(rating(trend)) == said


def test_a_falling_rating_is_met_with_a_suggestion_not_a_verdict():
    said = rating_sentence(rating(Trend.FALLING, 6.0, 4.25))
    assert said.startswith("Feeling less secure over these weeks: 6.0 on average at first, 4.2")
    assert "talk it over with someone you trust" in said


def test_too_few_ratings_say_where_ratings_come_from():
    said = rating_sentence(rating(Trend.TOO_FEW, None, None))
    assert said.startswith("Not enough ratings yet") and "from one to ten" in said


def test_days_reflected_with_and_without_a_streak():
    running = Days((date(2026, 3, 1),) * 5, 28, 3, 4, "how")
    assert days_sentence(running) == (
        "5 of 28 days reflected; a streak of 3 days (longest in this period: 4 days)."
    )
    broken = Days((), 28, 0, 1, "how")
    assert "no streak running right now, and that is fine" in days_sentence(broken)


def test_a_worry_that_came_back_is_named_kindly_with_a_rehearsal():
    topic = Topic("left", "the fear of being left", (), "worry")
    worry = RepeatedWorry(
        topic, "saying what you need", 4, date(2026, 3, 1), date(2026, 3, 20), ("left", "leave"), ()
    )
    said = worry_sentence(worry)
    assert said.startswith(
        "The fear of being left came back on 4 evenings, in 2 different ways, between "
        "Sunday 1 March 2026 and Friday 20 March 2026."
    )
    assert "very human" in said
    assert "practise saying what you need (reflect rehearse worry)." in said
    once = RepeatedWorry(topic, "it", 2, date(2026, 3, 1), date(2026, 3, 2), ("left",), ())
    assert "different ways" not in worry_sentence(once)


def test_shares_with_too_few_words_say_so():
    week = Week(date(2026, 3, 2), 400, 5, 30, 10, 0.0125, 0.75)
    assert percent(week.absolutist_share) == "1.2%" and balance(week) == "75% I, 25% you"
    quiet = Week(date(2026, 3, 2), 3, 0, 0, 0, None, None)
    assert percent(quiet.absolutist_share) == balance(quiet) == "too few words"
