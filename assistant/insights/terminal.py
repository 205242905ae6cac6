"""`reflect insights`: the figures in the terminal, drawn with rich: a summary in plain words
first, then each figure; how each was got only with --explain."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from assistant.insights import phrases
from assistant.insights.compute import Insights, TopicCount, quote

_BLOCKS = "▁▂▃▄▅▆▇█"
NOTHING_YET = "Nothing has come up often enough yet to show what sets the feeling off."


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


def render(insights: Insights, explain: bool = False) -> RenderableType:
    parts: list[RenderableType] = [Text(phrases.heading(insights), style="bold underline")]
    parts += [Text(sentence) for sentence in phrases.summary(insights)]
    if not insights.entries and not explain:
        return Group(*parts)

    def how(text: str) -> list[Text]:
        return [_how(text)] if explain else []

    rating = insights.rating
    if rating.points or explain:
        parts += [_title("How secure you felt"), Text(phrases.rating_sentence(rating))]
    if rating.points:
        spark = _sparkline([r for _, r in rating.points])
        parts.append(Text(f"{spark}  (1 to 10, one mark per rated session)", "green"))
    parts += how(rating.how)
    parts += [_title("Days reflected"), Text(phrases.days_sentence(insights.days))]
    parts += how(insights.days.how)
    sessions, themes = len(insights.entries), insights.themes
    if themes.triggers or themes.themes or explain:
        parts += [
            _title("What tends to set the feeling off"),
            _counts(themes.triggers, sessions),
            _title("Where it may come from"),
            _counts(themes.themes, sessions),
            *how(themes.how),
        ]
    else:
        parts += [_title("What keeps coming up"), Text(NOTHING_YET)]
    parts.append(_title("Worries you came back to"))
    for worry in insights.worries.repeated:
        parts.append(Text(phrases.worry_sentence(worry)))
        parts += [Text(f"  “{said}”", style="italic") for said in worry.quotes]
    if not insights.worries.repeated:
        parts.append(Text("No worry has come back often enough to point out."))
    parts += how(insights.worries.how)
    if explain:  # the word counts are method more than meaning: shown when asked
        parts.append(_title("Language, week by week"))
        table = Table("week of", "words", "absolutist words", "I and you", box=None,
                      padding=(0, 2))  # fmt: skip
        for week in insights.language.weeks:
            table.add_row(
                phrases.day_text(week.start),
                str(week.words),
                phrases.percent(week.absolutist_share),
                phrases.balance(week),
            )
        parts += [table, *how(insights.language.how_absolutist)]
        parts += how(insights.language.how_i_you)
    moments = [m for m in insights.on_this_day if m.entries]
    if moments:
        parts.append(_title("On this day"))
    for moment in moments:
        when = f"{moment.label} ({phrases.day_text(moment.day)})"
        for entry in moment.entries:
            said = entry.answers[0].text if entry.answers else ""
            parts.append(Text(f"{when}: “{quote(said)}” (session {entry.id})"))
    if not explain:
        parts.append(Text("\nHow each of these is worked out: reflect insights --explain",
                          style="dim"))  # fmt: skip
    return Group(*parts)


def print_insights(insights: Insights, console: Console, explain: bool = False) -> None:
    console.print(render(insights, explain), highlight=False)
