"""`reflect report --html`: one self-contained page (no script, no address outside it), the
figures in their sections with their charts, every session readable, and a warning on top when
the journal is locked but the page is not."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from assistant.insights.report import render_html

from insights_journal import computed, planted_sessions


class Outline(HTMLParser):
    """The page's section headings and its tags."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.tags: set[str] = set()
        self._in_h2 = False

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.add(tag)
        self._in_h2 = tag == "h2"

    def handle_data(self, data) -> None:
        if self._in_h2:
            self.headings.append(data)
            self._in_h2 = False


def outline(html: str) -> Outline:
    parsed = Outline()
    parsed.feed(html)
    return parsed


def test_the_page_holds_every_figure_and_nothing_from_outside():
    html = render_html(computed(planted_sessions()))
    page = outline(html)
    assert page.headings == [
        "In short", "How secure you felt", "Days reflected", "What keeps coming up",
        "Worries you came back to", "Language, week by week", "On this day", "Sessions",
    ]  # fmt: skip
    assert "script" not in page.tags and not re.search(r"https?:|\b(src|href)\s*=", html)
    assert html.count("<svg") == 6  # rating, calendar, two bar charts, two language lines
    # 60 sessions, the latest open, and the method folded away at the end
    assert html.count("<details") == 61 and html.count("<details open>") == 1
    method = html.index("How these are worked out")
    assert method > html.index("<h2>Sessions</h2>") and html.find("simplemma") > method
    assert "This file is not encrypted" not in html


def test_a_locked_journal_gets_a_warning_first():
    html = render_html(computed(planted_sessions()), locked=True)
    assert outline(html).headings[0] == "This file is not encrypted"
    assert "anyone who can open the file can read your answers" in html


def test_answers_are_escaped_as_text():
    session = planted_sessions()[-1]
    session["turns"][0]["answer"] = "he said <b>never</b> & left"
    html = render_html(computed([session]))
    assert "said &lt;b&gt;never&lt;/b&gt; &amp; left" in html
    assert "<b>never</b>" not in html


def test_an_empty_period_says_so():
    html = render_html(computed([]))
    assert "No sessions in this period." in html and "nothing often enough to show yet" in html
