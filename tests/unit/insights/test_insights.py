"""Insights over weeks on a generated journal of 60 sessions: the planted patterns are found, the
unplanted ones are not. The journal is real files in a tmp dir, written through Journal."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.base.errors import BadScriptError
from assistant.base.settings import DIALOGS_DIR
from assistant.insights.compute import Trend, compute, months_back
from assistant.insights.rating import parse_rating
from assistant.insights.settings import InsightSettings
from assistant.insights.vocabulary import load_vocabulary
from assistant.journal.records import SessionRecord
from assistant.journal.store import Journal

from insights_journal import TODAY, flat_sessions, planted_sessions


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(DIALOGS_DIR / "themes.yaml")


def records(sessions: list[dict]) -> list[SessionRecord]:
    return [SessionRecord.from_dict(s) for s in sessions]


def journal_of(folder: Path, sessions: list[dict]) -> Journal:
    journal = Journal(folder)
    journal.import_sessions(sessions)
    return journal


@pytest.fixture(scope="module")
def planted(tmp_path_factory, vocabulary):
    journal = journal_of(tmp_path_factory.mktemp("planted") / "journal", planted_sessions())
    return compute(journal.sessions(), vocabulary, TODAY)


@pytest.fixture(scope="module")
def flat(tmp_path_factory, vocabulary):
    journal = journal_of(tmp_path_factory.mktemp("flat") / "journal", flat_sessions())
    return compute(journal.sessions(), vocabulary, TODAY)


# -- the rating ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "rating"),
    [
        ("seven", 7),
        ("seven out of ten", 7),
        ("about a six", 6),
        ("I'd say a solid eight", 8),
        ("maybe five today", 5),
        ("ten out of ten", 10),
        ("ten", 10),
        ("one", 1),
        ("8", 8),
        ("3/10", 3),
        ("Seven.", 7),
        ("um, probably four", 4),
    ],
)
def test_a_spoken_rating_is_read(said, rating):
    assert parse_rating(said) == rating


@pytest.mark.parametrize(
    "said",
    ["", "eleven", "zero", "six or seven", "six and a half", "one thing is that he left",
     "I don't know", "skip", "twenty", "seven out of ten maybe six"],
)  # fmt: skip
def test_what_is_not_one_rating_is_refused(said):
    assert parse_rating(said) is None


# -- planted patterns ---------------------------------------------------------------------------
def test_rising_rating_is_found(planted):
    rating = planted.rating
    assert rating.trend is Trend.RISING
    assert len(rating.points) == 60
    assert rating.second_half_mean > rating.first_half_mean + 1.5
    assert "least-squares" in rating.how and "60 ratings" in rating.how


def test_recurring_trigger_is_found_first(planted):
    top = planted.themes.triggers[0]
    assert top.topic.name == "late-replies"
    assert top.sessions == 30  # every other evening, in five different wordings
    assert "lemma" in planted.themes.how


def test_worry_in_different_words_is_found_with_its_rehearsal(planted):
    worries = {w.topic.name: w for w in planted.worries.repeated}
    left = worries["being-left"]
    assert left.sessions == 20
    assert len(left.wordings) == 5  # leave me, walk away, break up, someone better, tired of me
    assert left.topic.rehearsal == "wanted"
    assert left.quotes and all(len(q) <= 92 for q in left.quotes)


def test_unplanted_patterns_are_not_reported(planted, flat):
    triggers = {c.topic.name for c in planted.themes.triggers}
    assert "social-media" not in triggers and "cancelled-plans" not in triggers
    worries = {w.topic.name for w in planted.worries.repeated}
    assert "fights" not in worries  # said on two evenings only
    assert worries == {"being-left"}
    assert flat.rating.trend is Trend.STEADY
    assert flat.themes.triggers == ()
    assert flat.worries.repeated == ()


def test_days_and_streak(planted):
    days = planted.days
    assert len(days.reflected) == 60 and days.period_days == 84
    assert days.current_streak_days == 12  # the 13th evening back was missed
    assert days.longest_streak_days == 23


def test_streak_lasts_until_a_day_is_missed(vocabulary):
    # reflected yesterday and the day before, not yet tonight: the streak still holds
    planted = records(planted_sessions())
    sessions = [s for s in planted if not s.started_at.startswith(str(TODAY))]
    assert compute(sessions, vocabulary, TODAY).days.current_streak_days == 11
    later = compute(sessions, vocabulary, TODAY + timedelta(days=1))
    assert later.days.current_streak_days == 0


def test_language_measures_only_over_enough_words(planted):
    weeks = planted.language.weeks
    assert weeks[0].start == date(2026, 4, 27)  # the week of the first session, a Monday
    full = [w for w in weeks if w.words >= 150]
    assert full and all(w.absolutist_share is not None and w.i_share is not None for w in full)
    short = weeks[-1]  # this week: Monday and Tuesday only
    assert short.words < 150 and short.absolutist_share is None and short.i_share is None
    assert all(0.5 < w.i_share < 0.9 for w in full)  # "I" more often than "you", as written
    assert "Al-Mosaiwi" in planted.language.how_absolutist


def test_a_stricter_minimum_hides_the_weekly_measures(vocabulary):
    settings = InsightSettings(min_words_per_week=1000)
    result = compute(records(planted_sessions()), vocabulary, TODAY, settings)
    assert all(w.absolutist_share is None for w in result.language.weeks)


def test_on_this_day_a_month_and_a_year_ago(planted):
    month, year = planted.on_this_day
    assert (month.label, month.day) == ("a month ago", date(2026, 5, 30))
    assert [e.day for e in month.entries] == [date(2026, 5, 30)]
    assert (year.day, [e.id for e in year.entries]) == (date(2025, 6, 30), ["a0a0a0a0"])


def test_months_back_keeps_to_the_end_of_a_short_month():
    assert months_back(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_back(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_back(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_every_figure_says_how_it_was_computed(planted):
    hows = [planted.rating.how, planted.days.how, planted.themes.how, planted.worries.how,
            planted.language.how_absolutist, planted.language.how_i_you]  # fmt: skip
    assert all(len(how.split()) >= 8 for how in hows)


# -- the vocabulary file -------------------------------------------------------------------------
def test_vocabulary_names_only_known_rehearsals(vocabulary):
    names = set(vocabulary.rehearsals)
    # each a rehearsal `reflect rehearse NAME` knows (insights point people to them)
    assert names == {p.stem for p in (DIALOGS_DIR / "rehearsals").glob("*.yaml")}
    assert {t.rehearsal for t in (*vocabulary.themes, *vocabulary.worries)} <= names
    kinds = {t.kind.value for t in vocabulary.themes}
    assert kinds == {"trigger", "theme"} and len(vocabulary.themes) == 8


def test_a_broken_vocabulary_is_one_line_with_file_line_and_fix(tmp_path):
    text = (DIALOGS_DIR / "themes.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "themes.yaml"
    broken.write_text(text.replace("rehearsal: pause\n", "rehearsal: pauses\n"), "utf-8")
    with pytest.raises(BadScriptError) as caught:
        load_vocabulary(broken)
    message = str(caught.value)
    lines = broken.read_text().splitlines()
    line = next(i for i, t in enumerate(lines, 1) if "rehearsal: pauses" in t)
    assert message.startswith(f"{broken}:{line}: worries.list[3].rehearsal: expected one of")
    assert "\n" not in message


def test_matching_is_on_lemmas_with_a_gap(vocabulary):
    plans = {t.name: t for t in vocabulary.themes}["cancelled-plans"]
    from assistant.insights.words import lemmas, tokens

    for said, found in [("she called our plans off", True), ("he cancels again", True),
                        ("we changed the plan", True), ("I called my mum", False)]:  # fmt: skip
        words = tokens(said)
        assert plans.found(words, lemmas(words)) is found, said
