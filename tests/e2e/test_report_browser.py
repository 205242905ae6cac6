"""The HTML report in headless Chromium at phone (390 px) and desktop (1280 px) width: the SVG
charts are there and have a size, the page holds no script and no address to fetch anything from.
Each run saves the screenshots to tests/artifacts/ (git-ignored), to be looked at."""

from __future__ import annotations

import re
import shutil
import struct
from datetime import date
from pathlib import Path

import pytest

from assistant.journal.store import Journal

from browser import chromium, run_browser
from child import reflect
from insights_journal import planted_sessions
from paths import TESTS

SCREENS = TESTS / "artifacts"  #: where every run leaves its screenshots


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    Journal(folder / "journal").import_sessions(planted_sessions(date.today()))
    target = folder / "report.html"
    done = reflect("report", "--html", str(target), "--data-dir", str(folder / "journal"))
    assert done.returncode == 0, done.stderr
    return target


def test_the_page_asks_for_nothing_outside_itself(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"https?:", html, re.I)
    assert "<script" not in html.lower()
    assert not re.search(r"\b(src|href)\s*=", html, re.I)
    assert not re.search(r"@import|url\(", html, re.I)
    assert "prefers-color-scheme: dark" in html


def test_charts_exist_and_have_size(report, tmp_path):
    browser = chromium()
    dom = run_browser(browser, "--dump-dom", report.as_uri(), home=tmp_path).stdout.decode()
    charts = re.findall(r"<svg\b[^>]*>", dom)
    assert len(charts) == 6  # rating, calendar, triggers, themes, two language measures
    for tag in charts:
        width = re.search(r'\bwidth="(\d+)"', tag)
        height = re.search(r'\bheight="(\d+)"', tag)
        assert width and height and int(width[1]) > 100 and int(height[1]) >= 40, tag
    assert dom.count("<polyline") >= 3 and dom.count('class="bar"') == 2
    assert "<script" not in dom.lower()


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_at_phone_and_desktop_width(report, tmp_path, width):
    browser = chromium()
    shot = tmp_path / f"report-{width}.png"
    done = run_browser(
        browser, f"--screenshot={shot}", f"--window-size={width},2000", report.as_uri(),
        home=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0 and shot.exists(), done.stderr.decode()[-500:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (width, 2000)  # the IHDR chunk
    assert len(png) > 20_000  # a drawn page, not a blank one
    SCREENS.mkdir(exist_ok=True)
    shutil.copy(shot, SCREENS / shot.name)
