"""Text -> IPA phonemes from one long-running espeak-ng program (`-q --ipa`), for the neural
voice. Starting the program per clause cost 0.2 s; kept running, a clause costs a pipe round
trip. It is a separate process on purpose: pyttsx3 drives libespeak-ng inside this process, and
the library can be initialised only once per process (a second initialisation, by ctypes here,
left pyttsx3 with no audio at all).

The program prints one line per clause and drops the punctuation, which the voice uses for its
intonation and pauses; so the text is cut into clauses here, each is sent on its own line
followed by a marker line, and its punctuation is put back after its phonemes.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import threading
import unicodedata

from assistant.base.errors import ModelMissingError

#: A clause and the punctuation that ends it (none at the end of the text).
_CLAUSE = re.compile(r"([^.,;:!?\n]+)([.,;:!?]*)")
_MARKER = "qwxzv vzxwq"  # a line whose phonemes end one clause's reply (no word says it)
REPLY_TIMEOUT_S = 5.0


class Phonemizer:
    """One espeak-ng program for one espeak voice; thread-safe; restarted if it died."""

    def __init__(self, voice: str = "en-us") -> None:
        self._voice = voice
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._pending = b""
        self._marker = ""

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            try:
                self._process = subprocess.Popen(
                    ["espeak-ng", "-q", "--ipa", "-v", self._voice],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                )  # fmt: skip
            except OSError as exc:
                raise ModelMissingError(f"cannot start espeak-ng ({exc}); install it") from None
            self._pending = b""
            self._send([])  # the marker alone: its phonemes are learnt from its reply
            self._marker = " ".join(self._reply_lines(marker_known=False))
        return self._process

    def _send(self, lines: list[str]) -> None:
        assert self._process is not None and self._process.stdin is not None
        data = "".join(f"{line}\n{_MARKER}\n" for line in lines) if lines else f"{_MARKER}\n"
        try:
            self._process.stdin.write(data.encode("utf-8"))
            self._process.stdin.flush()
        except OSError as exc:
            raise ModelMissingError(f"espeak-ng stopped ({exc})") from None

    def _reply_lines(self, marker_known: bool = True) -> list[str]:
        """The non-empty lines printed for one clause, up to its marker line."""
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        lines: list[str] = []
        while True:
            while b"\n" in self._pending:
                raw, self._pending = self._pending.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").strip()
                if not marker_known and line:
                    return [line]  # the marker's own phonemes, learnt at start
                if line == self._marker:
                    return lines
                if line:
                    lines.append(line)
            ready, _, _ = select.select([fd], [], [], REPLY_TIMEOUT_S)
            chunk = os.read(fd, 65536) if ready else b""
            if not chunk:
                self._process.kill()
                raise ModelMissingError("espeak-ng gave no phonemes (stopped or stuck)")
            self._pending += chunk

    def ipa(self, text: str) -> str:
        """The IPA of `text` as espeak-ng says it, its punctuation kept, in NFD form (how the
        neural voice's phoneme table spells accents and stress marks)."""
        clauses = [(c.strip(), p.strip()[:1]) for c, p in _CLAUSE.findall(text)]
        out: list[str] = []
        with self._lock:
            self._start()
            self._send([clause for clause, _ in clauses if clause])
            for clause, punctuation in clauses:
                if clause:
                    out.append(" ".join(self._reply_lines()) + punctuation)
                elif out:
                    out[-1] += punctuation
        return unicodedata.normalize("NFD", " ".join(part for part in out if part))

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
                self._process.wait()
