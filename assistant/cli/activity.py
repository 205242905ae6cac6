"""Wiring `reflect breathe` and `reflect pause`: their data files are read and their options
checked before anything is opened, like a script's."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.base.errors import BadInputError
from assistant.base.settings import ListenSettings
from assistant.breathe.bar import LiveBar
from assistant.breathe.patterns import (
    DEFAULT_PATTERN,
    MAX_MINUTES,
    MIN_MINUTES,
    find_pattern,
)
from assistant.breathe.pause_rule import SystemClock, check_minutes, load_pause_texts
from assistant.breathe.texts import BreatheTexts, load_breathe_texts
from assistant.coach.rehearsal import load_rehearsals
from assistant.conversation import context
from assistant.conversation.activities import Breathe, Pause, activity_script
from assistant.dialog.script import Script


@dataclass(frozen=True)
class Activity:
    script: Script
    run: context.Activity  # what the session does in place of the script's questions
    breathing: context.Breathing | None = None  # the session's breathing, when not the default


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
        breathing = context.Breathing(pattern, texts)
        return Activity(script, Breathe(pattern, minutes, _bar(texts)), breathing)
    if name == "pause":
        minutes_int = check_minutes(args.minutes)
        texts = load_pause_texts(dialogs_dir / "pause_rule.yaml")
        rehearsals = load_rehearsals(dialogs_dir / "rehearsals").values()
        openers = tuple(r.example for r in rehearsals if r.example)
        script = activity_script("pause", "A break in a heated talk", listen)
        return Activity(script, Pause(texts, minutes_int, openers, start=SystemClock().now))
    return None


def _bar(texts: BreatheTexts) -> LiveBar | None:
    """The breathing bar, on a terminal."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console as RichConsole

    return LiveBar(texts.labels, texts.round, RichConsole(stderr=True))
