"""Smart Turn v3.2: our log-mel features against Whisper's, and finished against cut-off speech."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import numpy as np
import pytest

from assistant.base.errors import ModelMissingError
from assistant.base.text import normalize
from assistant.speech import turn_model
from assistant.speech.model import _import_vosk
from assistant.speech.turn_model import TurnModel, last_window, log_mel_features, mel_filters

from audio_helpers import RATE, silence, speak
from paths import DATA
from whisper_reference import positions, signals, whisper_window

REFERENCE = json.loads((DATA / "whisper_features_reference.json").read_text())


@pytest.fixture(scope="module")
def turn() -> TurnModel:
    return TurnModel()


# ---------------------------------------------------------------- features


@pytest.mark.parametrize("name", ["short", "long"])
def test_features_match_whisper_feature_extractor(name: str) -> None:
    ours = log_mel_features(signals()[name])
    expected = REFERENCE[name]
    assert ours.shape == (80, 800) and ours.dtype == np.float32
    values = np.array([ours[m, f] for m, f in positions()])
    np.testing.assert_allclose(values, expected["values"], atol=2e-6)
    np.testing.assert_allclose(ours.mean(axis=1), expected["mel_means"], atol=2e-6)
    np.testing.assert_allclose(ours.mean(axis=0), expected["frame_means"], atol=2e-6)


def test_features_match_transformers_when_it_is_installed() -> None:
    transformers = pytest.importorskip("transformers")
    samples = np.concatenate([silence(0.5), speak("I just needed some reassurance."), silence(1)])
    expected = transformers.WhisperFeatureExtractor(chunk_length=8)(
        whisper_window(samples),
        sampling_rate=RATE,
        padding="max_length",
        max_length=8 * RATE,
        truncation=True,
        do_normalize=True,
        return_tensors="np",
    ).input_features[0]
    np.testing.assert_allclose(log_mel_features(samples), expected, atol=2e-6)


def test_only_the_last_eight_seconds_count_and_short_audio_is_padded_in_front() -> None:
    ramp = np.arange(9 * RATE, dtype=np.int64).astype(np.int16)
    window = last_window(ramp)
    assert len(window) == 8 * RATE
    assert window[0] == np.float32(ramp[RATE]) / 32768  # the first second is dropped
    short = last_window(np.full(RATE, 1000, dtype=np.int16))
    assert not short[: 7 * RATE].any() and (short[7 * RATE :] == np.float32(1000 / 32768)).all()
    # Features of 10 s equal those of its last 8 s.
    tone = signals()["long"]
    np.testing.assert_array_equal(log_mel_features(tone), log_mel_features(tone[-8 * RATE :]))


def test_mel_filters_are_slaney_triangles() -> None:
    filters = mel_filters()
    assert filters.shape == (80, 201)
    assert (filters >= 0).all() and (filters.max(axis=1) > 0).all()
    peaks = filters.argmax(axis=1)
    assert (np.diff(peaks) >= 0).all()  # ordered from low to high frequency
    # Each filter covers unit area in hertz (Slaney normalisation): sum * bin width is ~1 for
    # the wide high filters, where the triangle spans many 40 Hz bins.
    assert abs(filters[-1].sum() * 40.0 - 1.0) < 0.02


# ---------------------------------------------------------------- the model

# A finished sentence, and a longer one that goes on past the clause word: the cut-off copy
# is that longer sentence's audio cut right after the word, so its voice does not fall as it
# does at the end of a sentence (espeak-ng says every text it is given as a whole sentence).
CASES = [
    (
        "I just needed some reassurance.",
        "I just needed some reassurance and because he was late again I panicked.",
        "because",
    ),
    (
        "He didn't answer my messages all evening.",
        "He didn't answer my messages all evening but he was online the whole time.",
        "but",
    ),
    (
        "I felt scared that he would leave me.",
        "I felt scared that he would leave me if I said what I really wanted.",
        "if",
    ),
    (
        "We talked about it after dinner.",
        "We talked about it after dinner and then we both went quiet for a while.",
        "and",
    ),
    ("I keep checking my phone.", "I keep checking my phone to see if she wrote back to me.", "to"),
    (
        "It made me feel like I was not enough.",
        "It made me feel like I was not enough because the others seemed better.",
        "because",
    ),
    (
        "Tonight I felt calmer than usual.",
        "Tonight I felt calmer than usual so I went for a long walk.",
        "so",
    ),
    (
        "I wish he would tell me what he is thinking.",
        "I wish he would tell me what he is thinking when he goes silent.",
        "when",
    ),
    (
        "My sister said I worry too much.",
        "My sister said I worry too much which made me angry at first.",
        "which",
    ),
    (
        "I am proud that I said what I needed.",
        "I am proud that I said what I needed to say to him.",
        "to",
    ),
    (
        "He hugged me and I felt safe.",
        "He hugged me and I felt safe but then the doubt came back.",
        "but",
    ),
    (
        "Tomorrow I want to ask him directly.",
        "Tomorrow I want to ask him directly if he still wants this.",
        "if",
    ),
]
TAIL_S = 0.2  # silence after the speech when the model is asked (a short pause)


def cut_after(model, samples: np.ndarray, text: str, word: str) -> np.ndarray:
    """The audio up to the end of the first `word`, as the real Vosk model times it (limited
    to the sentence itself, which gives the same times ten times faster)."""
    grammar = json.dumps([normalize(text), "[unk]"])
    recogniser = _import_vosk().KaldiRecognizer(model, RATE, grammar)
    recogniser.SetWords(True)
    recogniser.AcceptWaveform(samples.tobytes())
    words = json.loads(recogniser.FinalResult()).get("result", [])
    ends = [w["end"] for w in words if w["word"] == word]
    assert ends, f"Vosk did not hear {word!r} in {[w['word'] for w in words]}"
    return samples[: int(ends[0] * RATE)]


def test_finished_sentences_score_higher_than_sentences_cut_mid_clause(
    turn: TurnModel, model
) -> None:
    finished, cut = [], []
    for sentence, longer, word in CASES:
        finished.append(
            turn.probability(np.concatenate([silence(0.3), speak(sentence), silence(TAIL_S)]))
        )
        cut.append(
            turn.probability(
                np.concatenate(
                    [silence(0.3), cut_after(model, speak(longer), longer, word), silence(TAIL_S)]
                )
            )
        )
    wins = sum(f > c for f, c in zip(finished, cut, strict=True))
    print(f"\nSmart Turn v3.2 on espeak-ng speech, {TAIL_S} s after the last word:")
    for (sentence, _, word), f, c in zip(CASES, finished, cut, strict=True):
        print(f"  finished {f:.2f}  cut after {word!r:10} {c:.2f}  {sentence}")
    medians = f"{statistics.median(finished):.2f} against {statistics.median(cut):.2f}"
    print(
        f"  finished scores higher in {wins}/{len(CASES)}; medians {medians}; above 0.5: finished "
        f"{sum(f > 0.5 for f in finished)}, cut {sum(c > 0.5 for c in cut)}"
    )
    assert wins >= 2 / 3 * len(CASES)  # a clear majority; 9/12 when measured
    assert statistics.median(finished) > statistics.median(cut) + 0.2


def test_verdict_reports_its_time_cost(turn: TurnModel) -> None:
    verdict = turn.verdict(speak("I just needed some reassurance."))
    assert 0.0 <= verdict.probability <= 1.0
    assert 0 < verdict.features_ms < 1000 and 0 < verdict.model_ms < 5000


def test_missing_model_is_one_line_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as caught:
        TurnModel(tmp_path / "smart-turn-v3.2-cpu.onnx")
    message = str(caught.value)
    assert "\n" not in message and "missing" in message and "scripts/run" in message
    assert turn_model.TURN_MODEL_PATH.name == "smart-turn-v3.2-cpu.onnx"


def test_a_file_that_is_not_the_model_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "smart-turn-v3.2-cpu.onnx"
    wrong.write_bytes(b"not a model")
    with pytest.raises(ModelMissingError, match="could not be loaded"):
        TurnModel(wrong)
