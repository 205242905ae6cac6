"""Insights over weeks, from the journal's sessions alone. Pure: sessions and a date in, figures
out; each figure carries `how`, a sentence saying how it was computed."""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from assistant.insights.settings import InsightSettings
from assistant.insights.vocabulary import Kind, Topic, Vocabulary
from assistant.insights.words import lemmas, tokens
from assistant.journal.records import SessionRecord, Status, Turn


# -- the sessions, read once --------------------------------------------------------------------
@dataclass(frozen=True)
class Answer:
    state: str
    prompt: str
    text: str
    words: tuple[str, ...]
    lemmas: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One session as the insights see it."""

    id: str
    script: str
    started: datetime
    status: Status
    answers: tuple[Answer, ...]  # what was said, rating replies left out
    rating: int | None  # the last rating given in the session

    @property
    def day(self) -> date:
        return self.started.date()  # the day where and when it was, not in UTC


def rating_of(turn: Turn) -> int | None:
    value = turn.rating
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10
    return value if ok else None


def entries(sessions: Sequence[SessionRecord]) -> list[Entry]:
    out = []
    for s in sessions:
        answers, rating = [], None
        for turn in s.turns:
            if rating_of(turn) is not None:
                rating = rating_of(turn)
                continue
            words = tokens(turn.answer)
            if words:
                answers.append(
                    Answer(turn.state, turn.prompt, turn.answer, tuple(words), tuple(lemmas(words)))
                )
        started = datetime.fromisoformat(s.started_at)
        out.append(Entry(s.id, s.script, started, s.status, tuple(answers), rating))
    return sorted(out, key=lambda e: e.started)


# -- figures ------------------------------------------------------------------------------------
class Trend(Enum):
    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"
    TOO_FEW = "too few ratings"


@dataclass(frozen=True)
class RatingTrend:
    points: tuple[tuple[date, int], ...]
    trend: Trend
    slope_per_week: float | None
    correlation: float | None
    first_half_mean: float | None
    second_half_mean: float | None
    how: str


@dataclass(frozen=True)
class Days:
    reflected: tuple[date, ...]  # days with at least one answer, in the period
    period_days: int
    current_streak_days: int
    longest_streak_days: int
    how: str


@dataclass(frozen=True)
class TopicCount:
    topic: Topic
    sessions: int
    answers: int


@dataclass(frozen=True)
class Themes:
    triggers: tuple[TopicCount, ...]
    themes: tuple[TopicCount, ...]
    how: str


@dataclass(frozen=True)
class RepeatedWorry:
    topic: Topic
    rehearsal_about: str
    sessions: int
    first: date
    last: date
    wordings: tuple[str, ...]  # the different terms it was said with
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Worries:
    repeated: tuple[RepeatedWorry, ...]
    how: str


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    words: int
    absolutist: int
    i_words: int
    you_words: int
    absolutist_share: float | None  # None: too few words to mean something
    i_share: float | None  # I / (I + you); None: too few words or pronouns


@dataclass(frozen=True)
class Language:
    weeks: tuple[Week, ...]
    how_absolutist: str
    how_i_you: str


@dataclass(frozen=True)
class OnThisDay:
    label: str  # "a month ago", "a year ago"
    day: date
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Insights:
    today: date
    start: date
    weeks: int
    entries: tuple[Entry, ...]  # the sessions of the period, oldest first
    rating: RatingTrend
    days: Days
    themes: Themes
    worries: Worries
    language: Language
    on_this_day: tuple[OnThisDay, ...]


def compute(
    sessions: Sequence[SessionRecord],
    vocabulary: Vocabulary,
    today: date,
    settings: InsightSettings | None = None,
) -> Insights:
    settings = settings or InsightSettings()
    every = entries(sessions)
    start = today - timedelta(days=7 * settings.weeks - 1)
    period = tuple(e for e in every if start <= e.day <= today)
    return Insights(
        today=today,
        start=start,
        weeks=settings.weeks,
        entries=period,
        rating=rating_trend(period, settings),
        days=days(every, start, today),
        themes=themes(period, vocabulary, settings),
        worries=worries(period, vocabulary, settings),
        language=language(period, start, today, settings, vocabulary),
        on_this_day=on_this_day(every, today),
    )


def rating_trend(period: Sequence[Entry], settings: InsightSettings) -> RatingTrend:
    points = tuple((e.day, e.rating) for e in period if e.rating is not None)
    rule = (
        f"a least-squares line through the {len(points)} ratings (the last one given in each "
        f"session); called rising or falling only when it moves at least "
        f"{settings.trend_min_change_points:g} point over the period and fits with |r| of at "
        f"least {settings.trend_min_correlation:g}"
    )
    if len(points) < settings.min_ratings:
        how = f"{len(points)} rated sessions; a trend needs at least {settings.min_ratings}"
        return RatingTrend(points, Trend.TOO_FEW, None, None, None, None, how)
    xs = [(day - points[0][0]).days / 7 for day, _ in points]
    ys = [float(rating) for _, rating in points]
    slope, r = _fit(xs, ys)
    half = len(ys) // 2
    first, second = sum(ys[:half]) / half, sum(ys[half:]) / (len(ys) - half)
    change = slope * (xs[-1] - xs[0])
    trend = Trend.STEADY
    if abs(r) >= settings.trend_min_correlation and abs(change) >= settings.trend_min_change_points:
        trend = Trend.RISING if slope > 0 else Trend.FALLING
    how = f"{rule}: {slope:+.2f} points a week, r = {r:.2f}"
    return RatingTrend(points, trend, slope, r, first, second, how)


def _fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Slope of the least-squares line and Pearson's r (0 when either side does not vary)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx if sxx else 0.0
    r = sxy / math.sqrt(sxx * syy) if sxx and syy else 0.0
    return slope, r


def days(every: Sequence[Entry], start: date, today: date) -> Days:
    answered = sorted({e.day for e in every if e.answers})
    reflected = tuple(day for day in answered if start <= day <= today)
    runs: list[tuple[date, int]] = []  # (last day, length) of each run of consecutive days
    for day in answered:
        if runs and day - runs[-1][0] == timedelta(days=1):
            runs[-1] = (day, runs[-1][1] + 1)
        else:
            runs.append((day, 1))
    current = 0
    if runs and today - runs[-1][0] <= timedelta(days=1):  # today not yet is no break
        current = runs[-1][1]
    longest = max((length for last, length in runs if last >= start), default=0)
    period_days = (today - start).days + 1
    how = (
        f"days with at least one answer, by the date the session started, in the {period_days} "
        "days up to today; the streak counts consecutive days and lasts until a day is missed "
        "(today, not reflected yet, does not end it)"
    )
    return Days(reflected, period_days, current, longest, how)


def themes(period: Sequence[Entry], vocabulary: Vocabulary, settings: InsightSettings) -> Themes:
    counts = []
    for topic in vocabulary.themes:
        hits = [sum(topic.found(a.words, a.lemmas) for a in e.answers) for e in period]
        counts.append(TopicCount(topic, sum(1 for h in hits if h), sum(hits)))
    shown = sorted(
        (c for c in counts if c.sessions >= settings.theme_min_sessions),
        key=lambda c: (-c.sessions, -c.answers, c.topic.name),
    )

    def of(kind: Kind) -> tuple[TopicCount, ...]:
        return tuple(c for c in shown if c.topic.kind is kind)[: settings.top_themes]

    how = (
        f"sessions with an answer holding one of the words listed for it in dialogs/themes.yaml, "
        f"matched by lemma (simplemma), out of {len(period)}; listed from "
        f"{settings.theme_min_sessions} sessions"
    )
    return Themes(of(Kind.TRIGGER), of(Kind.THEME), how)


def _worry_spans(answer: Answer, vocabulary: Vocabulary, window: int) -> list[slice]:
    """The parts of an answer that say a worry: all of it for the fear question, else the words
    right after "afraid", "what if" and the like."""
    if answer.state in vocabulary.worry_states:
        return [slice(0, len(answer.words))]
    return [
        slice(end, end + window)
        for cue in vocabulary.worry_cues
        for end in cue.ends(answer.words, answer.lemmas)
    ]


def worries(period: Sequence[Entry], vocabulary: Vocabulary, settings: InsightSettings) -> Worries:
    found: dict[str, list[tuple[Entry, str, str]]] = {}  # worry -> (session, term, answer)
    for e in period:
        for topic in vocabulary.worries:
            for answer in e.answers:
                term = _worry_term(topic, answer, vocabulary, settings.cue_window_words)
                if term:
                    found.setdefault(topic.name, []).append((e, term, answer.text))
                    break  # once per session
    repeated = []
    for topic in vocabulary.worries:
        hits = found.get(topic.name, [])
        if len(hits) < settings.worry_min_sessions:
            continue
        wordings = tuple(dict.fromkeys(term for _, term, _ in hits))
        quotes = tuple(
            quote(text, settings.quote_chars)
            for text in dict.fromkeys(text for _, _, text in reversed(hits))
        )[: settings.quotes]
        about = vocabulary.rehearsals[topic.rehearsal]
        repeated.append(
            RepeatedWorry(topic, about, len(hits), hits[0][0].day, hits[-1][0].day, wordings,
                          quotes)
        )  # fmt: skip
    repeated.sort(key=lambda w: -w.sessions)
    how = (
        "sessions in which the answer to a question about fear, or the words just after "
        f"'afraid', 'worried', 'what if' and the like ({settings.cue_window_words} words), name "
        f"the worry in any of the ways listed in dialogs/themes.yaml; shown from "
        f"{settings.worry_min_sessions} sessions"
    )
    return Worries(tuple(repeated), how)


def _worry_term(topic: Topic, answer: Answer, vocabulary: Vocabulary, window: int) -> str:
    for span in _worry_spans(answer, vocabulary, window):
        words, lems = answer.words[span], answer.lemmas[span]
        for term in topic.terms:
            if term.ends(words, lems):
                return term.text
    return ""


def quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def language(
    period: Sequence[Entry],
    start: date,
    today: date,
    settings: InsightSettings,
    vocabulary: Vocabulary,
) -> Language:
    first = period[0].day if period else today  # weeks before the first session say nothing
    monday = max(start, first) - timedelta(days=max(start, first).weekday())
    out = []
    while monday <= today:
        words = [
            w for e in period if monday <= e.day < monday + timedelta(days=7)
            for a in e.answers for w in a.words
        ]  # fmt: skip
        absolutist = sum(1 for w in words if w in vocabulary.absolutist)
        i_count = sum(1 for w in words if w in vocabulary.i_words)
        you_count = sum(1 for w in words if w in vocabulary.you_words)
        enough = len(words) >= settings.min_words_per_week
        pronouns = enough and i_count + you_count >= settings.min_pronouns_per_week
        out.append(
            Week(monday, len(words), absolutist, i_count, you_count,
                 absolutist / len(words) if enough else None,
                 i_count / (i_count + you_count) if pronouns else None)
        )  # fmt: skip
        monday += timedelta(days=7)
    return Language(
        tuple(out),
        how_absolutist=(
            "each week (Monday to Sunday): the share of all words of the answers that are one of "
            "the 19 absolutist words of Al-Mosaiwi and Johnstone (2018): always, never, "
            "completely, nothing, everything and so on; shown over at least "
            f"{settings.min_words_per_week} words"
        ),
        how_i_you=(
            "each week: I, me, my, mine, myself as a share of those and you, your, yours, "
            "yourself; shown over at least "
            f"{settings.min_words_per_week} words with {settings.min_pronouns_per_week} of them"
        ),
    )


def months_back(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def on_this_day(every: Sequence[Entry], today: date) -> tuple[OnThisDay, ...]:
    out = []
    for label, months in (("a month ago", 1), ("a year ago", 12)):
        day = months_back(today, months)
        out.append(OnThisDay(label, day, tuple(e for e in every if e.day == day and e.answers)))
    return tuple(out)
