"""What a newcomer sees in `reflect report` (issue 25), looked at in headless Chromium: a summary
in plain words first, the method folded away at the end, month names above the calendar that are
whole and do not run into each other, and ratings of a single day drawn as dots, not as a line
straight up. On a journal of a single day and on one of twelve weeks; each page is screenshotted
into the test's temporary folder, and its text boxes are measured by the browser itself (a copy
of the page with a measuring script added: the report itself has no script)."""

from __future__ import annotations

import itertools
import json
import re
import struct
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.insights.phrases import day_text
from assistant.insights.svg import calendar
from assistant.journal.store import Journal

from browser import chromium, run_browser
from child import reflect
from insights_journal import LATE_REPLIES, ORDINARY, session

MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
#: Added to a copy of the page: every text of every calendar, with its box and the drawing's width.
MEASURE = """<script>
const out = [];
for (const svg of document.querySelectorAll("svg.calendar")) {
  const width = svg.viewBox.baseVal.width;
  for (const t of svg.querySelectorAll(":scope > text")) {
    const box = t.getBBox();
    out.push([t.textContent, box.x, box.x + box.width, width]);
  }
}
document.body.insertAdjacentHTML("beforeend",
  '<pre id="meas' + 'ured">' + JSON.stringify(out) + "</pre>");
</script>"""


def one_day(today: date) -> list[dict]:
    """Three evenings on one day, rated 3, 6 and 8: once drawn as a line straight up."""
    return [
        session(f"0000000{i}", today, LATE_REPLIES[i], "that he would leave me", rating)
        for i, rating in enumerate((3, 6, 8))
    ]


def twelve_weeks(today: date) -> list[dict]:
    days = [today - timedelta(days=n) for n in range(83, -1, -1)]
    return [
        session(f"{i:08x}", day, LATE_REPLIES[i % 5] if i % 2 else ORDINARY[i % 5],
                "that he would leave me" if i % 3 == 0 else "not sure", 3 + (5 * i) // 83)
        for i, day in enumerate(days)
    ]  # fmt: skip


def write_report(folder: Path, sessions: list[dict]) -> Path:
    Journal(folder / "journal").import_sessions(sessions)
    target = folder / "report.html"
    done = reflect("report", "--html", str(target), "--data-dir", str(folder / "journal"))
    assert done.returncode == 0, done.stderr
    return target


def measured(browser: str, page: Path, home: Path) -> list[tuple[str, float, float, float]]:
    """The calendar texts of `page` as Chromium lays them out: (text, left, right, width)."""
    copy = page.with_name(f"measure-{page.name}")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"))
    dom = run_browser(browser, "--virtual-time-budget=2000", "--dump-dom", copy.as_uri(), home=home)
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom.stdout.decode())
    assert found, dom.stderr.decode()[-500:]
    return [tuple(row) for row in json.loads(found[1])]


def assert_month_names_readable(boxes: list[tuple[str, float, float, float]]) -> None:
    months = [b for b in boxes if b[0] in MONTHS]
    assert months, boxes
    assert all(b[0] in MONTHS for b in boxes if b[0] not in ("Mon", "Wed", "Fri", "Sun"))
    for name, _left, right, width in months:
        assert right <= width, f"{name!r} is cut at the drawing's edge ({right:.1f} > {width})"
    for before, after in itertools.pairwise(months):
        assert after[1] >= before[2], f"{before[0]!r} runs into {after[0]!r}"


def screenshot(browser: str, page: Path, home: Path) -> Path:
    shot = home / f"{page.stem}.png"
    done = run_browser(browser, f"--screenshot={shot}", "--window-size=390,2400", page.as_uri(),
                home=home)  # fmt: skip
    assert done.returncode == 0 and shot.exists(), done.stderr.decode()[-500:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (390, 2400)
    assert len(png) > 20_000  # a drawn page, not a blank one
    return shot


@pytest.mark.parametrize("journal", ["one day", "twelve weeks"])
def test_the_report_opens_with_plain_words_and_whole_month_names(tmp_path, journal):
    browser = chromium()
    today = date.today()
    sessions = one_day(today) if journal == "one day" else twelve_weeks(today)
    page = write_report(tmp_path, sessions)
    html = page.read_text(encoding="utf-8")
    dom = run_browser(browser, "--dump-dom", page.as_uri(), home=tmp_path).stdout.decode()
    first = re.search(r"<section[^>]*><h2>(.*?)</h2>(.*?)</section>", dom)
    assert first and first[1] == "In short"
    days = 1 if journal == "one day" else 84
    assert f"You reflected on {days} day{'s' * (days > 1)} in these weeks." in first[2]
    assert "lemma" not in first[2] and "least-squares" not in first[2]
    # the method is there, folded at the end, after every figure
    assert dom.index("How these are worked out") > dom.index("<h2>Sessions</h2>")
    assert "between" not in html or f"between {day_text(today)} and {day_text(today)}" not in html
    rating_chart = html[html.index("<h2>How secure you felt</h2>"):].split("</svg>")[0]
    if journal == "one day":  # three dots, no line going straight up
        assert rating_chart.count("<circle") == 3 and "<polyline" not in rating_chart
    else:
        assert "<polyline" in rating_chart
    assert_month_names_readable(measured(browser, page, tmp_path))
    assert screenshot(browser, page, tmp_path).parent == tmp_path


def test_a_month_starting_in_the_last_week_is_not_cut_to_two_letters(tmp_path):
    """Monday 7 December 2026 starts the last column: its "Dec" was cut to "De"."""
    browser = chromium()
    end = date(2026, 12, 7)
    chart = calendar("Days reflected", end - timedelta(weeks=12), end, {end: 7}, day_text)
    page = tmp_path / "calendar.html"
    page.write_text(f"<!DOCTYPE html><html><body>{chart}</body></html>", encoding="utf-8")
    boxes = measured(browser, page, tmp_path)
    assert boxes[-1][0] == "Dec"
    assert_month_names_readable(boxes)
