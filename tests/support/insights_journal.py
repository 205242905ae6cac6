"""A generated journal of 60 evening sessions with planted patterns, for the insights tests.

Planted: late replies as the recurring trigger (every other evening, said in several ways), a
rating that rises from about 3 to about 8, and the fear of being left, said in different words
on many evenings. Not planted: social media (never said), arguments (a worry on two evenings
only), and a rating trend in `flat_sessions`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from assistant.insights.compute import months_back

TODAY = date(2026, 6, 30)
ZONE = timezone(timedelta(hours=2))

LATE_REPLIES = [
    "he took hours to reply to my message and I kept checking my phone",
    "she didn't text back all afternoon and I felt uneasy",
    "I was left on read again after lunch",
    "there was no reply to my message until late at night",
    "he hasn't replied since this morning and it bothered me",
]
ORDINARY = [
    "work was busy and I felt tired when I got home",
    "we had dinner together and watched a film",
    "I went for a walk in the park after work",
    "my sister called and we talked for a while",
    "the day was quiet, I cooked and read a book",
]
BEING_LEFT = [
    "that he would leave me",
    "that she might walk away from us",
    "that we would break up before the summer",
    "that he will find someone better than me",
    "that she is tired of me and wants out",
]
OTHER_FEARS = [
    "that I would look silly at the meeting",
    "that the week ahead will be too much work",
    "not sure, maybe nothing in particular",
]
FIGHTS = "that the argument would blow up again like last week"
NEEDS = [
    "to feel calm and to be heard, I wanted you to tell me you were thinking of me",
    "I needed you to say that you love me and that you are staying",
    "to look after myself and to trust my own feelings a little more",
]


def _turn(state: str, prompt: str, answer: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {"state": state, "prompt": prompt, "answer": answer, "at": at.isoformat(), **extra}


def session(
    sid: str, day: date, today: str, fear: str, rating: int | None, need: str = NEEDS[2]
) -> dict[str, Any]:
    start = datetime.combine(day, time(21, 30), ZONE)
    turns = [
        _turn("today", "What happened today?", today, start + timedelta(minutes=1)),
        _turn("fear", "What were you afraid might happen?", fear, start + timedelta(minutes=2)),
        _turn("need", "What did you need?", need, start + timedelta(minutes=3)),
    ]  # fmt: skip
    if rating is not None:
        words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        turns.append(
            _turn("rating", "How secure do you feel?", f"{words[rating - 1]} out of ten",
                  start + timedelta(minutes=4), rating=rating)
        )  # fmt: skip
    return {
        "id": sid,
        "script": "evening",
        "started_at": start.isoformat(),
        "ended_at": (start + timedelta(minutes=5)).isoformat(),
        "status": "completed",
        "safety": [],
        "strong": False,
        "turns": turns,
    }


def _days(today: date, count: int = 60) -> list[date]:
    """`count` evenings up to `today`, with a few missed (so the streak is the last 12 days)."""
    missed = {today - timedelta(days=n) for n in (12, 25, 26, 40)}
    days, day = [], today
    while len(days) < count:
        if day not in missed:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def planted_sessions(today: date = TODAY, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    days = _days(today)
    out = []
    for i, day in enumerate(days):
        said = LATE_REPLIES[i % len(LATE_REPLIES)] if i % 2 == 0 else rng.choice(ORDINARY)
        if i % 3 == 0:
            fear = BEING_LEFT[(i // 3) % len(BEING_LEFT)]
        elif i in (20, 41):
            fear = FIGHTS
        else:
            fear = rng.choice(OTHER_FEARS)
        rising = 3 + 5 * i / (len(days) - 1) + rng.uniform(-1, 1)
        rating = max(1, min(10, round(rising)))
        out.append(session(f"{i:08x}", day, said, fear, rating, NEEDS[i % len(NEEDS)]))
    # one evening a year ago, for "on this day"
    out.append(session("a0a0a0a0", months_back(today, 12), ORDINARY[0],
                       OTHER_FEARS[0], None))  # fmt: skip
    return out


def flat_sessions(today: date = TODAY, seed: int = 11) -> list[dict[str, Any]]:
    """The same evenings with ratings that wander around 5 and never mention late replies."""
    rng = random.Random(seed)
    return [
        session(f"{i:08x}", day, rng.choice(ORDINARY), rng.choice(OTHER_FEARS),
                rng.choice([4, 5, 5, 6]))
        for i, day in enumerate(_days(today))
    ]  # fmt: skip


def computed(sessions: list[dict[str, Any]], today: date = TODAY):
    """The insights of `sessions` (as stored) on `today`, with the shipped vocabulary."""
    from assistant.base.settings import DIALOGS_DIR
    from assistant.insights.compute import compute
    from assistant.insights.vocabulary import load_vocabulary
    from assistant.journal.records import SessionRecord

    records = [SessionRecord.from_dict(s) for s in sessions]
    return compute(records, load_vocabulary(DIALOGS_DIR / "themes.yaml"), today)
