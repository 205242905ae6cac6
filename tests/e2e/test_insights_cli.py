"""insights, report, search, history --since/--limit, show last and remind through the real CLI,
on a generated journal ending today."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.journal.store import Journal

from child import reflect
from insights_journal import planted_sessions

PASS = "correct horse battery"


@pytest.fixture(scope="module")
def journal_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "journal"
    Journal(folder).import_sessions(planted_sessions(date.today()))
    return folder


@pytest.fixture(scope="module")
def locked_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("locked") / "journal"
    journal = Journal(folder)
    journal.import_sessions(planted_sessions(date.today())[55:60])  # the last five evenings
    journal.lock(PASS)
    return folder


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REFLECT_PASSPHRASE"}
    return {**env, "COLUMNS": "100", **extra}


def test_insights_in_the_terminal(journal_dir):
    result = reflect("insights", "--data-dir", str(journal_dir), env=_env())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Feeling more secure over these weeks" in out
    assert "late or missing replies" in out and "30 of 60 sessions" in out
    assert "The fear of being left came back on 20 evenings" in out
    assert "reflect rehearse wanted" in out
    assert "social media" not in out
    assert "how:" not in out and "reflect insights --explain" in out  # the method on request
    assert "\x1b[" not in out  # no colour codes when the output is not a terminal
    explained = reflect("insights", "--explain", "--data-dir", str(journal_dir), env=_env())
    # rating, days, themes, worries, two language measures
    assert explained.stdout.count("how:") == 6


def test_insights_over_fewer_weeks(journal_dir):
    out = reflect("insights", "--weeks", "2", "--data-dir", str(journal_dir), env=_env()).stdout
    assert "The last 2 weeks" in out and ": 13 sessions" in out  # one evening was missed
    bad = reflect("insights", "--weeks", "0", "--data-dir", str(journal_dir), env=_env())
    assert bad.returncode == 2 and "from 1 to 520" in bad.stderr


def test_history_since_and_limit(journal_dir):
    since = (date.today() - timedelta(days=5)).isoformat()
    out = reflect("history", "--since", since, "--data-dir", str(journal_dir), env=_env()).stdout
    assert len(out.splitlines()) == 6 and all(line[10:20] >= since for line in out.splitlines())
    out = reflect("history", "--limit", "3", "--data-dir", str(journal_dir), env=_env()).stdout
    assert [line[:8] for line in out.splitlines()] == ["00000039", "0000003a", "0000003b"]
    bad = reflect("history", "--since", "yesterday", "--data-dir", str(journal_dir), env=_env())
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_show_last(journal_dir):
    result = reflect("show", "last", "--data-dir", str(journal_dir), env=_env())
    assert result.returncode == 0 and "Session `0000003b`" in result.stdout
    assert "out of ten" in result.stdout.lower()


def test_search_finds_answers_by_any_form_of_the_words(journal_dir):
    out = reflect("search", "walked", "away", "--data-dir", str(journal_dir), env=_env()).stdout
    assert out.count("that she might walk away from us") == 4
    none = reflect("search", "instagram", "--data-dir", str(journal_dir), env=_env())
    assert none.returncode == 0 and none.stdout == "" and "no answer holds" in none.stderr


def test_search_in_a_locked_journal(locked_dir):
    out = reflect("search", "ten", "--data-dir", str(locked_dir), env=_env(REFLECT_PASSPHRASE=PASS))
    assert out.returncode == 0 and out.stdout.count("out of ten") == 5
    wrong = reflect(
        "search", "need", "--data-dir", str(locked_dir), env=_env(REFLECT_PASSPHRASE="x")
    )
    assert wrong.returncode == 5


def test_report_is_written_private_where_asked(journal_dir, tmp_path):
    target = tmp_path / "report.html"
    result = reflect("report", "--html", str(target), "--data-dir", str(journal_dir), env=_env())
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    html = target.read_text(encoding="utf-8")
    assert "late or missing replies" in html and "not encrypted" not in html
    inside = reflect("report", "--html", str(journal_dir / "r.html"), "--data-dir",
                     str(journal_dir), env=_env())  # fmt: skip
    assert inside.returncode == 2 and "not inside the journal folder" in inside.stderr
    assert not (journal_dir / "r.html").exists()


def test_report_of_a_locked_journal_warns_it_is_plain_text(locked_dir, tmp_path):
    target = tmp_path / "report.html"
    result = reflect("report", "--html", str(target), "--data-dir", str(locked_dir),
                     env=_env(REFLECT_PASSPHRASE=PASS))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "plain text, not encrypted" in result.stderr
    assert "This file is not encrypted" in target.read_text(encoding="utf-8")
    missing = reflect("report", "--data-dir", str(locked_dir), env=_env(REFLECT_PASSPHRASE=PASS))
    assert missing.returncode == 2 and "--html" in missing.stderr


# -- the reminder -------------------------------------------------------------------------------
def test_remind_through_the_cli(tmp_path):
    env = _env(XDG_CONFIG_HOME=str(tmp_path))
    bad = reflect("remind", "--at", "25:00", env=env)
    assert bad.returncode == 2 and "HH:MM" in bad.stderr
    shown = reflect("remind", env=env)
    assert shown.returncode == 0 and "no reminder set" in shown.stdout
