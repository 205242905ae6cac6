"""Wiring `reflect breathe` and `reflect pause`: their data files are read and their options
checked before anything is opened, like a script's."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.base.errors import BadInputError
from assistant.base.settings import ListenSettings
from assistant.breathe.bar import LiveBar
from assistant.breathe.patterns import (
    DEFAULT_PATTERN,
    MAX_MINUTES,
    MIN_MINUTES,
    Pattern,
    find_pattern,
)
from assistant.breathe.pause_rule import SystemClock, check_minutes, load_pause_texts
from assistant.breathe.texts import load_breathe_texts
from assistant.coach.rehearsal import load_rehearsals
from assistant.conversation.activities import BreatheSession, PauseSession, activity_script
from assistant.conversation.session import Session
from assistant.dialog.script import Script


@dataclass(frozen=True)
class Activity:
    script: Script
    session: Callable[..., Session]  # (console, *the session's parts) -> the session


def load_activity(
    name: str, args: argparse.Namespace, dialogs_dir: Path, listen: ListenSettings
) -> Activity | None:
    if name == "breathe":
        pattern = find_pattern(args.pattern or DEFAULT_PATTERN, dialogs_dir / "breathing")
        minutes = args.minutes
        if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise BadInputError(
                f"--minutes {minutes:g}: use {MIN_MINUTES:g} to {MAX_MINUTES:g} minutes"
            )
        texts = load_breathe_texts(dialogs_dir / "breathe.yaml")
        script = activity_script("breathe", pattern.description, listen)
        return Activity(script, lambda console, *parts: _breathe(pattern, minutes, texts, parts))
    if name == "pause":
        minutes_int = check_minutes(args.minutes)
        texts = load_pause_texts(dialogs_dir / "pause_rule.yaml")
        rehearsals = load_rehearsals(dialogs_dir / "rehearsals").values()
        openers = tuple(r.example for r in rehearsals if r.example)
        script = activity_script("pause", "A break in a heated talk", listen)
        clock = SystemClock()

        def session(console: object, *parts: object) -> Session:
            return PauseSession(texts, minutes_int, openers, None, clock.now, *parts)

        return Activity(script, session)
    return None


def _breathe(pattern: Pattern, minutes: float | None, texts: object, parts: tuple) -> Session:
    bar = None
    if sys.stderr.isatty():
        from rich.console import Console as RichConsole

        bar = LiveBar(texts.labels, texts.round, RichConsole(stderr=True))  # type: ignore[attr-defined]
    session = BreatheSession(pattern, minutes, bar, *parts)
    session._breathing = (pattern, texts)  # type: ignore[assignment]
    return session
