"""The second pass (speech/second_pass.py) with the real Whisper base model on short audio: what
it is given (only speech), what it drops (text over silence), and where Vosk's words stay. Human
speech from ../shared/speech (skipped without it): Whisper base hears espeak-ng's voice worse
than people's."""

from __future__ import annotations

import json

import numpy as np
import pytest
import vosk

from assistant.audio.wav import read_wav
from assistant.speech.second_pass import SecondPass, windows
from assistant.speech.whisper_model import Decoded, WhisperModel

from audio_helpers import silence, speak
from paths import SHARED_SPEECH
from wer import asr_error_rate

CLIP = SHARED_SPEECH / "ls_dev-clean_2412-153948-0000.wav"
human = pytest.mark.skipif(not CLIP.exists(), reason="no ../shared/speech")


def live_words(model, samples: np.ndarray) -> list[dict]:
    """Vosk's timed words for the samples, as the live recogniser gives them."""
    rec = vosk.KaldiRecognizer(model, 16000)
    rec.SetWords(True)
    rec.AcceptWaveform(samples.tobytes())
    return json.loads(rec.FinalResult()).get("result", [])


def test_windows_cut_long_answers_at_pauses_and_never_exceed_the_window():
    spans = [(0.0, 10.0), (12.0, 20.0), (21.0, 30.0), (31.0, 75.0)]
    cut = windows(spans, 25.0)
    assert cut[0].spans == ((0.0, 10.0), (12.0, 20.0))  # the third would pass 25 s: a new one
    for window in cut:
        assert sum(b - a for a, b in window.spans) <= 25.0
    # the 44 s stretch is cut in pieces of at most 25 s
    assert [w.spans for w in cut][1:] == [((21.0, 30.0),), ((31.0, 56.0),), ((56.0, 75.0),)]


def test_silence_and_hiss_store_nothing_invented(second_pass):
    rng = np.random.default_rng(7)
    hiss = np.clip(rng.normal(0, 300, 16000 * 6), -32768, 32767).astype(np.int16)
    for quiet in (silence(6.0), hiss):
        assert second_pass.submit(quiet, (), 0.0).result() == ""


@human
def test_a_stretch_whisper_writes_far_shorter_than_vosk_keeps_vosks_words(second_pass, model):
    # Whisper skipping a stretch cannot be made to happen on demand, so the live words are made
    # longer instead: Vosk's words of the clip's first 7 s, timed over its first 2 s.
    clip = read_wav(CLIP).samples
    said = live_words(model, clip[: 7 * 16000])
    step = 2.0 / len(said)
    squeezed = [{**w, "start": i * step, "end": (i + 1) * step} for i, w in enumerate(said)]
    kept = second_pass.submit(clip[: 2 * 16000], squeezed, 0.0).result()
    assert kept == " ".join(w["word"] for w in said).capitalize() + "."


@human
def test_words_on_the_session_clock_find_their_audio(second_pass, model):
    clip = read_wav(CLIP).samples[: 5 * 16000]
    words = live_words(model, clip)
    at_start = second_pass.submit(clip, words, 0.0).result()
    later = [{**w, "start": w["start"] + 100.0, "end": w["end"] + 100.0} for w in words]
    moved = second_pass.submit(clip, later, 100.0).result()
    # The same stretch is heard (a sample's rounding at the cut, mid-word, may change its end).
    assert at_start[0].isupper() and "reader" in at_start.lower() and "reader" in moved.lower()
    assert asr_error_rate(at_start, moved) <= 0.2


def test_a_missing_model_is_one_line_and_no_text(tmp_path):
    notes: list[str] = []
    missing = SecondPass(lambda: WhisperModel(tmp_path / "whisper-base"), note=notes.append)
    assert missing.submit(speak("hello there"), (), 0.0).result() is None
    assert len(notes) == 1 and "\n" not in notes[0]
    assert "whisper-base/model.bin is missing" in notes[0] and "live transcript" in notes[0]
    missing.close()


def test_what_whisper_writes_where_vosk_heard_nothing_counts_only_when_sure(second_pass):
    choose = second_pass._transcriber._choose  # the rule, apart from the model's whims
    invented = Decoded("Thank you for watching.", no_speech=0.2, avg_logprob=-0.3, compression=1.0)
    unsure = Decoded("I went home.", no_speech=0.7, avg_logprob=-0.3, compression=1.0)
    sure = Decoded("I went home.", no_speech=0.1, avg_logprob=-0.3, compression=1.0)
    assert (choose(invented, []), choose(unsure, []), choose(sure, [])) == ("", "", "I went home.")
    heard = [{"word": "thank", "start": 0.0, "end": 0.2}, {"word": "you", "start": 0.2, "end": 0.4}]
    assert choose(Decoded("Thank you.", 0.2, -0.3, 1.0), heard) == "Thank you."  # said: kept


def test_words_past_the_audio_kept_stay_as_vosk_heard_them(second_pass):
    # An answer longer than the audio kept (recogniser.MAX_KEPT_S): the rest is Vosk's words.
    later = [{"word": w, "start": 4.0 + i * 0.3, "end": 4.2 + i * 0.3, "conf": 1.0}
             for i, w in enumerate(["and", "then", "i", "went", "home"])]  # fmt: skip
    assert second_pass.submit(silence(2.0), later, 1.0).result() == "And then i went home."
