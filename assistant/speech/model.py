"""Finding and loading the Vosk model from a path (never by language name: that downloads)."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

from assistant.base.background import Background
from assistant.base.errors import ModelMissingError
from assistant.base.settings import DEFAULT_MODEL_DIR

#: Files a usable small Kaldi model must have (the set-up also checks their sizes).
REQUIRED_FILES = ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst")
INSTALL_HINT = "run ./scripts/run (or .venv/bin/python scripts/install_models.py) to install it"


def candidate_paths(cli_path: str | Path | None) -> list[Path]:
    """Resolution order: --model DIR, then VOSK_MODEL_PATH, then the bundled models/ folder."""
    if cli_path:
        return [Path(cli_path)]
    env = os.environ.get("VOSK_MODEL_PATH")
    return [Path(env)] if env else [DEFAULT_MODEL_DIR]


def find_model(cli_path: str | Path | None = None) -> Path:
    tried = []
    for path in candidate_paths(cli_path):
        missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
        if not missing:
            return path
        tried.append(
            f"{path} ({'missing' if not path.exists() else 'incomplete: no ' + missing[0]})"
        )
    raise ModelMissingError(f"no usable Vosk model; tried {', '.join(tried)}; {INSTALL_HINT}")


def load_model(cli_path: str | Path | None = None):
    """Load the model once per process (0.5 s, 160 MB); recognisers made from it are cheap."""
    return _load(find_model(cli_path))


def load_model_in_background(
    cli_path: str | Path | None = None, started: Background | None = None
) -> Background:
    """Find the model now (a missing one stops the program before anything is said), load it on
    a thread while the first prompt is spoken; the listener waits for it when it first hears.
    `started`: the same load begun earlier (preload_model)."""
    path = find_model(cli_path)
    return started or Background(lambda: _load(path), name="reflect-model")


def preload_model(cli_path: str | Path | None = None) -> Background | None:
    """Begin loading as soon as the command line is read, before the rest of the program is
    imported. Nothing is reported here: a missing model is load_model_in_background's to say,
    in its turn (after a bad --audio-in file, say)."""
    try:
        path = find_model(cli_path)
    except ModelMissingError:
        return None
    return Background(lambda: _load(path), name="reflect-model")


def _load(path: Path):
    vosk = _import_vosk()
    vosk.SetLogLevel(-1)  # Kaldi's log lines would drown the terminal
    try:
        return vosk.Model(str(path))
    except Exception:  # vosk raises a bare Exception when Kaldi cannot read the files
        raise ModelMissingError(
            f"the Vosk model at {path} could not be loaded (damaged files?); {INSTALL_HINT}"
        ) from None


class _NoDownloads(types.ModuleType):
    """Stands in for `requests` inside vosk, whose only use is its model downloader."""

    def __getattr__(self, name: str):
        raise ModelMissingError(f"reflect never downloads models; {INSTALL_HINT}")


def _import_vosk():
    """Import vosk without `requests`: urllib3 opens a socket at import time (to probe for
    IPv6), and nothing here may touch the network. Any download attempt then fails loudly."""
    if "vosk" in sys.modules:
        return sys.modules["vosk"]
    real = sys.modules.get("requests")
    sys.modules["requests"] = _NoDownloads("requests")
    try:
        import vosk
    finally:
        if real is None:
            del sys.modules["requests"]
        else:
            sys.modules["requests"] = real
    return vosk
