"""What a session will run (its Plan): a script's questions, a rehearsal, `reflect breathe` or
`reflect pause`. Their data files are read and their options checked before anything is opened.
The CLI's session wiring and the tests' flows harness both start from here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.base.errors import BadInputError
from assistant.base.settings import ListenSettings, VoiceSettings
from assistant.breathe.bar import LiveBar
from assistant.breathe.patterns import (
    DEFAULT_PATTERN,
    MAX_MINUTES,
    MIN_MINUTES,
    find_pattern,
)
from assistant.breathe.pause_rule import SystemClock, check_minutes, load_pause_texts
from assistant.breathe.texts import BreatheTexts, load_breathe_texts
from assistant.coach.rehearsal import Rehearsal, find_rehearsal, load_rehearsals
from assistant.coach.rules import CoachRules, load_coaching
from assistant.conversation import context
from assistant.conversation.activities import Breathe, Pause, activity_script
from assistant.conversation.rehearse import Rehearse, rehearsal_script
from assistant.conversation.session import Session
from assistant.dialog.script import Script, find_script
from assistant.events import Listener
from assistant.journal.store import Journal
from assistant.safety.respond import Safeguards
from assistant.speech.commands import CommandSet
from assistant.speech.second_pass import SecondPass
from assistant.speech.voice import Synthesizer, Voice
from assistant.speech.voices import partner_synths


@dataclass(frozen=True)
class Plan:
    script: Script
    run: context.Activity | None = None  # in place of the script's questions (None: them)
    breathing: context.Breathing | None = None  # the session's breathing, when not the default
    rehearsal: tuple[Rehearsal, CoachRules] | None = None  # its partner needs the session's voice

    def session(
        self,
        listener: Listener,
        voice: Voice,
        journal: Journal,
        commands: CommandSet,
        show_answer: Callable[[str], None],
        safeguards: Safeguards | None,
        voice_settings: VoiceSettings | None,
        second_pass: SecondPass | None = None,
    ) -> Session:
        """The session that runs this plan. A rehearsal's partner speaks in the second voice
        with these settings (None: silent, like the guide)."""
        activity = self.run
        if self.rehearsal is not None:
            practice, coaching = self.rehearsal
            synths: list[Synthesizer] = []
            if voice_settings is not None:
                synths = partner_synths(voice_settings)
            activity = Rehearse(practice, coaching, voice.speaking_as(synths))
        return Session(
            self.script, listener, voice, journal, commands, show_answer, safeguards,
            activity=activity, breathing=self.breathing, second_pass=second_pass,
        )  # fmt: skip


def plan_session(
    name: str,
    rehearsal: str | None,
    args: argparse.Namespace,
    dialogs_dir: Path,
    listen: ListenSettings,
) -> Plan:
    """The script `name` (or the activity of that name), or with `rehearsal` that rehearsal."""
    if rehearsal is not None:
        practice = find_rehearsal(rehearsal, dialogs_dir / "rehearsals")
        coaching = load_coaching(dialogs_dir / "coaching.yaml")
        return Plan(rehearsal_script(practice, listen), rehearsal=(practice, coaching))
    activity = load_activity(name, args, dialogs_dir, listen)
    return activity if activity is not None else Plan(find_script(name, dialogs_dir))


def load_activity(
    name: str, args: argparse.Namespace, dialogs_dir: Path, listen: ListenSettings
) -> Plan | None:
    """`reflect breathe` or `reflect pause` (else None)."""
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
        return Plan(script, Breathe(pattern, minutes, _bar(texts)), breathing)
    if name == "pause":
        minutes_int = check_minutes(args.minutes)
        texts = load_pause_texts(dialogs_dir / "pause_rule.yaml")
        rehearsals = load_rehearsals(dialogs_dir / "rehearsals").values()
        openers = tuple(r.example for r in rehearsals if r.example)
        script = activity_script("pause", "A break in a heated talk", listen)
        return Plan(script, Pause(texts, minutes_int, openers, start=SystemClock().now))
    return None


def _bar(texts: BreatheTexts) -> LiveBar | None:
    """The breathing bar, on a terminal."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console as RichConsole

    return LiveBar(texts.labels, texts.round, RichConsole(stderr=True))
