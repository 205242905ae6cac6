"""Small inline SVG charts for the report: no script, no external anything. Colours come from CSS
classes, so the page's light and dark styles apply to them. Inline SVG in HTML needs no xmlns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

#: Charts are drawn this wide and scaled by CSS to the page: about 0.9 on a 390 px phone, at most
#: 1.33 on a desktop (svg.chart max-width), so their text stays near the size of the page's.
WIDTH = 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 30, 14, 12, 26


def _svg(height: int, label: str, body: list[str], width: int = WIDTH, css: str = "chart") -> str:
    return (
        f'<svg class="{css}" role="img" aria-label="{escape(label)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(label)}</title>'
        + "".join(body)
        + "</svg>"
    )


@dataclass(frozen=True)
class Series:
    points: Sequence[tuple[float, float | None]]  # (x from 0 to 1, y or None for a gap)
    css: str = "line"
    dots: bool = True
    joined: bool = True  # False: dots only (ratings of one day are no line going up and down)


def line_chart(
    label: str,
    series: Sequence[Series],
    y_range: tuple[float, float],
    y_ticks: Sequence[tuple[float, str]],
    x_ticks: Sequence[tuple[float, str]],
    height: int = 200,
) -> str:
    low, high = y_range
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, height - _TOP - _BOTTOM

    def at(x: float, y: float) -> tuple[float, float]:
        return _LEFT + x * plot_w, _TOP + (1 - (y - low) / (high - low)) * plot_h

    body = []
    for y, text in y_ticks:
        _, py = at(0, y)
        body.append(f'<line class="grid" x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{py:.1f}" '
                    f'y2="{py:.1f}"/><text class="tick" x="{_LEFT - 6}" y="{py + 4:.1f}" '
                    f'text-anchor="end">{escape(text)}</text>')  # fmt: skip
    for x, text in x_ticks:
        px, _ = at(x, low)
        anchor = "start" if x < 0.1 else "end" if x > 0.9 else "middle"  # inside the chart
        body.append(f'<text class="tick" x="{px:.1f}" y="{height - 8}" '
                    f'text-anchor="{anchor}">{escape(text)}</text>')  # fmt: skip
    for one in series:
        run: list[str] = []
        for x, y in [*one.points, (0.0, None)]:  # a final gap closes the last run
            if y is None:
                if len(run) > 1 and one.joined:
                    body.append(f'<polyline class="{one.css}" points="{" ".join(run)}"/>')
                run = []
                continue
            px, py = at(x, y)
            run.append(f"{px:.1f},{py:.1f}")
            if one.dots:
                body.append(f'<circle class="{one.css}-dot" cx="{px:.1f}" cy="{py:.1f}" r="3"/>')
    return _svg(height, label, body)


def bar_chart(label: str, rows: Sequence[tuple[str, int, str]], total: int) -> str:
    """Horizontal bars, each with its label above it: (label, value, value text)."""
    row_h = 42
    height = row_h * len(rows) + 8
    plot_w = WIDTH - 90
    body = []
    for i, (name, value, text) in enumerate(rows):
        y = 8 + i * row_h
        width = max(2.0, plot_w * value / total) if total else 2.0
        body.append(f'<text class="label" x="0" y="{y + 13}">{escape(name)}</text>'
                    f'<rect class="bar" x="0" y="{y + 20}" width="{width:.1f}" height="14" '
                    f'rx="3"/><text class="tick" x="{width + 6:.1f}" y="{y + 32}">'
                    f"{escape(text)}</text>")  # fmt: skip
    return _svg(height, label, body)


def calendar(label: str, start: date, end: date, ratings: dict[date, int | None], day_text) -> str:
    """One square per day, a column per week (Monday on top); a day reflected is filled, the
    deeper the higher its rating."""
    cell, gap, left, top = 13, 3, 30, 18
    label_w = 26  # room for a month's name ("Sep"), so the last one is not cut to "Se"
    first = start - timedelta(days=start.weekday())
    weeks = (end - first).days // 7 + 1
    width = left + weeks * (cell + gap) + label_w
    last_label = -label_w
    height = top + 7 * (cell + gap) + 4
    body = [
        f'<text class="tick" x="0" y="{top + row * (cell + gap) + 10}">{name}</text>'
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))
    ]
    for week in range(weeks):
        x = left + week * (cell + gap)
        monday = first + timedelta(days=7 * week)
        # a month's name where its first Monday is, unless it would run into the one before
        if (week == 0 or monday.day <= 7) and x - last_label >= label_w:
            body.append(f'<text class="tick" x="{x}" y="11">{monday:%b}</text>')
            last_label = x
        for row in range(7):
            day = monday + timedelta(days=row)
            if not start <= day <= end:
                continue
            y = top + row * (cell + gap)
            if day in ratings:
                rating = ratings[day]
                shade = 0.35 + 0.065 * rating if rating else 0.6
                said = f"rated {rating}" if rating else "reflected"
                body.append(f'<rect class="day on" x="{x}" y="{y}" width="{cell}" height="{cell}" '
                            f'rx="2" fill-opacity="{shade:.2f}"><title>{day_text(day)}: {said}'
                            "</title></rect>")  # fmt: skip
            else:
                body.append(f'<rect class="day" x="{x}" y="{y}" width="{cell}" height="{cell}" '
                            f'rx="2"><title>{day_text(day)}</title></rect>')  # fmt: skip
    svg = _svg(height, label, body, width=width, css="calendar")
    # drawn small; shown at 1.6 times on a wide page (and never wider than the page)
    return svg.replace("<svg ", f'<svg style="width: {1.6 * width:.0f}px" ', 1)
