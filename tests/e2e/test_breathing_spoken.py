"""Everything said to the person is spoken (issue 25): the notice that soft tones will take over
from the words, so the eyes can close, is in the --audio-out WAV before the first breath, not
only printed. Decoded with the real model (some seconds of CPU, so not in the fast tier)."""

from __future__ import annotations

from assistant.audio.wav import read_wav

from no_microphone import breathe_without_microphone
from wer import plain_vosk_transcript

RATE = 16_000


def test_the_tones_notice_is_heard_in_the_breathing_audio(tmp_path, monkeypatch, model):
    _, out = breathe_without_microphone(tmp_path, monkeypatch)
    audio = read_wav(out, RATE)
    heard = plain_vosk_transcript(model, audio.samples[: 25 * RATE])  # before the first breath
    assert "soft" in heard and "close your eyes" in heard, heard
