"""Where the test suite's files are: the repository, the labelled data, the shared recordings."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
SUPPORT = TESTS / "support"
SHARED_SPEECH = ROOT.parent / "shared" / "speech"
