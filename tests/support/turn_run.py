"""One session of plain questions answered by the simulated person (tests/support/person.py), in
process, on the shared clock: the real listener (Vosk, Silero, Smart Turn), the real session,
espeak-ng questions on the real player, a real journal in a temp dir (the flows harness,
tests/support/flows.py). Used by tests/flows/test_turn_taking.py and
scripts/eval_turn_taking.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.dialog.script import load_script
from assistant.speech.endpoint import PauseRules, Silence
from assistant.speech.listener import SpeechListener
from assistant.speech.smart_turns import turn_taking

from flows import run_spoken
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
    end_silence_s: float | None = None, safety: bool = True, **listen: float | bool,
) -> TurnRun:  # fmt: skip
    """`commands`: unused (the harness reads dialogs/commands.yaml), kept for the callers.
    `listen`: more listen settings of the script (a rule being tuned). `safety`: off, the turns
    alone (a concern raised on a misheard answer would end the run in the safety flow)."""
    path = tmp / "turns.yaml"
    path.write_text(question_script(len(answers), end_silence_s, **listen))
    person = Person(answers)
    explained: list[str] = []
    vad, detector = turn_taking(explained.append) if smart else (None, PauseRules(Silence()))
    done = run_spoken(
        load_script(path), person, data_dir=tmp / "journal", model=model, turns=(vad, detector),
        safety=safety,
    )
    [session] = done.stored
    return TurnRun(
        session["turns"], person.said, done.said.texts(), explained, done.listener, detector,
        done.outcome.status,
    )  # fmt: skip
