"""Silero VAD: speech found in generated and human speech, none in silence or low noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.audio.wav import read_wav
from assistant.base.errors import ModelMissingError
from assistant.speech.vad import (
    WINDOW_SAMPLES,
    Edge,
    SileroVad,
    SpeechTracker,
    VadSettings,
    VoiceActivity,
    speech_segments,
)

from audio_helpers import RATE, silence, speak
from paths import SHARED_SPEECH

HUMAN = sorted(SHARED_SPEECH.glob("*.wav")) if SHARED_SPEECH.is_dir() else []


@pytest.fixture(scope="module")
def vad() -> SileroVad:
    return SileroVad()


def noise(seconds: float, rms: float, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(rng.normal(0, rms, int(seconds * RATE)), -32768, 32767).astype(np.int16)


def test_finds_each_sentence_of_generated_speech_where_it_is(vad: SileroVad) -> None:
    first = speak("I just needed some reassurance.")
    second = speak("And then he left without a word.")
    audio = np.concatenate([silence(1.0), first, silence(1.5), second, silence(1.0)])
    truth = [(1.0, 1.0 + len(first) / RATE)]
    start = truth[0][1] + 1.5
    truth.append((start, start + len(second) / RATE))
    found = speech_segments(audio, vad=vad)
    print(f"\nspeech {truth}, found {found}")
    assert len(found) == 2
    for (true_start, true_end), (start, end) in zip(truth, found, strict=True):
        assert abs(start - true_start) < 0.1
        assert abs(end - true_end) < 0.15  # the edge is the first silent window


def test_no_speech_in_silence_or_low_noise(vad: SileroVad) -> None:
    for name, audio in (
        ("silence", silence(5)),
        ("noise at -50 dBFS", noise(5, 100)),
        ("noise at -40 dBFS", noise(5, 330)),
        ("mains hum", (300 * np.sin(2 * np.pi * 50 * np.arange(5 * RATE) / RATE)).astype(np.int16)),
    ):
        vad.reset()
        highest = float(vad.feed(audio).max())
        assert speech_segments(audio, vad=vad) == [], name
        assert highest < 0.3, f"{name}: {highest:.2f}"


def test_speech_is_found_again_after_a_long_silence(vad: SileroVad) -> None:
    words = speak("Yes I think so.")
    audio = np.concatenate([noise(20, 100), words, silence(0.5)])
    found = speech_segments(audio, vad=vad)
    end_s = 20.0 + len(words) / RATE
    assert len(found) == 1 and abs(found[0][0] - 20.0) < 0.1 and abs(found[0][1] - end_s) < 0.15


@pytest.mark.skipif(not HUMAN, reason="no ../shared/speech recordings here")
@pytest.mark.parametrize("path", HUMAN, ids=[p.stem for p in HUMAN])
def test_finds_speech_in_human_recordings(vad: SileroVad, path: Path) -> None:
    samples = read_wav(path).samples
    seconds = len(samples) / RATE
    found = speech_segments(samples, vad=vad)
    speech_s = sum(end - start for start, end in found)
    print(f"\n{path.name}: {seconds:.1f} s, {len(found)} stretches, {speech_s:.1f} s of speech")
    # The MFA clips are a scripted line said with deliberate fillers and long pauses
    # (../shared/speech/README.md), so less of them is speech than of the readings.
    assert found and speech_s > 0.35 * seconds
    # A reading has pauses: the VAD does not call the whole file one stretch.
    assert speech_s < 0.98 * seconds


def test_chunk_size_does_not_change_the_probabilities(vad: SileroVad) -> None:
    audio = np.concatenate([silence(0.3), speak("Hold on, let me think."), silence(0.3)])
    vad.reset()
    whole = vad.feed(audio)
    vad.reset()
    pieces = [vad.feed(audio[i : i + 333]) for i in range(0, len(audio), 333)]
    assert len(whole) == len(audio) // WINDOW_SAMPLES
    np.testing.assert_allclose(np.concatenate(pieces), whole, atol=1e-6)


def test_the_context_and_state_carry_from_window_to_window(vad: SileroVad) -> None:
    """Scoring each window on its own (fresh state, no context) gives other numbers: the
    carried state is what the model needs."""
    audio = speak("I keep checking my phone.")[: 20 * WINDOW_SAMPLES]
    vad.reset()
    carried = vad.feed(audio)
    fresh = []
    for i in range(0, len(audio), WINDOW_SAMPLES):
        vad.reset()
        fresh.append(vad.window_probability(audio[i : i + WINDOW_SAMPLES]))
    assert np.abs(carried - np.array(fresh)).max() > 0.1


def test_tracker_needs_the_minimum_speech_and_holds_through_short_dips() -> None:
    settings = VadSettings(threshold=0.5, release_margin=0.15, min_speech_ms=96, min_silence_ms=256)
    tracker = SpeechTracker(settings)

    def run(probabilities: list[float]) -> list[tuple[Edge, int]]:
        edges = (tracker.update(p) for p in probabilities)
        return [(e.kind, e.at_sample // WINDOW_SAMPLES) for e in edges if e is not None]

    assert run([0.9, 0.9, 0.1]) == []  # 64 ms of speech: a click
    assert run([0.9, 0.9, 0.9]) == [(Edge.SPEECH_STARTED, 3)]  # 96 ms, from its first window
    # 0.4 is below the threshold but above the release level: still speech.
    assert run([0.4] * 20) == []
    assert run([0.1] * 7 + [0.9]) == []  # 224 ms of silence: a gap between words
    edges = run([0.1] * 8)
    assert edges == [(Edge.SPEECH_ENDED, 34)] and not tracker.speaking


def test_voice_activity_reports_edges_from_chunks(vad: SileroVad) -> None:
    audio = np.concatenate([silence(0.5), speak("Give me a minute."), silence(1.0)])
    activity = VoiceActivity(vad=vad)
    edges = [e for i in range(0, len(audio), 4000) for e in activity.feed(audio[i : i + 4000])]
    assert [e.kind for e in edges] == [Edge.SPEECH_STARTED, Edge.SPEECH_ENDED]
    assert abs(edges[0].at_s - 0.5) < 0.1 and not activity.speaking


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        VadSettings(threshold=1.5)
    with pytest.raises(ValueError):
        VadSettings(threshold=0.3, release_margin=0.3)
    with pytest.raises(ValueError):
        VadSettings(min_silence_ms=-1)


def test_missing_model_is_one_line_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as caught:
        SileroVad(tmp_path / "silero_vad.onnx")
    message = str(caught.value)
    assert "\n" not in message and "missing" in message and "scripts/run" in message
