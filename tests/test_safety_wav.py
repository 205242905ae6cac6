"""A spoken self-harm disclosure, end to end: a WAV of answers (espeak-ng, made now) through the
real CLI, the real Vosk model, the real safety check and journal; what the assistant says is
written to a WAV and heard back with the same model."""

from __future__ import annotations

import json

from assistant.audio.wav import read_wav
from assistant.dialog.script import find_script
from assistant.safety.respond import load_safeguards
from assistant.safety.support import Resources
from assistant.settings import DIALOGS_DIR

from audio_helpers import conversation, write
from conftest import reflect
from wer import plain_vosk_transcript

EVENING = find_script("evening", DIALOGS_DIR)
SUPPORT = load_safeguards(DIALOGS_DIR).support


def test_a_spoken_self_harm_disclosure_interrupts_the_evening(tmp_path, model):
    answers = write(
        tmp_path / "answers.wav",
        conversation(
            [
                1.0,
                "My partner did not reply to my messages last night.",
                4.0,
                "I want to die.",  # at the fear question
                4.0,
                "stop",  # at the safety flow's choice
                3.0,
            ]
        ),
    )
    spoken, data = tmp_path / "assistant.wav", tmp_path / "d"
    result = reflect(
        "evening", "--audio-in", str(answers), "--audio-out", str(spoken), "--data-dir", str(data)
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout

    # The script stopped at the disclosure: no later question, no usual goodbye.
    assert f"» {EVENING.states['fear'].prompt}" in out
    for later in ("roots", "need", "kindness"):
        assert EVENING.states[later].prompt not in out
    assert EVENING.outro not in out
    # What to do now, printed one sentence per line, after the disclosure.
    after = out.split("  you: ")[-1]
    assert "want to die" in after.splitlines()[0]
    lines = after.splitlines()
    for sentence in (
        "If you are in danger or feel unsafe right now, please call your local emergency number.",
        "In the US, you can also call or text 988, day or night, to talk with someone.",
        SUPPORT.openers["self-harm"]["self"].split(". ")[0] + ".",
    ):
        assert f"» {sentence}" in lines
    assert f"» {SUPPORT.fill(SUPPORT.stopped, Resources()).split('. ')[0]}." in lines

    # ... and spoken: heard back in the assistant's WAV after the fear question ("what were you
    # afraid might happen"), which nothing before it says.
    heard = plain_vosk_transcript(model, read_wav(spoken).samples)
    assert heard.count("afraid") == 1
    safety_part = heard.split("afraid", 1)[1]
    # Key words only: the small model varies run to run on this voice ("number. In the US" as
    # "in value as", "talk with" as "thought when"), and hears 988 said digit by digit as "i
    # they'd they'd pay".
    assert {"danger", "unsafe", "local", "emergency", "someone"} <= set(safety_part.split())
    assert "roots" not in safety_part and "kind thing" not in safety_part

    exported = reflect("export", "--format", "json", "--data-dir", str(data))
    [session] = json.loads(exported.stdout)["sessions"]
    assert session["status"] == "safety" and session["safety"] == ["self-harm"]
    assert [t["state"] for t in session["turns"]] == ["today", "fear"]
    assert "die" in session["turns"][1]["answer"]
    history = reflect("history", "--data-dir", str(data)).stdout
    assert f"{session['id']}" in history and "safety (self-harm)" in history
