"""How much evidence each insight needs before it is shown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InsightSettings:
    weeks: int = 12  #: the period looked at, ending today (weeks)
    #: a weekly language measure is shown only over at least this many words of answers
    min_words_per_week: int = 150
    #: the I/you balance of a week is shown only over at least this many I and you words
    min_pronouns_per_week: int = 15
    min_ratings: int = 5  #: rated sessions needed before a trend is named
    #: a trend is named rising or falling only if the fitted line moves this much over the
    #: period (points on the 1-10 scale) ...
    trend_min_change_points: float = 1.0
    trend_min_correlation: float = 0.3  #: ... and fits the ratings at least this well (|r|)
    theme_min_sessions: int = 3  #: a trigger or theme is listed once it is in this many sessions
    top_themes: int = 5  #: at most this many triggers and this many themes are listed
    worry_min_sessions: int = 4  #: a worry counts as gone over again from this many sessions
    cue_window_words: int = 12  #: a worry is looked for this many words after "afraid" etc.
    quotes: int = 2  #: the person's own words shown with a repeated worry
    quote_chars: int = 90  #: each quote cut to about this length (characters)
