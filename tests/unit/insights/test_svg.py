"""The report's inline charts: no script and nothing from outside, colours from CSS classes, a
gap in a series breaks its line, bars in proportion, one square per day of the calendar."""

from __future__ import annotations

import re
from datetime import date

from assistant.insights.phrases import day_text
from assistant.insights.svg import WIDTH, Series, bar_chart, calendar, line_chart


def numbers(text: str, name: str) -> list[float]:
    return [float(v) for v in re.findall(rf'{name}="([\d.]+)"', text)]


def test_a_line_chart_is_labelled_and_a_gap_breaks_its_line():
    chart = line_chart(
        "Ratings <1 to 10>",
        [Series([(0.0, 2.0), (0.25, 4.0), (0.5, None), (0.75, 6.0), (1.0, 10.0)])],
        (1, 10), [(1, "1"), (10, "10")], [(0.0, "01 Mar"), (1.0, "28 Mar")],
    )  # fmt: skip
    assert chart.startswith('<svg class="chart" role="img" aria-label="Ratings &lt;1 to 10&gt;"')
    assert f'viewBox="0 0 {WIDTH} 200"' in chart and "<script" not in chart
    assert "http" not in chart and "xmlns" not in chart  # nothing from outside the page
    assert chart.count("<polyline") == 2 and chart.count('class="line-dot"') == 4
    ys = numbers(chart, "cy")
    assert ys == sorted(ys, reverse=True)  # higher ratings are drawn higher up


def test_a_series_without_dots_draws_only_its_line():
    chart = line_chart("fit", [Series([(0.0, 1.0), (1.0, 2.0)], css="fit", dots=False)],
                       (0, 2), [], [])  # fmt: skip
    assert chart.count('<polyline class="fit"') == 1 and "<circle" not in chart


def test_bars_are_in_proportion_and_an_empty_total_draws_stubs():
    chart = bar_chart("Triggers", [("late replies", 30, "30 of 60"), ("plans", 15, "15 of 60")], 60)
    wide, half = numbers(chart, "width")[1:]  # after the svg's own width
    assert wide == 2 * half and "late replies" in chart and "30 of 60" in chart
    empty = bar_chart("Triggers", [("nothing yet", 0, "0 of 0")], 0)
    assert numbers(empty, "width")[1:] == [2.0]


def test_the_calendar_has_a_square_per_day_deeper_for_higher_ratings():
    start, end = date(2026, 3, 2), date(2026, 3, 15)  # two whole weeks, Monday to Sunday
    ratings = {date(2026, 3, 3): 2, date(2026, 3, 4): 9, date(2026, 3, 5): None}
    chart = calendar("Days reflected", start, end, ratings, day_text)
    assert chart.count('<rect class="day') == 14 and chart.count('class="day on"') == 3
    low, high, unrated = numbers(chart, "fill-opacity")
    assert low < unrated < high
    assert "<title>Wednesday 4 March 2026: rated 9</title>" in chart
    assert "<title>Thursday 5 March 2026: reflected</title>" in chart
    assert ">Mar</text>" in chart and chart.startswith('<svg style="width:')
