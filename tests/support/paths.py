"""Where the test suite's files are: the repository, the labelled data, the shared recordings."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
SUPPORT = TESTS / "support"
#: ../shared/speech beside the repository; REFLECT_SHARED_SPEECH names it for a git worktree.
SHARED_SPEECH = Path(os.environ.get("REFLECT_SHARED_SPEECH") or ROOT.parent / "shared" / "speech")
