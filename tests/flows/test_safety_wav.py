"""A spoken self-harm disclosure, end to end: a WAV of answers (espeak-ng, made now) through the
flows harness, the real Vosk model, the real safety check and journal; what the assistant says
is written to a WAV and heard back with the same model. And speech while paused: heard, saved
and checked."""

from __future__ import annotations

from assistant.audio.sinks import WavSink
from assistant.audio.wav import read_wav
from assistant.base.settings import DIALOGS_DIR, VoiceSettings
from assistant.dialog.script import find_script
from assistant.journal.records import PAUSED_STATE
from assistant.safety.resources import Resources
from assistant.safety.respond import load_safeguards
from assistant.speech.voice import EspeakCliSynth, Voice

from audio_helpers import conversation
from flows import cli, run_wav
from wer import plain_vosk_transcript

EVENING = find_script("evening", DIALOGS_DIR)
SAFEGUARDS = load_safeguards(DIALOGS_DIR)
SUPPORT = SAFEGUARDS.support
HELP, CHOOSING = SUPPORT.help, SUPPORT.choosing
#: Words the model hears in the later questions when they are spoken (checked below), so their
#: absence after the disclosure means the questions were not asked.
LATER_WORDS = {"familiar": "roots", "tomorrow": "kindness"}


def test_a_spoken_self_harm_disclosure_interrupts_the_evening(tmp_path, model):
    answers = conversation(
        [
            1.0,
            "My partner did not reply to my messages last night.",
            4.0,
            "I want to die.",  # at the fear question
            4.0,
            "stop",  # at the safety flow's choice
            3.0,
        ]
    )
    spoken, data = tmp_path / "assistant.wav", tmp_path / "d"
    # The journal has given its first-run notice (34 s of slow speech, nothing of the check's).
    result = run_wav("evening", answers, data_dir=data, model=model, audio_out=spoken)
    said = result.said.texts()

    # The script stopped at the disclosure: no later question, no usual goodbye.
    assert EVENING.states["fear"].prompt in said
    for later in ("roots", "need", "kindness"):
        assert EVENING.states[later].prompt not in said
    assert EVENING.outro not in said
    # What to do now, said slowly (printed one sentence per line), after the disclosure.
    assert "want to die" in result.printed[-1]
    fear_at = said.index(EVENING.states["fear"].prompt)
    after = [t[1] for t in result.said[fear_at:] if isinstance(t, tuple)]  # ("slow", text)
    for sentence in (
        "If you are in danger or feel unsafe right now, please call your local emergency number.",
        "In the US, you can also call or text 988, the crisis line, day or night.",
        HELP.openers["self-harm"]["self"].split(". ")[0] + ".",
        f"{HELP.fill(CHOOSING.stopped, Resources()).split('. ')[0]}.",
    ):
        assert any(sentence in text for text in after), sentence

    # ... and spoken: heard back in the assistant's WAV after the fear question ("what were you
    # afraid might happen"), which nothing before it says.
    heard = plain_vosk_transcript(model, read_wav(spoken).samples)
    assert heard.count("afraid") == 1
    safety_part = heard.split("afraid", 1)[1]
    # Key words only: the small model varies run to run on this voice ("number. In the US" as
    # "in value as", "talk with" as "thought when"), and hears 988 said digit by digit as "i
    # they'd they'd pay".
    assert {"danger", "unsafe", "local", "emergency"} <= set(safety_part.split())
    for word, state in LATER_WORDS.items():
        assert word not in safety_part.split(), state

    [session] = result.exported
    assert session["status"] == "safety" and session["safety"] == ["self-harm"]
    assert [t["state"] for t in session["turns"]] == ["today", "fear"]
    assert "die" in session["turns"][1]["answer"]
    history = cli("history", "--data-dir", str(data)).stdout
    assert f"{session['id']}" in history and "safety (self-harm)" in history


def test_the_later_questions_words_are_heard_when_spoken(tmp_path, model):
    """What makes the check above able to fail: the same voice saying those questions is heard
    saying those words."""
    for word, state in LATER_WORDS.items():
        sink = WavSink(tmp_path / f"{state}.wav", gap_s=0)
        voice = Voice([EspeakCliSynth(VoiceSettings())], sink, show=lambda text: None)
        voice.say(EVENING.states[state].prompt)
        voice.close()
        heard = plain_vosk_transcript(model, read_wav(tmp_path / f"{state}.wav").samples)
        assert word in heard.split(), (state, heard)


def test_speech_while_paused_is_heard_saved_and_checked(tmp_path, model, commands):
    """Someone who says "pause" and then talks about being in danger is heard: the words are
    saved as a turn and checked, and the concern is answered. Real speech, the real model, in
    audio time (the assistant's voice is printed only)."""
    # The small model mishears "scared of him" in this voice ("scared of game"); this it hears.
    danger = "He is coming home, and he said he would kill me."
    audio = conversation([1.0, "I want to die.", 4.0, "pause", 3.0, danger, 4.0, "stop", 3.0])
    done = run_wav("evening", audio, data_dir=tmp_path / "d", model=model)
    outcome, said, [session] = done.outcome, done.said.texts(), done.stored

    assert [t["state"] for t in session["turns"]] == ["today", PAUSED_STATE]
    assert {"coming", "would", "kill"} <= set(session["turns"][1]["answer"].split())
    assert session["safety"] == ["self-harm", "abuse"] and outcome.status == "safety"
    paused = commands.replies["paused"]
    assert said[said.index(paused) + 1] == HELP.openers["abuse"]["self"]
    assert said[-2:] == [HELP.fill(CHOOSING.stopped, Resources()), HELP.device_note]


def test_spoken_answers_are_told_to_say(tmp_path, model):
    """Spoken mode keeps "say": the choice after a spoken disclosure, heard by the real model
    (whether it hears "yes" or not, the choice follows the direct question)."""
    audio = conversation([1.0, "I want to die.", 4.0, "yes", 3.0, "stop", 3.0])
    said = run_wav("evening", audio, data_dir=tmp_path / "d", model=model).said.texts()
    menu = CHOOSING.choice.replace("{say}", SUPPORT.answering["spoken"])
    assert "You can say breathe" in menu
    assert said[said.index(SUPPORT.replies.ask_safe) + 1 :].count(menu) == 1
    assert not any(" type " in f" {text} " or "{say}" in text for text in said)
