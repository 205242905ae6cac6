"""Where the test suite's files are: the repository, the labelled data, the shared recordings."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
SUPPORT = TESTS / "support"
#: ../shared/speech beside the checkout; REFLECT_SHARED_SPEECH for a checkout elsewhere (a git
#: worktree), so a bench can find them.
SHARED_SPEECH = Path(os.environ.get("REFLECT_SHARED_SPEECH") or ROOT.parent / "shared" / "speech")
