"""The second pass inside a session (conversation/refine.py), with the real Whisper model on
human speech (skipped without ../shared/speech): an answer the person went on with is refined
whole, the accurate text of its first part kept."""

from __future__ import annotations

import json

import pytest
import vosk

from assistant.audio.wav import read_wav
from assistant.conversation.refine import Refining
from assistant.events import Answer

from paths import SHARED_SPEECH

CLIP = SHARED_SPEECH / "ls_dev-clean_2412-153948-0000.wav"


def heard(model, samples, start_s: float) -> Answer:
    """The samples as the listener returns them: Vosk's words on the clock from `start_s`."""
    rec = vosk.KaldiRecognizer(model, 16000)
    rec.SetWords(True)
    rec.AcceptWaveform(samples.tobytes())
    words = json.loads(rec.FinalResult())["result"]
    words = tuple({**w, "start": w["start"] + start_s, "end": w["end"] + start_s} for w in words)
    text = " ".join(w["word"] for w in words)
    return Answer(text, words[0]["start"], words[-1]["end"], words=words, audio=samples,
                  audio_start_s=start_s)  # fmt: skip


@pytest.mark.skipif(not CLIP.exists(), reason="no ../shared/speech")
def test_an_answer_that_goes_on_is_refined_whole(model, second_pass):
    clip = read_wav(CLIP).samples
    first, more = heard(model, clip[: 5 * 16000], 10.0), heard(model, clip[5 * 16000 :], 40.0)
    refining = Refining(second_pass)
    refining.add(7, "today", first)
    [done] = refining.settle()  # before the person went on
    assert (done.turn_id, done.state, done.live) == (7, "today", first.text)
    refining.extend(more)  # they went on over the next question
    [whole] = refining.settle()
    assert whole.text.startswith(done.text + " ") and len(whole.text) > len(done.text) + 20
    assert whole.live == f"{first.text} {more.text}"
    assert refining.settle() == []  # nothing left under way
