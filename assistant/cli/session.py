"""Wiring one session: pick the source, the sink and the voice, then hand them to the core.

Everything that can fail on bad input is checked before the journal is touched, so a bad WAV
or a missing model writes nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from assistant.audio import devices
from assistant.audio.duplex import AlignedWav, FileDuplex, HalfDuplex, MicDuplex, Recorded
from assistant.audio.duplex import Transport as AudioTransport
from assistant.audio.server_echo import ServerEchoCancel
from assistant.audio.sinks import AudioSink, NullSink, SpeakerSink, WavSink
from assistant.audio.sources import WavSource
from assistant.audio.wav import WavStream, wav_bytes
from assistant.base.background import Background
from assistant.base.errors import AudioDeviceError, BadInputError
from assistant.base.settings import ListenSettings, VoiceSettings
from assistant.base.text import plural
from assistant.cli import passphrase
from assistant.cli.activity import plan_session
from assistant.cli.console import Console
from assistant.events import Listener
from assistant.journal.store import Journal
from assistant.safety.respond import load_safeguards
from assistant.speech.commands import load_commands
from assistant.speech.listener import SpeechListener
from assistant.speech.model import load_model_in_background
from assistant.speech.second_pass import SecondPass
from assistant.speech.smart_turns import turn_taking
from assistant.speech.typed import TypedListener
from assistant.speech.voice import Voice
from assistant.speech.voices import BY_NAME as VOICES
from assistant.speech.voices import guide_synths


def _sink(args: argparse.Namespace, settings: VoiceSettings) -> tuple[AudioSink, str]:
    """The sink, and a note for the user if the voice cannot be heard."""
    if args.silent:
        return NullSink(), ""
    if args.audio_out:
        return WavSink(args.audio_out, gap_s=settings.gap_s), ""
    try:
        if devices.has_device("output", args.output_device):
            return SpeakerSink(args.output_device), ""
    except AudioDeviceError:
        pass
    return NullSink(), "no speaker found; prompts are printed only"


def _transport(
    args: argparse.Namespace, audio: WavStream | None, listen: ListenSettings
) -> tuple[AudioTransport, str]:
    """Where the person's voice comes from (`audio`: the --audio-in file) and the assistant's
    goes, on one clock where they share one; and a note if the voice cannot be heard."""
    if audio is not None and not args.duplex:  # the person's side only: prompts play whole
        return HalfDuplex(WavSource(audio, listen.chunk_frames)), ""
    out = AlignedWav(args.audio_out, listen.sample_rate_hz) if args.audio_out else None
    if audio is not None:
        return FileDuplex(audio, out, listen.frame_samples), ""
    if not devices.has_device("input", args.device):
        raise AudioDeviceError("no microphone found; use --typed, or --audio-in FILE.wav")
    speaker = not args.silent and out is None
    note = ""
    if speaker and not devices.has_device("output", args.output_device):
        speaker, note = False, "no speaker found; prompts are printed only"
    echo = None
    if speaker and args.device is None and args.output_device is None and args.echo_cancel:
        echo = ServerEchoCancel.start()  # the sound server's canceller, where it has one
    try:
        mic = MicDuplex(
            args.device, args.output_device, speaker, out, listen.sample_rate_hz,
            listen.frame_samples, on_close=echo.close if echo else None,
        )  # fmt: skip
    except BaseException:
        if echo:
            echo.close()
        raise
    return mic, note


def _chosen_voice(
    args: argparse.Namespace, journal: Journal, settings: VoiceSettings, console: Console
) -> VoiceSettings:
    """--voice NAME (checked when the options were read), else the one saved with `reflect
    setup --voice`, else the default."""
    name = getattr(args, "voice", None) or journal.config().get("voice")
    if name and name not in VOICES:  # saved by another version
        console.note(f"the saved voice {name!r} is unknown; using {settings.voice_name}")
        name = None
    return replace(settings, voice_name=name) if name else settings


def run_session(
    name: str,
    args: argparse.Namespace,
    dialogs_dir: Path,
    data_dir: Path,
    listen: ListenSettings,
    voice_settings: VoiceSettings,
    rehearsal: str | None = None,
    started: Background | None = None,
) -> int:
    """Run the script `name`, or with `rehearsal` the rehearsal of that name. `started`: the
    model's load, begun while this module was imported."""
    plan = plan_session(name, rehearsal, args, dialogs_dir, listen)
    commands = load_commands(dialogs_dir / "commands.yaml")
    console = Console()

    transport: AudioTransport | None = None
    recorder: Recorded | None = None
    model: Background | None = None
    second_pass: SecondPass | None = None
    listener: Listener
    if args.typed and args.keep_audio:
        raise BadInputError("--keep-audio keeps spoken answers; with --typed there are none")
    if args.duplex and not args.audio_in:
        raise BadInputError("--duplex describes an --audio-in file; give one")
    note = ""
    if args.typed:
        if sys.stdin is None:
            raise BadInputError("--typed reads answers from standard input, which is closed")
        sys.stdin.reconfigure(errors="replace")  # a stray byte must not cost the session
        at_terminal = sys.stdin.isatty()
        listener = TypedListener(sys.stdin, commands, prompt="> " if at_terminal else "")
        console.typing, console.typing_at_terminal = True, at_terminal
        sink, note = _sink(args, voice_settings)  # an unwritable --audio-out stops us here
    else:
        # Its header is checked now; the samples are read as they are heard (an hour is 115 MB).
        audio = WavStream(args.audio_in, listen.sample_rate_hz) if args.audio_in else None
        # Found now (a missing model stops us before anything is said), loaded on a thread while
        # the first prompt is spoken: the listener waits for it when it first hears.
        model = load_model_in_background(args.model, started)
        transport, note = _transport(args, audio, listen)
        if args.keep_audio:
            transport = recorder = Recorded(transport)
        vad, turns = turn_taking(console.note if args.show_turns else None)
        # Whisper loads on its own worker; missing, it is one line and the live text is kept.
        second_pass = SecondPass(note=console.note)
        listener = SpeechListener(
            transport, model, commands, on_partial=console.partial, turns=turns, vad=vad
        )
        sink = NullSink()
        if transport.player is None:  # half duplex: a sink plays each prompt whole
            sink, note = _sink(args, voice_settings)

    # What is said when the check fires is validated now; the check compiles on a thread.
    safeguards = load_safeguards(dialogs_dir, after=model)

    # A damaged or locked journal (wrong passphrase) stops us here, before anything is said.
    journal = Journal(data_dir, passphrase=passphrase.ask, warn=console.note)
    if note:
        console.note(note)
    voice_settings = _chosen_voice(args, journal, voice_settings, console)
    synths = [] if args.silent else guide_synths(voice_settings)
    voice = Voice(
        synths,
        sink,
        show=console.prompt,
        warn=console.note,
        show_clearly=console.clearly,
        player=transport.player if transport is not None else None,
        wait=time.sleep if args.typed else None,  # typed: timed pauses take real time
        gap_s=voice_settings.gap_s,
    )
    voice.attach(listener)
    session = plan.session(
        listener, voice, journal, commands, console.answer, safeguards,
        None if args.silent else voice_settings, second_pass,
    )  # fmt: skip
    try:
        outcome = session.run()
    finally:
        voice.close()
        if second_pass is not None:
            second_pass.close()
        if transport is not None:
            for line in transport.notes():
                console.note(line)
            transport.close()
        if recorder is not None and session.session_id:  # kept even after Ctrl-C
            kept = journal.save_audio(session.session_id, wav_bytes(recorder.recording()))
            if kept:
                console.note(f"audio kept in {kept}")
        journal.close()
    if session.summary:  # a breathing exercise or a break
        console.note(f"session {outcome.session_id} saved: {session.summary}")
        return 0
    if not outcome.answers:  # an empty session is not kept (Journal.finish)
        console.note("nothing was said, so nothing was kept")
        return 0
    answers = plural(outcome.answers, "answer")
    console.note(
        f"session {outcome.session_id} saved: {outcome.status.value}, {answers} "
        f"(reflect show {outcome.session_id})"
    )
    return 0
