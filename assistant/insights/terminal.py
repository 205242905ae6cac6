"""`reflect insights`: the figures in the terminal, drawn with rich; each with how it was got."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from assistant.insights import phrases
from assistant.insights.compute import Insights, TopicCount, quote

_BLOCKS = "▁▂▃▄▅▆▇█"


def _how(text: str) -> Text:
    return Text(f"how: {text}", style="dim")


def _title(text: str) -> Text:
    return Text(f"\n{text}", style="bold")


def _sparkline(values: list[int]) -> str:
    return "".join(_BLOCKS[round((v - 1) / 9 * (len(_BLOCKS) - 1))] for v in values)


def _counts(counts: tuple[TopicCount, ...], sessions: int) -> RenderableType:
    if not counts:
        return Text("nothing often enough to list yet")
    table = Table.grid(padding=(0, 2))
    for c in counts:
        bar = "█" * max(1, round(20 * c.sessions / max(1, sessions)))
        table.add_row(c.topic.label, f"{c.sessions} of {sessions} sessions", Text(bar, "cyan"))
    return table


def render(insights: Insights) -> RenderableType:
    parts: list[RenderableType] = [Text(phrases.heading(insights), style="bold underline")]
    rating = insights.rating
    parts += [_title("How secure you felt"), Text(phrases.rating_sentence(rating))]
    if rating.points:
        spark = _sparkline([r for _, r in rating.points])
        parts.append(Text(f"{spark}  (1 to 10, one mark per rated session)", "green"))
    parts.append(_how(rating.how))
    parts += [
        _title("Days reflected"),
        Text(phrases.days_sentence(insights.days)),
        _how(insights.days.how),
    ]
    sessions = len(insights.entries)
    parts += [
        _title("What tends to set the feeling off"),
        _counts(insights.themes.triggers, sessions),
        _title("Where it may come from"),
        _counts(insights.themes.themes, sessions),
        _how(insights.themes.how),
        _title("Worries you came back to"),
    ]
    for worry in insights.worries.repeated:
        parts.append(Text(phrases.worry_sentence(worry)))
        parts += [Text(f"  “{said}”", style="italic") for said in worry.quotes]
    if not insights.worries.repeated:
        parts.append(Text("No worry has come back often enough to point out."))
    parts.append(_how(insights.worries.how))
    parts.append(_title("Language, week by week"))
    table = Table("week of", "words", "absolutist words", "I and you", box=None, padding=(0, 2))
    for week in insights.language.weeks:
        table.add_row(
            phrases.day_text(week.start),
            str(week.words),
            phrases.percent(week.absolutist_share),
            phrases.balance(week),
        )
    parts += [
        table,
        _how(insights.language.how_absolutist),
        _how(insights.language.how_i_you),
        _title("On this day"),
    ]
    for moment in insights.on_this_day:
        when = f"{moment.label} ({phrases.day_text(moment.day)})"
        if not moment.entries:
            parts.append(Text(f"{when}: no session", style="dim"))
        for entry in moment.entries:
            said = entry.answers[0].text if entry.answers else ""
            parts.append(Text(f"{when}: “{quote(said)}” (session {entry.id})"))
    return Group(*parts)


def print_insights(insights: Insights, console: Console) -> None:
    console.print(render(insights), highlight=False)
