"""A pyttsx3 engine whose runAndWait never returns until released: a hang as seen in some
set-ups, which cannot be caused on demand (tests/unit/speech/test_voice.py,
scripts/bench_voice.py)."""

from __future__ import annotations

import threading


class HangingEngine:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls: list[str] = []  # what runAndWait did: "entered", "returned"

    def setProperty(self, name, value) -> None:
        pass

    def connect(self, topic, callback) -> None:
        pass

    def save_to_file(self, text, path) -> None:
        pass

    def runAndWait(self) -> None:
        self.calls.append("entered")
        self.release.wait()
        self.calls.append("returned")
