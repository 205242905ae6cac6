"""One session of plain questions answered by the simulated person (tests/support/person.py), in
process, on the shared clock: the real listener (Vosk, Silero, Smart Turn), the real session,
espeak-ng questions on the real player, a real journal in a temp dir. Used by
tests/flows/test_turn_taking.py and scripts/eval_turn_taking.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.audio.sinks import NullSink
from assistant.base.settings import DIALOGS_DIR, VoiceSettings
from assistant.dialog.script import load_script
from assistant.journal.store import Journal
from assistant.safety.notices import NOTICE_FLAG
from assistant.safety.respond import load_safeguards
from assistant.speech.endpoint import PauseRules, Silence
from assistant.speech.listener import SpeechListener
from assistant.speech.smart_turns import turn_taking
from assistant.speech.voice import EspeakCliSynth, Voice

from person import Person, Said, question_script


@dataclass
class TurnRun:
    turns: list[dict]  # as stored
    said: list[Said]  # as the person said them
    shown: list[str]  # what the assistant printed (its prompts)
    explained: list[str]  # how each answer ended (the pause rules' report)
    listener: SpeechListener
    detector: PauseRules
    status: str


def run_turns(
    tmp: Path, answers: list[np.ndarray], model, commands, *, smart: bool = True,
    end_silence_s: float = 3.0,
) -> TurnRun:  # fmt: skip
    from assistant.conversation.session import Session

    path = tmp / "turns.yaml"
    path.write_text(question_script(len(answers), end_silence_s))
    script = load_script(path)
    person = Person(answers)
    explained: list[str] = []
    if smart:
        vad, detector = turn_taking(explained.append)
    else:
        vad, detector = None, PauseRules(Silence())
    listener = SpeechListener(person, model, commands, turns=detector, vad=vad)
    shown: list[str] = []
    voice = Voice(
        [EspeakCliSynth(VoiceSettings())], NullSink(), show=shown.append, player=person.player
    )
    voice.attach(listener)
    journal = Journal(tmp / "journal")
    journal.set_flag(NOTICE_FLAG, True)
    try:
        outcome = Session(
            script, listener, voice, journal, commands, safeguards=load_safeguards(DIALOGS_DIR)
        ).run()
        [session] = [s.to_dict() for s in journal.sessions()]
    finally:
        voice.close()
        journal.close()
    return TurnRun(
        session["turns"], person.said, shown, explained, listener, detector, outcome.status
    )
