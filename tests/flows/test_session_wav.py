"""Whole sessions from a WAV of spoken answers (espeak-ng, made now) to the exported JSON,
through the flows harness: the real model, listener, state machine and a real TinyDB file."""

from __future__ import annotations

import wave

import pytest

from assistant.audio.wav import read_wav
from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import normalize
from assistant.dialog.script import find_script

from audio_helpers import conversation
from flows import cli, run_wav
from paths import SHARED_SPEECH
from wer import plain_vosk_transcript, word_error_rate

EVENING = find_script("evening", DIALOGS_DIR)
#: Vosk itself is not bit-for-bit repeatable: the same plain loop over the same audio, run again in
#: one process, differed by a word ("have" / "however") here. Allow two words in ~60.
VOSK_JITTER = 0.035


def test_an_evening_with_pauses_and_commands(tmp_path, model):
    wav = conversation(
        [
            1.0,
            "Yesterday my partner did not reply to my messages for the whole evening.",
            2.5,  # a thinking pause inside the first answer
            "I kept checking my phone and felt more and more anxious.",
            4.0,
            "repeat",  # at the fear question: it is asked again and the answer belongs to it
            2.0,
            "I was afraid he would stop caring about me.",  # contains "stop": an answer
            4.0,
            "skip",  # at roots
            2.0,
            "I needed a hug and some kind words.",
            4.0,
            "stop",  # at kindness
            3.0,
        ]
    )
    out = tmp_path / "assistant.wav"
    # a new journal, as the CLI's first run: the first-run notice is spoken too
    result = run_wav(
        "evening", wav, data_dir=tmp_path / "d", model=model, audio_out=out, first_run=True
    )
    [session] = result.exported
    assert session["script"] == "evening" and session["status"] == "stopped"
    turns = session["turns"]
    assert [t["state"] for t in turns] == ["today", "fear", "need"]
    assert [t["prompt"] for t in turns] == [
        EVENING.states[s].prompt for s in ("today", "fear", "need")
    ]
    first, fear, need = (set(t["answer"].split()) for t in turns)
    assert {"partner", "evening", "phone", "anxious"} <= first  # one answer across the pause
    assert {"afraid", "stop"} <= fear
    assert {"needed", "hug", "kind"} <= need
    commands = {"repeat", "skip", "stop"}
    assert all(normalize(t["answer"]) not in commands for t in turns)
    assert turns[0]["start_s"] == pytest.approx(1.0, abs=0.3)  # positions in the answers file

    # What was spoken: the first-run notice, intro, today, fear twice (repeat), roots, need,
    # kindness, the stop reply.
    with wave.open(str(out)) as spoken:
        assert spoken.getnchannels() == 1 and spoken.getframerate() == 22050
        assert spoken.getnframes() / 22050 > 40
    heard = plain_vosk_transcript(model, read_wav(out).samples).split()
    assert heard.count("afraid") == 2  # "what were you afraid might happen" said twice
    # the first question (Vosk's hearing of one synthetic word varies with what came before, so
    # most of its words, not each one) and the reply to "stop"
    assert len({"happened", "today", "stirred", "feeling", "small"} & set(heard)) >= 3, heard
    assert "stopping" in heard
    assert result.said.texts().count("In that moment, what were you afraid might happen?") == 2


def test_an_evening_completed_as_accurately_as_a_plain_vosk_loop(tmp_path, model):
    answers = [
        "He cancelled our dinner plans at the last minute.",
        "That he does not want to spend time with me any more.",
        "My father often cancelled on me when I was a child.",
        "I needed him to tell me why and to plan another evening.",
        "I will go for a walk with my sister tomorrow.",
    ]
    parts: list[str | float] = [1.0]
    for answer in [*answers, "seven"]:  # the closing rating, a number said alone
        parts += [answer, 4.0]
    wav = conversation(parts)
    result = run_wav("evening", wav, data_dir=tmp_path / "d", model=model)
    [session] = result.exported
    assert session["status"] == "completed"
    states = ["today", "fear", "roots", "need", "kindness", "secure"]
    assert [t["state"] for t in session["turns"]] == states
    rating = session["turns"][-1]
    assert rating["rating"] == 7 and rating["answer"] == "seven"  # the grammar's reading
    reference = " ".join(answers)
    ours = word_error_rate(reference, " ".join(t["answer"] for t in session["turns"][:5]))
    plain = word_error_rate(reference, plain_vosk_transcript(model, wav))
    print(f"espeak evening WER: loop {ours:.3f}, plain Vosk loop {plain:.3f}")
    assert ours <= plain + VOSK_JITTER
    shown = cli("show", session["id"][:4], "--data-dir", str(tmp_path / "d")).stdout
    assert "**What happened today" in shown and "cancelled" in shown
    history = cli("history", "--data-dir", str(tmp_path / "d")).stdout
    assert session["id"] in history and "completed" in history and "6 answers" in history


def test_a_spoken_rating_unclear_then_skipped(tmp_path, model):
    """An unclear reply to the rating is asked once more; "skip" then keeps no rating."""
    parts: list[str | float] = [1.0]
    for answer in ["My partner forgot to call.", "That I do not matter.", "skip", "skip",
                   "A walk.", "Purple elephants in the garden.", "skip"]:  # fmt: skip
        parts += [answer, 4.0]
    wav = conversation(parts)
    result = run_wav("evening", wav, data_dir=tmp_path / "d", model=model)
    [session] = result.exported
    assert session["status"] == "completed"
    [unclear] = [t for t in session["turns"] if t["state"] == "secure"]
    assert "rating" not in unclear and "garden" in unclear["answer"]
    assert result.said.count(EVENING.states["secure"].reprompt) == 1  # asked once more
    assert not any("rating" in t for t in session["turns"])


def test_the_end_of_the_file_ends_the_session_as_interrupted(tmp_path, model):
    wav = conversation([0.5, "My partner forgot my birthday.", 4.0])
    [session] = run_wav("evening", wav, data_dir=tmp_path / "d", model=model).exported
    assert session["status"] == "interrupted" and len(session["turns"]) == 1


@pytest.mark.skipif(not (SHARED_SPEECH / "polar.wav").exists(), reason="no ../shared/speech")
def test_a_human_voice_memo_is_as_accurate_as_a_plain_vosk_loop(tmp_path, model):
    """A 29 s audiobook reading as one journal entry: the loop's transcript against a plain Vosk
    loop over the same audio (the reference text is imperfect, so compare the two)."""
    wav = SHARED_SPEECH / "polar.wav"
    reference = (SHARED_SPEECH / "polar.txt").read_text()
    [session] = run_wav("journal", wav, data_dir=tmp_path / "d", model=model).exported
    [turn] = session["turns"]
    ours = word_error_rate(reference, turn["answer"])
    plain = word_error_rate(reference, plain_vosk_transcript(model, read_wav(wav).samples))
    print(f"polar.wav WER: loop {ours:.3f}, plain Vosk loop {plain:.3f}")
    assert ours <= plain + VOSK_JITTER
