"""The pause rule for a heated talk: a break with an agreed return time, spent soothing.

A small state machine over time that the caller owns: `begin()` at the start, `heard(text, at)`
for each thing the person says, `tick(at)` whenever time has passed (at `next_due()` at the
latest). Each returns typed events stamped with their clock time, so a session can drive it
while listening, and tests can drive it with a ManualClock without waiting minutes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Protocol

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.errors import BadInputError
from assistant.base.phrases import contains_phrase
from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import plural

PAUSE_FILE = DIALOGS_DIR / "pause_rule.yaml"
MIN_MINUTES, MAX_MINUTES = 1, 24 * 60  # a break comes back within a day
DEFAULT_MINUTES = SUGGESTED_MINUTES = 20  # a flooded body needs about this long to calm down
TOP_KEYS = {
    "short", "start", "start_tomorrow", "soothe", "offer_breathing", "grievance", "check_in",
    "end", "opener", "openers",
}  # fmt: skip
GRIEVANCE_KEYS = {"phrases", "say"}


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep_until(self, when: datetime) -> None: ...


class SystemClock:
    """Local wall-clock time, aware of its time zone."""

    def now(self) -> datetime:
        return datetime.now().astimezone()

    def sleep_until(self, when: datetime) -> None:
        delay = (when - self.now()).total_seconds()
        if delay > 0:
            time.sleep(delay)


class ManualClock:
    """A clock that moves only when told to, or when something waits on it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def sleep_until(self, when: datetime) -> None:
        self.current = max(self.current, when)

    def advance(self, seconds: float) -> datetime:
        self.current += timedelta(seconds=seconds)
        return self.current


@dataclass(frozen=True)
class PauseTexts:
    short: str  # why twenty minutes is suggested; {minutes}
    start: str  # {time}
    start_tomorrow: str  # {time}
    soothe: str
    offer_breathing: str
    grievance_phrases: tuple[str, ...]
    grievance: str
    check_in: str  # {remaining}
    end: str  # {time}
    opener: str  # {opener}
    openers: tuple[str, ...]


def load_pause_texts(path: Path = PAUSE_FILE) -> PauseTexts:
    r = Reader(path)
    top = load_yaml(path)
    unknown_keys(r, top, TOP_KEYS, "")
    grievance = r.mapping(top, "grievance", "grievance", GRIEVANCE_KEYS)

    def text(key: str, *placeholders: str) -> str:
        return r.text(top, key, key, placeholders)

    return PauseTexts(
        short=text("short", "minutes"),
        start=text("start", "time"),
        start_tomorrow=text("start_tomorrow", "time"),
        soothe=text("soothe"),
        offer_breathing=text("offer_breathing"),
        grievance_phrases=r.phrases(grievance, "phrases", "grievance.phrases"),
        grievance=r.text(grievance, "say", "grievance.say"),
        check_in=text("check_in", "remaining"),
        end=text("end", "time"),
        opener=text("opener", "opener"),
        openers=r.texts(top, "openers", "openers"),
    )


def check_minutes(value: object) -> int:
    """The length of the break, or a one-line error."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise BadInputError(
            f"--minutes must be a whole number from {MIN_MINUTES} to {MAX_MINUTES} (a day), "
            f"not {value!r}; {DEFAULT_MINUTES} is a good start"
        )
    return value


@dataclass(frozen=True)
class Say:
    text: str
    at: datetime


@dataclass(frozen=True)
class OfferBreathing:
    text: str
    at: datetime


@dataclass(frozen=True)
class CheckIn:
    text: str
    at: datetime


@dataclass(frozen=True)
class Done:
    opener: str  # the calm first sentence suggested (already said in a Say before)
    at: datetime


Event = Say | OfferBreathing | CheckIn | Done


class Stage(Enum):
    NOT_STARTED = "not started"
    WAITING = "waiting"
    CHECKED_IN = "checked in"
    DONE = "done"


def clock_time(when: datetime) -> str:
    """Hours and minutes, to the nearest minute (21:34)."""
    return (when + timedelta(seconds=30)).strftime("%H:%M")


class PauseRule:
    def __init__(
        self,
        texts: PauseTexts,
        minutes: int,
        started_at: datetime,
        openers: Sequence[str] = (),
        rng: random.Random | None = None,
    ) -> None:
        self.texts = texts
        self.minutes = check_minutes(minutes)
        self.started_at = started_at
        self.return_at = started_at + timedelta(minutes=self.minutes)
        self.halfway_at = started_at + timedelta(minutes=self.minutes / 2)
        #: The rehearsal scripts' openers where they exist, else the file's.
        self.openers = tuple(openers) or texts.openers
        self._rng = rng or random.Random()
        self.stage = Stage.NOT_STARTED

    def begin(self) -> list[Event]:
        at = self.started_at
        events: list[Event] = []
        if self.minutes < SUGGESTED_MINUTES:
            events.append(Say(self.texts.short.format(minutes=plural(self.minutes, 'minute')), at))
        tomorrow = self.return_at.date() != self.started_at.date()
        start = self.texts.start_tomorrow if tomorrow else self.texts.start
        events += [
            Say(start.format(time=clock_time(self.return_at)), at),
            Say(self.texts.soothe, at),
            OfferBreathing(self.texts.offer_breathing, at),
        ]
        self.stage = Stage.WAITING
        return events

    def next_due(self) -> datetime | None:
        """When tick() will next have something to say."""
        if self.stage is Stage.WAITING:
            return self.halfway_at
        if self.stage is Stage.CHECKED_IN:
            return self.return_at
        return None

    def tick(self, at: datetime) -> list[Event]:
        if self.stage in (Stage.NOT_STARTED, Stage.DONE):
            return []
        if at >= self.return_at:
            self.stage = Stage.DONE
            opener = self._rng.choice(self.openers)
            return [
                Say(self.texts.end.format(time=clock_time(at)), at),
                Say(self.texts.opener.format(opener=opener), at),
                Done(opener, at),
            ]
        if self.stage is Stage.WAITING and at >= self.halfway_at:
            self.stage = Stage.CHECKED_IN
            remaining = max(1, round((self.return_at - at).total_seconds() / 60))
            return [CheckIn(self.texts.check_in.format(remaining=plural(remaining, 'minute')), at)]
        return []

    def goes_over_grievance(self, text: str) -> bool:
        return contains_phrase(self.texts.grievance_phrases, text)

    def heard(self, text: str, at: datetime) -> list[Event]:
        """Something the person said during the break."""
        if self.stage is not Stage.DONE and self.goes_over_grievance(text):
            return [Say(self.texts.grievance, at), OfferBreathing(self.texts.offer_breathing, at)]
        return []


def run_on_clock(rule: PauseRule, clock: Clock) -> Iterator[Event]:
    """The whole break without listening: the opening, then each due event after a wait."""
    yield from rule.begin()
    while (due := rule.next_due()) is not None:
        clock.sleep_until(due)
        yield from rule.tick(clock.now())
