"""speech/onnx_models.py: where the turn-taking models live, and opening one (the real Silero VAD
model from models/; a missing or broken file must say how to install it)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.base.errors import ModelMissingError
from assistant.base.settings import PROJECT_ROOT
from assistant.speech.onnx_models import (
    INSTALL_HINT,
    MODELS_DIR,
    TURN_MODEL_PATH,
    VAD_MODEL_PATH,
    open_session,
)


def test_model_paths_are_under_the_project_models_folder():
    assert MODELS_DIR == PROJECT_ROOT / "models"
    assert VAD_MODEL_PATH.parent == MODELS_DIR and TURN_MODEL_PATH.parent == MODELS_DIR
    assert VAD_MODEL_PATH.suffix == TURN_MODEL_PATH.suffix == ".onnx"


def test_opens_the_real_vad_model_single_threaded_on_the_cpu():
    session = open_session(VAD_MODEL_PATH, "voice activity")
    assert session.get_providers() == ["CPUExecutionProvider"]
    options = session.get_session_options()
    assert options.intra_op_num_threads == 1 and options.inter_op_num_threads == 1
    assert {i.name for i in session.get_inputs()} >= {"input"}


def test_thread_count_can_be_raised():
    session = open_session(VAD_MODEL_PATH, "voice activity", intra_op_threads=2)
    assert session.get_session_options().intra_op_num_threads == 2


def test_the_real_vad_model_runs():
    session = open_session(VAD_MODEL_PATH, "voice activity")
    feeds = {}
    for spec in session.get_inputs():
        if spec.name == "input":
            feeds[spec.name] = np.zeros((1, 512), dtype=np.float32)
        elif spec.name == "sr":
            feeds[spec.name] = np.array(16000, dtype=np.int64)
        else:
            feeds[spec.name] = np.zeros((2, 1, 128), dtype=np.float32)
    probability = session.run(None, feeds)[0]
    assert float(np.ravel(probability)[0]) < 0.5  # silence is not speech


def test_a_missing_model_names_the_file_and_the_fix(tmp_path):
    path = tmp_path / "absent.onnx"
    with pytest.raises(ModelMissingError) as caught:
        open_session(path, "turn")
    message = str(caught.value)
    assert f"the turn model {path} is missing" in message and INSTALL_HINT in message


def test_a_broken_model_is_reported_in_one_line(tmp_path):
    path = tmp_path / "broken.onnx"
    path.write_bytes(b"not an onnx model\n" * 10)
    with pytest.raises(ModelMissingError) as caught:
        open_session(path, "voice activity")
    message = str(caught.value)
    assert message.startswith(f"the voice activity model {path} could not be loaded (")
    assert message.endswith(INSTALL_HINT) and "\n" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
