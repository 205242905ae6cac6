"""The flows harness: one whole session in this process, wired as the CLI wires it, and what came
of it (like Pipecat's `run_test`: real parts, fake edges).

    result = run_typed("evening", ["a late reply", "stop"], data_dir=tmp_path)
    result.said        # what the voice said, in order (what it said slowly marked)
    result.printed     # the answers as shown
    result.session     # the session as the journal stored it (result.exported: as exported)

Real: the script from dialogs/, the Session, the safety check, the journal (in `data_dir`), the
typed listener or the speech listener with the Vosk model, the voice activity detector and the
turn model. Fake: the terminal (lists instead of stdout) and, unless a test wants the sound, the
voice (silent). `run_wav` takes a WAV of the person's side only, or (duplex) what the microphone
heard from the start, on one clock with what the assistant says; `run_spoken` any transport (a
simulated person). `cli` runs a `reflect` command in this process with its output captured: the
tools (export, show, history, ...), typed sessions through the CLI's own wiring, exit codes.

The wiring below follows assistant/cli/session.py; keep the two alike.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TextIO

import numpy as np

from assistant.audio.duplex import AlignedWav, FileDuplex, HalfDuplex, Transport
from assistant.audio.sinks import NullSink, WavSink
from assistant.audio.sources import WavSource
from assistant.audio.wav import Audio, read_wav
from assistant.base.settings import DIALOGS_DIR, ListenSettings, VoiceSettings
from assistant.cli.activity import Plan, plan_session
from assistant.cli.console import Console
from assistant.cli.main import main
from assistant.conversation.session import Outcome
from assistant.dialog.script import Script
from assistant.events import Listener
from assistant.journal.export import to_json
from assistant.journal.records import SessionRecord, Status, Turn
from assistant.journal.store import Journal
from assistant.safety.notices import NOTICE_FLAG
from assistant.safety.resources import Resources
from assistant.safety.respond import Safeguards, load_safeguards
from assistant.speech.commands import CommandSet, load_commands
from assistant.speech.endpoint import PauseRules
from assistant.speech.listener import SpeechListener
from assistant.speech.second_pass import SecondPass
from assistant.speech.smart_turns import turn_taking
from assistant.speech.typed import TypedListener
from assistant.speech.vad import VoiceActivity
from assistant.speech.voice import EspeakCliSynth, Voice

RATE = ListenSettings.sample_rate_hz


@cache
def commands(dialogs_dir: Path = DIALOGS_DIR) -> CommandSet:
    return load_commands(dialogs_dir / "commands.yaml")


@cache
def safeguards(dialogs_dir: Path = DIALOGS_DIR) -> Safeguards:
    """The real check (rules and learned layer), loaded once for all the flows."""
    return load_safeguards(dialogs_dir)


class Said(list):
    """What the voice said, in order; what it said slowly (shown clearly) is ("slow", text)."""

    def plain(self, text: str) -> None:
        self.append(text)

    def slow(self, text: str) -> None:
        self.append(("slow", text))

    def texts(self) -> list[str]:
        return [t[1] if isinstance(t, tuple) else t for t in self]


@dataclass
class FlowResult:
    outcome: Outcome
    said: Said  #: what the voice said (and printed), in order
    printed: list[str]  #: the answers as shown, one per turn saved
    notes: list[str]  #: the voice's warnings and how each spoken answer ended (--show-turns)
    listener: Listener  #: the typed or speech listener, as it ended
    records: list[SessionRecord]  #: every session in the journal, as the journal reads it
    audio_out: Audio | None = None  #: what the assistant said, when a WAV was asked for

    @property
    def stored(self) -> list[dict]:
        """Every session in the journal, as the journal holds it (its stored form)."""
        return [record.to_dict() for record in self.records]

    @property
    def session(self) -> dict:
        """The session just run, as stored; {} when it was not kept (nothing was said)."""
        return next((s for s in self.stored if s["id"] == self.outcome.session_id), {})

    @property
    def exported(self) -> list[dict]:
        """Every session in the journal, as `reflect export --format json` gives them."""
        return json.loads(to_json(self.records))["sessions"]


def run_typed(
    script: str | Script, lines: list[str], *, data_dir: Path, tty: bool = False, **options
) -> FlowResult:
    """A typed session: one line per answer, the end of `lines` is the end of input. `tty`:
    as at a terminal (the listener's prompt, the hints for a long answer)."""
    text = io.StringIO("".join(f"{line}\n" for line in lines))
    listener = TypedListener(text, commands(), prompt="> " if tty else "")
    return _run(script, listener, data_dir, voice=_voice, **options)


def run_wav(
    script: str | Script,
    wav: np.ndarray | Path,
    *,
    data_dir: Path,
    model: object,
    duplex: bool = False,
    audio_out: Path | None = None,
    **options,
) -> FlowResult:
    """A spoken session from a WAV (16 kHz samples, or a file). Half duplex, the WAV holds the
    person's side only and the prompts take no time on it; `duplex`: it is what the microphone
    heard from the start, the assistant's speech (espeak-ng) takes time on the same clock, and
    `audio_out` (if given) is aligned with it sample for sample. Half duplex, `audio_out` gets
    the prompts spoken whole; without it the voice is silent."""
    listen = ListenSettings()
    audio = read_wav(wav, listen.sample_rate_hz) if isinstance(wav, Path) else Audio(wav, RATE)
    if duplex:
        out = AlignedWav(audio_out, listen.sample_rate_hz) if audio_out else None
        transport = FileDuplex(audio, out, listen.frame_samples)
    else:
        transport = HalfDuplex(WavSource(audio, listen.chunk_frames))
    result = run_spoken(script, transport, data_dir=data_dir, model=model, audio_out=audio_out,
                        **options)  # fmt: skip
    if audio_out:
        result.audio_out = read_wav(audio_out, rate_hz=None)
    return result


def run_spoken(
    script: str | Script,
    transport: Transport,
    *,
    data_dir: Path,
    model: object,
    audio_out: Path | None = None,
    turns: tuple[VoiceActivity | None, PauseRules] | None = None,
    **options,
) -> FlowResult:
    """A spoken session on any transport (a WAV's, or a simulated person's). Full duplex (the
    transport has a player) the voice speaks with espeak-ng on its clock; half duplex it speaks
    into `audio_out` if given, else it is silent. `turns`: the voice activity detector and turn
    detector (default: the CLI's, whose notes say how each answer ended)."""
    notes: list[str] = []
    vad, detector = turns or turn_taking(notes.append)
    listener = SpeechListener(transport, model, commands(), turns=detector, vad=vad)
    audible = transport.player is not None or audio_out is not None
    synths = [EspeakCliSynth(VoiceSettings())] if audible else []
    whole = audio_out is not None and transport.player is None  # half duplex: prompts whole
    sink = WavSink(audio_out, gap_s=VoiceSettings.gap_s) if whole else NullSink()

    def voice(said: Said, warn: Callable[[str], None]) -> Voice:
        made = _voice(said, warn, synths, sink, transport.player)
        made.attach(listener)
        return made

    try:
        return _run(
            script, listener, data_dir, voice=voice, notes=notes, audible=audible, **options
        )
    finally:
        transport.close()


def _voice(said: Said, warn: Callable[[str], None], synths=(), sink=None, player=None) -> Voice:
    """Silent unless given synthesisers; timed pauses take no real time (they are not waited)."""
    return Voice(
        list(synths), sink or NullSink(), show=said.plain, warn=warn, show_clearly=said.slow,
        player=player, gap_s=VoiceSettings.gap_s,
    )  # fmt: skip


def _run(
    script: str | Script,
    listener: Listener,
    data_dir: Path,
    *,
    voice: Callable[[Said, Callable[[str], None]], Voice],
    notes: list[str] | None = None,
    audible: bool = False,
    safety: bool = True,
    first_run: bool = False,
    resources: Resources | None = None,
    rehearsal: str | None = None,
    pattern: str | None = None,
    minutes: float | str | None = None,
    dialogs_dir: Path = DIALOGS_DIR,
    second_pass: SecondPass | None = None,
) -> FlowResult:
    """`safety`: with the safety check, as the CLI always runs (off: the loop alone).
    `first_run`: a journal that has not yet given its first-run notice (by default it has, so a
    session starts with its intro). `resources`: where help is, as `reflect setup` keeps it.
    `rehearsal`: run that rehearsal (`script` is then its name too); `pattern` and `minutes`:
    the options of the activities (`reflect breathe`, `reflect pause`)."""
    notes = [] if notes is None else notes
    said, printed = Said(), []
    listen = ListenSettings()
    journal = Journal(data_dir, warn=notes.append)
    if not first_run:
        journal.set_flag(NOTICE_FLAG, True)
    if resources:
        journal.set_config(resources.to_config())
    spoken = voice(said, notes.append)
    guards = safeguards(dialogs_dir) if safety else None
    name = script if isinstance(script, str) else script.name
    if name == "pause" and minutes is None:
        minutes = "20"  # the option's default
    options = argparse.Namespace(pattern=pattern, minutes=minutes)
    if isinstance(script, Script):
        plan = Plan(script)
    else:
        plan = plan_session(name, rehearsal, options, dialogs_dir, listen)
    session = plan.session(
        listener, spoken, journal, commands(dialogs_dir), printed.append, guards,
        VoiceSettings() if audible else None, second_pass,
    )  # fmt: skip
    try:
        outcome = session.run()
    finally:
        spoken.close()
        stored = journal.sessions()
        journal.close()
    return FlowResult(outcome, said, printed, notes, listener, stored)


@dataclass(frozen=True)
class Done:
    """A `reflect` command run in this process, like subprocess.run's result."""

    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, stdin: str | TextIO = "") -> Done:
    """`reflect ARGS` in this process, its input `stdin` (text, or an open file such as a
    terminal's): what it printed and its exit code. A spoken session wants run_wav instead (the
    shared model, not one loaded per run)."""
    out, err = io.StringIO(), io.StringIO()
    # Console's streams default to those of when it was imported: point them here too.
    defaults = Console.__init__.__defaults__
    Console.__init__.__defaults__ = (out, err)
    real_stdin = sys.stdin
    if isinstance(stdin, str):
        stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    sys.stdin = stdin
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as done:  # argparse's --help and usage errors, as in a process
                code = done.code if isinstance(done.code, int) else 1
    finally:
        sys.stdin = real_stdin
        Console.__init__.__defaults__ = defaults
    return Done(code, out.getvalue(), err.getvalue())


def exported(data_dir: Path) -> list[dict]:
    """Every session in the journal at `data_dir`, as `reflect export --format json` prints it."""
    done = cli("export", "--format", "json", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["sessions"]


def journal_with(folder: Path, *turns: dict) -> str:
    """A journal at `folder` with one more completed session of these turns (each as stored);
    its id."""
    journal = Journal(folder)
    sid = journal.start("evening")
    for turn in turns:
        journal.add_turn(sid, Turn.from_dict(turn))
    journal.finish(sid, Status.COMPLETED)
    journal.close()
    return sid
