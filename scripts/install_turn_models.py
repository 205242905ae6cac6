#!/usr/bin/env python3
"""Install and verify the turn-taking models: Silero VAD and Smart Turn v3.2 (stdlib only).

Both ONNX files come out of the PyPI wheel pipecat-ai==1.14.0, which is downloaded with
`pip download --no-deps` and opened as a zip: pipecat itself is never installed or imported.

    - pipecat/audio/vad/data/silero_vad.onnx                 Silero VAD v5 (MIT)
    - pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx   Smart Turn v3.2 (BSD-2, Daily)

Usage (run with the project venv's python; scripts/setup.sh does both steps):
    install_turn_models.py --check              verify only; exit 1 if missing or invalid
    install_turn_models.py --wheel FILE.whl     copy the files out of the wheel unless valid
    install_turn_models.py --dest DIR ...       use DIR instead of models/

Each file is written to a temporary name beside its target, verified (exact size and
sha256) and only then renamed into place, so an interrupted copy never looks complete.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

WHEEL_REQUIREMENT = "pipecat-ai==1.14.0"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = REPO_ROOT / "models"
PROG = "install_turn_models"


@dataclass(frozen=True)
class ModelFile:
    name: str  # file name in models/
    member: str  # path inside the wheel
    size_bytes: int
    sha256: str


MODEL_FILES = (
    ModelFile(
        "silero_vad.onnx",
        "pipecat/audio/vad/data/silero_vad.onnx",
        2_327_524,
        "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
    ),
    ModelFile(
        "smart-turn-v3.2-cpu.onnx",
        "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx",
        8_679_182,
        "2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f",
    ),
)


class InstallError(Exception):
    """A problem reported as one line on stderr, exit status 1."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem(path: Path, model: ModelFile) -> str | None:
    """What is wrong with the file at `path` (None when it verifies)."""
    if not path.is_file():
        return f"{path} is missing"
    size = path.stat().st_size
    if size != model.size_bytes:
        return f"{path} has {size} bytes, expected {model.size_bytes}"
    if sha256_of(path) != model.sha256:
        return f"{path} has the right size but the wrong sha256 (damaged?)"
    return None


def problems(dest: Path) -> list[str]:
    return [p for m in MODEL_FILES if (p := problem(dest / m.name, m)) is not None]


def extract(wheel: Path, model: ModelFile, target: Path) -> None:
    """Copy one member of the wheel to `target`, verified before it gets its real name."""
    try:
        archive = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InstallError(f"cannot open the wheel {wheel}: {exc}") from None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{model.name}.tmp-", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with archive, os.fdopen(fd, "wb") as out:
            try:
                member = archive.open(model.member)
            except KeyError:
                message = f"{wheel} has no {model.member}; is it {WHEEL_REQUIREMENT}?"
                raise InstallError(message) from None
            with member:
                while block := member.read(1 << 20):
                    out.write(block)
        found = problem(tmp, model)
        if found:
            raise InstallError(f"copied from {wheel}: {found}")
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Install and verify the Silero VAD and Smart Turn models."
    )
    parser.add_argument(
        "--check", action="store_true", help="verify only; exit 1 if missing or invalid"
    )
    parser.add_argument(
        "--wheel", metavar="FILE", type=Path, help=f"the downloaded {WHEEL_REQUIREMENT} wheel"
    )
    parser.add_argument(
        "--dest", metavar="DIR", type=Path, default=DEFAULT_DEST, help="default: models/"
    )
    args = parser.parse_args(argv)
    dest: Path = args.dest.absolute()
    try:
        found = problems(dest)
        if not found:
            return 0
        if args.check or args.wheel is None:
            hint = (
                ""
                if args.check
                else f"; run: pip download --no-deps {WHEEL_REQUIREMENT} -d DIR, then "
                f"{PROG}.py --wheel DIR/pipecat_ai-*.whl (scripts/setup.sh does this)"
            )
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            raise InstallError(f"{found[0]}{more}{hint}")
        dest.mkdir(parents=True, exist_ok=True)
        for model in MODEL_FILES:
            target = dest / model.name
            if problem(target, model) is not None:
                extract(args.wheel.absolute(), model, target)
    except InstallError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{PROG}: cannot install into {dest}: {exc}", file=sys.stderr)
        return 1
    names = ", ".join(m.name for m in MODEL_FILES)
    print(f"{PROG}: installed {names} into {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
