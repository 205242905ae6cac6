"""The learned safety layer: the numpy MiniLM encoder (against published values), its install,
the trained classifier, and CombinedCheck adding ASK-level concerns only. Figures on held-out
data come from scripts/eval_safety_learned.py, not from here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.base.errors import BadScriptError, ModelMissingError
from assistant.base.settings import DIALOGS_DIR
from assistant.safety.check import CATEGORIES, Concern, Level, load_safety
from assistant.safety.learned import (
    LEARNED_FAMILY,
    WEIGHTS_PATH,
    CombinedCheck,
    LearnedCheck,
    load_weights,
)
from assistant.safety.learned_encoder import SentenceEncoder, limit_blas_threads

# fastembed's reference for sentence-transformers/all-MiniLM-L6-v2 (mean pooling, normalised):
# the first 5 values of the embedding of "hello world", checked there to 1e-3
HELLO_WORLD_FIRST5 = np.array([-0.034478, 0.03102, 0.00673, 0.02611, -0.039362])


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


@pytest.fixture(scope="module")
def learned(encoder: SentenceEncoder) -> LearnedCheck:
    check = LearnedCheck()
    check._encoder = encoder  # share the one loaded above
    return check


@pytest.fixture(scope="module")
def rules():
    return load_safety(DIALOGS_DIR / "safety.yaml")


# --- install --------------------------------------------------------------------------------


def test_a_missing_model_names_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match=r"model-f16\.safetensors is missing.*setup"):
        SentenceEncoder(tmp_path)


# --- the encoder ----------------------------------------------------------------------------


def test_tokens_are_bert_wordpieces(encoder: SentenceEncoder) -> None:
    assert encoder.token_ids("hello world") == [101, 7592, 2088, 102]  # [CLS] hello world [SEP]
    assert encoder.token_ids("Hello World!")[:3] == [101, 7592, 2088]  # uncased


def test_embedding_is_a_unit_vector_matching_the_published_one(encoder) -> None:
    v = encoder.encode("hello world")
    assert v.shape == (384,) and v.dtype == np.float32
    assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    assert np.allclose(v[:5], HELLO_WORLD_FIRST5, atol=1e-3)
    assert not np.allclose(encoder.encode("flag embedding")[:5], HELLO_WORLD_FIRST5, atol=1e-3)


def test_similar_sentences_are_closer_than_unrelated_ones(encoder) -> None:
    a, b, c, d = encoder.encode_all(
        [
            "I keep thinking about ending my life.",
            "I have been having thoughts of killing myself.",
            "We made pasta for dinner and watched a film.",
            "The train was late again this morning.",
        ]
    )
    assert float(a @ b) > 0.5
    assert float(a @ b) > float(a @ c) + 0.3
    assert float(a @ b) > float(a @ d) + 0.3


def test_blas_threads_can_be_limited_with_numpys_own_openblas() -> None:
    bundled = list((Path(np.__file__).resolve().parent.parent / "numpy.libs").glob("*openblas*"))
    assert limit_blas_threads(1) is bool(bundled)


# --- the classifier -------------------------------------------------------------------------


def test_the_bank_loads_with_every_class() -> None:
    w = load_weights(WEIGHTS_PATH)
    assert w.vectors.shape == (len(w.labels), 384) and w.vectors.dtype == np.int8
    assert {int(v) for v in w.labels} == {-1, 0, 1, 2}  # ordinary and the three categories
    norms = np.linalg.norm(w.rows(), axis=1)
    assert np.allclose(norms, 1.0, atol=0.01)  # unit vectors, quantised
    assert w.neighbours >= 1 and -1.0 < w.threshold < 1.0


def test_a_changed_bank_is_refused(tmp_path: Path) -> None:
    settings = tmp_path / WEIGHTS_PATH.name
    settings.write_text(WEIGHTS_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    bank = tmp_path / "safety_learned_bank.npz"
    bank.write_bytes(b"not the bank")
    with pytest.raises(BadScriptError, match=r"safety_learned\.yaml:\d+: bank: .*changed"):
        load_weights(settings)


def test_a_damaged_weights_file_names_file_line_and_key(tmp_path: Path) -> None:
    text = WEIGHTS_PATH.read_text(encoding="utf-8").replace("threshold:", "treshold:")
    bad = tmp_path / "safety_learned.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(BadScriptError, match=r"safety_learned\.yaml:\d+: treshold: unknown key"):
        load_weights(bad)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i want to kill myself", "self-harm"),
        ("i don't want to be alive anymore", "self-harm"),
        ("he hits me when he's angry", "abuse"),
        ("he choked me last night", "abuse"),
        ("i made myself throw up after dinner again", "eating"),
        ("i haven't eaten in three days so i can lose weight", "eating"),
    ],
)
def test_clear_signs_are_flagged(learned: LearnedCheck, text: str, category: str) -> None:
    assert learned.flagged(text) == category, learned.score(text)


@pytest.mark.parametrize(
    "text",
    [
        "we had a lovely evening and cooked together",
        "work was busy today but fine",
        "i went for a walk with my sister",
        "he made me a cup of tea when i got home",
    ],
)
def test_ordinary_sentences_are_not_flagged(learned: LearnedCheck, text: str) -> None:
    assert learned.flagged(text) is None, learned.score(text)


def test_scores_are_margins_and_empty_text_scores_lowest(learned: LearnedCheck) -> None:
    scores = learned.score("i want to kill myself")
    assert set(scores) == set(CATEGORIES)
    assert all(-2.0 <= v <= 2.0 for v in scores.values())
    assert scores["self-harm"] > max(scores["abuse"], scores["eating"])
    assert learned.score("  ") == dict.fromkeys(CATEGORIES, -1.0)
    assert learned.flagged("  ") is None


# --- the combined check ---------------------------------------------------------------------


class _Says:
    """A stand-in for LearnedCheck that flags one fixed category (or none)."""

    def __init__(self, category: str | None) -> None:
        self.category = category

    def flagged(self, text: str) -> str | None:
        return self.category


def test_a_model_only_hit_becomes_an_ask_concern(rules) -> None:
    text = "we watched a film and went to bed"
    assert rules.check_all(text) == []
    got = CombinedCheck(rules, _Says("eating")).check_all(text)  # type: ignore[arg-type]
    assert got == [Concern("eating", reported=False, level=Level.ASK)]
    assert got[0].family == LEARNED_FAMILY


def test_the_rules_concerns_are_kept_unchanged(rules) -> None:
    text = "I want to kill myself."
    want = rules.check_all(text)
    assert want and want[0].level is Level.HELP
    assert CombinedCheck(rules, _Says("self-harm")).check_all(text) == want  # type: ignore[arg-type]
    assert CombinedCheck(rules, _Says(None)).check_all(text) == want  # type: ignore[arg-type]
    # another category from the model is added after the rules' HELP concern, at ASK
    both = CombinedCheck(rules, _Says("eating")).check_all(text)  # type: ignore[arg-type]
    assert both[0] == want[0]
    assert both[-1] == Concern("eating", reported=False, level=Level.ASK)


def test_with_the_real_model_only_ask_concerns_are_added(rules, learned) -> None:
    combined = CombinedCheck(rules, learned)
    for text in [
        "i keep wondering if anyone would notice if i just stopped being around",
        "he goes through my phone every night and i have to give him the passcode",
        "we had a lovely evening and cooked together",
    ]:
        base = rules.check_all(text)
        got = combined.check_all(text)
        assert all(c in got for c in base)
        extra = [c for c in got if c not in base]
        assert all(c.level is Level.ASK and c.family == LEARNED_FAMILY for c in extra), extra
    assert combined.check("we had a lovely evening and cooked together") is None
