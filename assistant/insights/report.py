"""`reflect report --html FILE`: the insights as one self-contained HTML page.

Inline CSS and SVG only: no script, no font, no address of anything outside the file, so it opens
the same offline and sends nothing anywhere. Light and dark follow the system
(prefers-color-scheme); the layout is one column that reads from a phone (390 px) to a desktop.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

from assistant.insights import phrases, svg
from assistant.insights.compute import Entry, Insights, TopicCount, Trend

CSS = """
:root { --bg: #fbfaf7; --fg: #24211c; --muted: #6b655b; --line: #ddd7cc; --card: #ffffff;
  --accent: #2f7d6d; --accent2: #b5651d; --faint: #efebe3; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #161513; --fg: #ece8e1; --muted: #a59e92; --line: #3a3731; --card: #1f1e1b;
    --accent: #6cc3ae; --accent2: #e5a062; --faint: #2a2824; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 760px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 0 0 0.5rem; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 16px; margin: 14px 0; }
p { margin: 0.4rem 0; }
.how { color: var(--muted); font-size: 0.85rem; }
.quote { font-style: italic; margin-left: 1rem; }
.warning { border-color: var(--accent2); }
svg.chart { display: block; width: 100%; max-width: 480px; height: auto; margin: 8px 0; }
svg.calendar { display: block; width: auto; max-width: 100%; height: auto; margin: 8px 0; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .tick { fill: var(--muted); font-size: 12px; }
svg .label { fill: var(--fg); font-size: 14px; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .line-dot { fill: var(--accent); }
svg .fit { fill: none; stroke: var(--accent2); stroke-width: 2; stroke-dasharray: 6 4; }
svg .second { fill: none; stroke: var(--accent2); stroke-width: 2; }
svg .second-dot { fill: var(--accent2); }
svg .bar { fill: var(--accent); }
svg .day { fill: var(--faint); stroke: var(--line); }
svg .day.on { fill: var(--accent); stroke: none; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); }
.scroll { overflow-x: auto; }
details { border-top: 1px solid var(--line); padding: 6px 0; }
summary { cursor: pointer; }
dt { font-weight: 600; margin-top: 0.5rem; }
dd { margin: 0.1rem 0 0.3rem 0; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 0.85rem; padding: 8px 0 24px; }
"""


def _footnotes(insights: Insights) -> str:
    """How each figure is worked out: at the end, for whoever wants the method."""
    hows = [
        ("How secure you felt", insights.rating.how),
        ("Days reflected", insights.days.how),
        ("What keeps coming up", insights.themes.how),
        ("Worries you came back to", insights.worries.how),
        ("Absolutist words", insights.language.how_absolutist),
        ("I and you", insights.language.how_i_you),
    ]
    items = "".join(f"<dt>{escape(name)}</dt><dd>{escape(how)}.</dd>" for name, how in hows)
    return (
        '<section class="how"><details><summary>How these are worked out</summary>'
        f"<dl>{items}</dl></details></section>"
    )


def _section(title: str, *body: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<section{klass}><h2>{escape(title)}</h2>{''.join(body)}</section>"


def _x(insights: Insights, day: date) -> float:
    span = (insights.today - insights.start).days or 1
    return (day - insights.start).days / span


def _x_ticks(insights: Insights) -> list[tuple[float, str]]:
    return [(0.0, f"{insights.start:%d %b}"), (1.0, f"{insights.today:%d %b}")]


def _rating(insights: Insights) -> str:
    rating = insights.rating
    body = [f"<p>{escape(phrases.rating_sentence(rating))}</p>"]
    if rating.points:
        one_day = len({d for d, _ in rating.points}) < 2  # dots, not a line straight up
        points = [(_x(insights, d), float(r)) for d, r in rating.points]
        series = [svg.Series(points, joined=not one_day)]
        if rating.slope_per_week is not None and rating.trend is not Trend.TOO_FEW:
            first = rating.points[0][0]
            mean_x = sum((d - first).days / 7 for d, _ in rating.points) / len(rating.points)
            mean_y = sum(r for _, r in rating.points) / len(rating.points)
            ends = (rating.points[0][0], rating.points[-1][0])
            fitted = [
                (_x(insights, d), mean_y + rating.slope_per_week * ((d - first).days / 7 - mean_x))
                for d in ends
            ]
            series.append(svg.Series(fitted, css="fit", dots=False))
        ticks = [(1, "1"), (5, "5"), (10, "10")]
        body.append(svg.line_chart("How secure you felt, 1 to 10", series, (1, 10), ticks,
                                   _x_ticks(insights)))  # fmt: skip
    return _section("How secure you felt", *body)


def _bars(title: str, counts: tuple[TopicCount, ...], sessions: int) -> str:
    if not counts:
        return f"<p>{escape(title)}: nothing often enough to show yet.</p>"
    rows = [(c.topic.label, c.sessions, f"{c.sessions} of {sessions}") for c in counts]
    return f"<p>{escape(title)}</p>" + svg.bar_chart(title, rows, sessions)


def _themes(insights: Insights) -> str:
    sessions = len(insights.entries)
    return _section(
        "What keeps coming up",
        _bars("What tends to set the feeling off", insights.themes.triggers, sessions),
        _bars("Where it may come from", insights.themes.themes, sessions),
    )


def _worries(insights: Insights) -> str:
    body = []
    for worry in insights.worries.repeated:
        body.append(f"<p>{escape(phrases.worry_sentence(worry))}</p>")
        body += [f'<p class="quote">“{escape(q)}”</p>' for q in worry.quotes]
    if not body:
        body.append("<p>No worry has come back often enough to point out.</p>")
    return _section("Worries you came back to", *body)


def _language(insights: Insights) -> str:
    weeks = insights.language.weeks
    n = max(1, len(weeks) - 1)
    ticks = [(0.0, f"{weeks[0].start:%d %b}"), (1.0, f"{weeks[-1].start:%d %b}")] if weeks else []
    absolutist = [(i / n, None if w.absolutist_share is None else 100 * w.absolutist_share)
                  for i, w in enumerate(weeks)]  # fmt: skip
    top = float(math.ceil(max([2.0, *(y for _, y in absolutist if y is not None)])))
    i_share = [(i / n, None if w.i_share is None else 100 * w.i_share) for i, w in enumerate(weeks)]
    rows = "".join(
        f"<tr><td>{w.start:%d %b}</td><td>{w.words}</td>"
        f"<td>{phrases.percent(w.absolutist_share)}</td><td>{escape(phrases.balance(w))}</td></tr>"
        for w in weeks
    )
    return _section(
        "Language, week by week",
        "<p>Absolutist words, share of all words (%)</p>",
        svg.line_chart("Absolutist words by week, percent", [svg.Series(absolutist)],
                       (0, top), [(0, "0"), (top, f"{top:.0f}")], ticks, height=150),
        "<p>“I” as a share of “I” and “you” (%)</p>",
        svg.line_chart("I as a share of I and you, by week", [svg.Series(i_share, "second")],
                       (0, 100), [(0, "0"), (50, "50"), (100, "100")], ticks, height=150),
        '<div class="scroll"><table><tr><th>week of</th><th>words</th><th>absolutist</th>'
        f"<th>I and you</th></tr>{rows}</table></div>",
    )  # fmt: skip


def _calendar(insights: Insights) -> str:
    reflected = set(insights.days.reflected)
    ratings: dict[date, int | None] = {day: None for day in reflected}
    for entry in insights.entries:
        if entry.day in reflected and entry.rating is not None:
            ratings[entry.day] = entry.rating
    chart = svg.calendar(
        "Days reflected", insights.start, insights.today, ratings, phrases.day_text
    ).replace('class="chart"', 'class="chart calendar"', 1)
    return _section("Days reflected", f"<p>{escape(phrases.days_sentence(insights.days))}</p>",
                    chart)  # fmt: skip


def _on_this_day(insights: Insights) -> str:
    body = []
    for moment in insights.on_this_day:
        when = f"{moment.label.capitalize()} ({phrases.day_text(moment.day)})"
        if not moment.entries:
            body.append(f'<p class="how">{escape(when)}: no session.</p>')
        for entry in moment.entries:
            said = entry.answers[0].text if entry.answers else ""
            body.append(f'<p>{escape(when)}:</p><p class="quote">“{escape(said)}”</p>')
    return _section("On this day", *body)


def _session(entry: Entry, open_: bool = False) -> str:
    rating = f" · rated {entry.rating}" if entry.rating is not None else ""
    answers = "".join(
        f"<dt>{escape(a.prompt)}</dt><dd>{escape(a.text)}</dd>"  # as said
        for a in entry.answers
    )
    return (
        f"<details{' open' if open_ else ''}><summary>"
        f"{escape(phrases.day_text(entry.day))}, {entry.started:%H:%M} · "
        f"{escape(entry.script)}{rating}</summary><dl>{answers or '<dd>(nothing was said)</dd>'}"
        "</dl></details>"
    )


def _summary(insights: Insights) -> str:
    sentences = "".join(f"<p>{escape(s)}</p>" for s in phrases.summary(insights))
    return _section("In short", sentences, css="summary")


def render_html(insights: Insights, locked: bool = False) -> str:
    warning = ""
    if locked:
        warning = _section(
            "This file is not encrypted",
            "<p>Your journal is locked, but this report is plain text: anyone who can open the "
            "file can read your answers. Keep it somewhere private, and delete it when you are "
            "done.</p>",
            css="warning",
        )
    sessions = "".join(_session(e, open_=i == 0) for i, e in enumerate(reversed(insights.entries)))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>reflect: insights</title><style>{CSS}</style></head><body><main>"
        f"<h1>Your reflections</h1><p>{escape(phrases.heading(insights))}.</p>{warning}"
        + _summary(insights)
        + _rating(insights)
        + _calendar(insights)
        + _themes(insights)
        + _worries(insights)
        + _language(insights)
        + _on_this_day(insights)
        + _section("Sessions", sessions or "<p>No sessions in this period.</p>")
        + _footnotes(insights)
        + "<footer>Made by reflect from your journal, on this computer. This file is plain "
        "text: anyone who can open it can read it.</footer></main></body></html>\n"
    )
