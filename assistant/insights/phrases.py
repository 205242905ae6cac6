"""The sentences the insights are told in, shared by the terminal and the HTML report: plain,
warm, never a diagnosis."""

from __future__ import annotations

from datetime import date

from assistant.base.text import plural
from assistant.insights.compute import Days, Insights, RatingTrend, RepeatedWorry, Trend, Week


def day_text(day: date) -> str:
    """'Monday 7 December 2026', as a person writes a date."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def span_text(first: date, last: date) -> str:
    """'on Monday 7 December 2026', or 'between ... and ...' for two days."""
    if first == last:
        return f"on {day_text(first)}"
    return f"between {day_text(first)} and {day_text(last)}"


def heading(insights: Insights) -> str:
    sessions = plural(len(insights.entries), "session")
    weeks = plural(insights.weeks, "week")
    return f"The last {weeks}, since {day_text(insights.start)}: {sessions}"


def summary(insights: Insights) -> list[str]:
    """The plain-words summary that comes first: what the weeks held, no method."""
    if not insights.entries:
        return [
            "Nothing to look back on in these weeks yet.",
            "After a few evenings, this shows how secure you have felt, what tends to set the "
            "feeling off, and worries that keep coming back.",
        ]
    days, rating = insights.days, insights.rating
    said = [f"You reflected on {plural(len(days.reflected), 'day')} in these weeks."]
    if rating.trend is Trend.TOO_FEW and not rating.points:
        said.append("No ratings yet: the evening ends by asking how secure you feel, 1 to 10.")
    elif rating.trend is Trend.TOO_FEW:
        said.append(f"You rated how secure you felt {plural(len(rating.points), 'time')}; a "
                    "direction shows after a few more evenings.")  # fmt: skip
    else:
        said.append(rating_sentence(rating))
    top = (*insights.themes.triggers, *insights.themes.themes)
    if top:
        most = max(top, key=lambda c: c.sessions)
        said.append(f"What came up most: {most.topic.label} ({most.sessions} of "
                    f"{plural(len(insights.entries), 'session')}).")  # fmt: skip
    for worry in insights.worries.repeated[:1]:
        said.append(f"A worry that keeps coming back: {worry.topic.label}.")
    return said


def rating_sentence(rating: RatingTrend) -> str:
    if rating.trend is Trend.TOO_FEW:
        return (
            "Not enough ratings yet to see a direction. The evening ends by asking how secure "
            "you feel, from one to ten."
        )
    assert rating.first_half_mean is not None and rating.second_half_mean is not None
    first, last = rating.first_half_mean, rating.second_half_mean
    means = f"{first:.1f} on average at first, {last:.1f} lately"
    if rating.trend is Trend.RISING:
        return f"Feeling more secure over these weeks: {means}."
    if rating.trend is Trend.FALLING:
        return (
            f"Feeling less secure over these weeks: {means}. Harder stretches come and go; it "
            "may help to talk it over with someone you trust."
        )
    return f"Fairly steady over these weeks: {means}."


def days_sentence(days: Days) -> str:
    streak = (
        f"a streak of {plural(days.current_streak_days, 'day')}"
        if days.current_streak_days
        else "no streak running right now, and that is fine"
    )
    return (
        f"{len(days.reflected)} of {days.period_days} days reflected; {streak} "
        f"(longest in this period: {plural(days.longest_streak_days, 'day')})."
    )


def worry_sentence(worry: RepeatedWorry) -> str:
    ways = len(worry.wordings)
    said = f", in {ways} different ways" if ways > 1 else ""
    label = worry.topic.label[:1].upper() + worry.topic.label[1:]
    return (
        f"{label} came back on {plural(worry.sessions, 'evening')}{said}, "
        f"{span_text(worry.first, worry.last)}. Going over a worry again and again "
        f"is very human, and it says how much this matters to you. It may help to practise "
        f"{worry.rehearsal_about} (reflect rehearse {worry.topic.rehearsal})."
    )


def percent(share: float | None) -> str:
    return "too few words" if share is None else f"{100 * share:.1f}%"


def balance(week: Week) -> str:
    if week.i_share is None:
        return "too few words"
    return f"{100 * week.i_share:.0f}% I, {100 * (1 - week.i_share):.0f}% you"
