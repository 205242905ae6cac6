"""Wiring one session: pick the source, the sink and the voice, then hand them to the core.

Everything that can fail on bad input is checked before the journal is touched, so a bad WAV
or a missing model writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant import passphrase
from assistant.audio import devices
from assistant.audio.sinks import AudioSink, NullSink, SpeakerSink, WavSink
from assistant.audio.sources import AudioSource, MicSource, RecordingSource, WavSource
from assistant.audio.wav import read_wav, wav_bytes
from assistant.console import Console
from assistant.dialog.script import find_script
from assistant.dialog.session import Session
from assistant.errors import AudioDeviceError, BadInputError
from assistant.events import Listener
from assistant.journal.store import Journal
from assistant.safety.respond import load_safeguards
from assistant.settings import ListenSettings, VoiceSettings
from assistant.speech.commands import load_commands
from assistant.speech.listener import SpeechListener
from assistant.speech.model import load_model
from assistant.speech.typed import TypedListener
from assistant.speech.voice import EspeakCliSynth, Pyttsx3Synth, Voice


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


def _microphone(args: argparse.Namespace, listen: ListenSettings) -> AudioSource:
    if not devices.has_device("input", args.device):
        raise AudioDeviceError("no microphone found; use --typed, or --audio-in FILE.wav")
    return MicSource(args.device, listen.sample_rate_hz, listen.chunk_frames)


def run_session(
    name: str,
    args: argparse.Namespace,
    dialogs_dir: Path,
    data_dir: Path,
    listen: ListenSettings,
    voice_settings: VoiceSettings,
) -> int:
    script = find_script(name, dialogs_dir)
    commands = load_commands(dialogs_dir / "commands.yaml")
    safeguards = load_safeguards(dialogs_dir)  # the safety check, and what is said when it fires
    console = Console()

    source: AudioSource | None = None
    recorder: RecordingSource | None = None
    listener: Listener
    if args.typed and args.keep_audio:
        raise BadInputError("--keep-audio keeps spoken answers; with --typed there are none")
    if args.typed:
        if sys.stdin is None:
            raise BadInputError("--typed reads answers from standard input, which is closed")
        sys.stdin.reconfigure(errors="replace")  # a stray byte must not cost the session
        listener = TypedListener(sys.stdin, commands, prompt="> " if sys.stdin.isatty() else "")
    else:
        audio = read_wav(args.audio_in, listen.sample_rate_hz) if args.audio_in else None
        model = load_model(args.model)  # before the microphone opens: loading takes a moment
        source = (
            WavSource(audio, listen.chunk_frames)
            if audio is not None
            else _microphone(args, listen)
        )
        if args.keep_audio:
            source = recorder = RecordingSource(source)
        listener = SpeechListener(source, model, commands, on_partial=console.partial)

    sink, note = _sink(args, voice_settings)  # an unwritable --audio-out stops us here
    # A damaged or locked journal (wrong passphrase) stops us here, before anything is said.
    journal = Journal(data_dir, passphrase=passphrase.ask, warn=console.note)
    if note:
        console.note(note)
    synths = [] if args.silent else [Pyttsx3Synth(voice_settings), EspeakCliSynth(voice_settings)]
    voice = Voice(
        synths, sink, show=console.prompt, warn=console.note, show_clearly=console.clearly
    )
    session = Session(script, listener, voice, journal, commands, console.answer, safeguards)
    try:
        outcome = session.run()
    finally:
        voice.close()
        if source is not None:
            source.close()
        if recorder is not None and session.session_id:  # kept even after Ctrl-C
            kept = journal.save_audio(session.session_id, wav_bytes(recorder.recording()))
            if kept:
                console.note(f"audio kept in {kept}")
        journal.close()
    if not outcome.answers:  # an empty session is not kept (Journal.finish)
        console.note("nothing was said, so nothing was kept")
        return 0
    answers = f"{outcome.answers} answer{'' if outcome.answers == 1 else 's'}"
    console.note(
        f"session {outcome.session_id} saved: {outcome.status}, {answers} "
        f"(reflect show {outcome.session_id})"
    )
    return 0
