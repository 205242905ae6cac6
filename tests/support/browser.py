"""Headless Chromium for the report's tests: found (skipped where it is missing, failed under
CI), and run with a home of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (scripts/setup.sh --test installs it)")
        pytest.skip("chromium is not installed")
    return found


def run_browser(browser: str, *args: str, home: Path) -> subprocess.CompletedProcess:
    # a home of its own: no profile of anyone's is read or written
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(
        [browser, *FLAGS, *args], capture_output=True, timeout=120, env=env, cwd=home
    )
