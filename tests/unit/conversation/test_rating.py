"""conversation/rating.py: a rating question's reply read as a number from one to ten, from the
transcript or else from what the command grammar heard; with the real rating state of
dialogs/evening.yaml."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.conversation.rating import RatingReply, read_rating
from assistant.dialog.script import load_script
from assistant.events import Answer

EVENING = load_script(DIALOGS_DIR / "evening.yaml")
RATED = next(state for state in EVENING.states.values() if state.rating)
UNRATED = next(state for state in EVENING.states.values() if not state.rating)


def test_evening_has_a_rating_question():
    assert RATED.rating and not UNRATED.rating


@pytest.mark.parametrize(
    ("text", "value"), [("seven", 7), ("about a six out of ten", 6), ("8", 8), ("ten", 10)]
)
def test_a_rating_in_the_transcript(text, value):
    reply = read_rating(RATED, Answer(text))
    assert reply == RatingReply(value, unclear=False)
    assert reply.extra == {"rating": value}


@pytest.mark.parametrize("text", ["six or seven", "one thing is the weather", "", "eleven"])
def test_no_single_rating_is_unclear(text):
    reply = read_rating(RATED, Answer(text))
    assert reply.value is None and reply.unclear
    assert reply.extra is None


def test_the_grammar_reading_is_used_when_the_transcript_holds_none():
    reply = read_rating(RATED, Answer("sam and", grammar="seven"))  # "seven", misheard
    assert reply.value == 7 and not reply.unclear
    assert reply.extra == {"rating": 7, "answer": "seven", "heard": "sam and"}


def test_the_transcript_wins_over_the_grammar():
    reply = read_rating(RATED, Answer("five", grammar="nine"))
    assert reply.value == 5 and reply.grammar == ""
    assert reply.extra == {"rating": 5}


def test_a_grammar_reading_without_a_number_stays_unclear():
    reply = read_rating(RATED, Answer("sam and", grammar="skip"))
    assert reply.value is None and reply.unclear and reply.extra is None


def test_a_state_without_rating_reads_nothing():
    reply = read_rating(UNRATED, Answer("seven", grammar="seven"))
    assert reply == RatingReply(None, unclear=False)
    assert reply.extra is None
    # the same words, with rating switched on, are read
    assert read_rating(dataclasses.replace(UNRATED, rating=True), Answer("seven")).value == 7
