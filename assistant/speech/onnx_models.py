"""Where the turn-taking ONNX models live, and one onnxruntime session per model."""

from __future__ import annotations

from pathlib import Path

from assistant.base.errors import ModelMissingError
from assistant.base.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "models"
VAD_MODEL_PATH = MODELS_DIR / "silero_vad.onnx"
TURN_MODEL_PATH = MODELS_DIR / "smart-turn-v3.2-cpu.onnx"
INSTALL_HINT = "run ./scripts/run (or scripts/setup.sh) to install it"


def open_session(
    path: Path, what: str, intra_op_threads: int = 1, optimise: bool = True, arena: bool = True
):
    """An onnxruntime session on the CPU, single-threaded by default: the machine is small
    and the speech recogniser needs the other core. `optimise` False skips the graph
    optimisations made at load (for a model whose load is waited for and that runs as fast
    without them). `arena` False frees each run's buffers after it instead of keeping the
    largest run's (for a model whose runs vary in size, as the voice's sentences do)."""
    if not path.is_file():
        raise ModelMissingError(f"the {what} model {path} is missing; {INSTALL_HINT}")
    import onnxruntime as ort  # imported here: 0.2 s, only paid by those who use a model

    options = ort.SessionOptions()
    options.intra_op_num_threads = intra_op_threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # warnings about unused initialisers would reach stderr
    options.enable_cpu_mem_arena = arena
    options.enable_mem_pattern = arena
    if not optimise:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    try:
        return ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own unexported exception types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelMissingError(
            f"the {what} model {path} could not be loaded ({first}); {INSTALL_HINT}"
        ) from None
