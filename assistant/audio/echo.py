"""What of the input is the assistant's own voice: gating with a guard interval, and a
double-talk test against the known outgoing audio (the player's reference).

The free-text recogniser is fed silence wherever the assistant's voice (or its echo, up to the
device latency plus a guard later) may be in the input, so an answer can never hold the
assistant's words. The command recogniser keeps listening there (barge-in); a command heard there
counts only where the input is louder than the echo the reference predicts ("near-end" speech):
in a room without headphones the assistant saying "stop" in a prompt must not stop itself.

The guard after a prompt covers the device latency where an echo has been heard, and only 0.1 s
where none has. The echo path is learnt as it goes: the delay (block lag with the best
correlation of log energies while the assistant speaks) and the gain (the median
input/reference energy ratio at that lag). With headphones the gain is about zero, so every
voiced block is near-end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.audio.duplex import Frame
from assistant.audio.player import Player

BLOCK = 320  # 20 ms at 16 kHz: the unit of the energy bookkeeping
HISTORY_BLOCKS = 1500  # 30 s kept
MAX_LAG_BLOCKS = 40  # the echo path's delay is searched up to 800 ms


@dataclass(frozen=True)
class EchoSettings:
    guard_s: float = 0.3  #: after the device latency, how long the tail of a prompt is gated (s)
    #: the same where no echo has been heard (the echo path's gain is about zero) (s)
    no_echo_guard_s: float = 0.1
    margin_db: float = 8.0  #: how much louder than the predicted echo near-end speech must be
    voiced_rms: float = 300.0  #: an input block at least this loud (int16 RMS) may be speech
    near_end_share: float = 0.5  #: share of voiced blocks in a command that must be near-end


class EchoGate:
    def __init__(
        self, player: Player | None, rate_hz: int, delay_s: float, settings: EchoSettings
    ) -> None:
        self._player = player
        self._settings = settings
        self._rate = rate_hz
        self._guard = int((delay_s + settings.guard_s) * rate_hz)
        # With no echo heard (headphones), only the output's own latency is gated after a prompt,
        # so an answer that starts soon after the question keeps its first word.
        self._quiet_guard = int(settings.no_echo_guard_s * rate_hz)
        self._margin = 10 ** (settings.margin_db / 10)
        self._first = 0  # clock block of self._mic[0]
        self._mic = np.zeros(0, np.float64)  # energy per block
        self._ref = np.zeros(0, np.float64)
        self._pending = np.zeros(0, np.int16)  # samples short of a whole block
        self._pending_ref = np.zeros(0, np.int16)
        self._pending_start = 0
        self.lag = 0  # blocks
        self.gain = 0.0  # echo energy per reference energy
        self._since_fit = 0

    # -- bookkeeping --------------------------------------------------------------------------
    def observe(self, frame: Frame) -> bool:
        """Take in one frame; returns whether it is gated (the assistant's voice may be in it)."""
        if self._player is None:
            return False
        if not len(self._pending):
            self._pending_start = frame.start
        ref = frame.reference if frame.reference is not None else np.zeros_like(frame.samples)
        self._pending = np.concatenate([self._pending, frame.samples])
        self._pending_ref = np.concatenate([self._pending_ref, ref])
        whole = len(self._pending) // BLOCK * BLOCK
        if whole:
            mic = self._pending[:whole].astype(np.float64).reshape(-1, BLOCK)
            out = self._pending_ref[:whole].astype(np.float64).reshape(-1, BLOCK)
            if not len(self._mic):
                self._first = self._pending_start // BLOCK
            self._mic = np.concatenate([self._mic, (mic**2).mean(axis=1)])[-HISTORY_BLOCKS:]
            self._ref = np.concatenate([self._ref, (out**2).mean(axis=1)])[-HISTORY_BLOCKS:]
            self._first = (self._pending_start + whole) // BLOCK - len(self._mic)
            self._pending = self._pending[whole:]
            self._pending_ref = self._pending_ref[whole:]
            self._pending_start += whole
            self._since_fit += whole // BLOCK
            if self._since_fit >= 50:  # refit the echo path once a second
                self._since_fit = 0
                self._fit()
        return self.gated(frame.start, frame.end)

    def gated(self, start: int, end: int) -> bool:
        """Whether clock samples [start, end) may hold the assistant's voice or its echo."""
        if self._player is None:
            return False
        guard = self._guard if self.gain > 1e-3 else self._quiet_guard
        return any(p.start < end and p.end + guard > start for p in self._player.spans())

    def _fit(self) -> None:
        ref, mic = self._ref, self._mic
        speaking = ref > 1e4
        if speaking.sum() < 50:  # under a second of speech: keep what is known
            return
        lr, lm = np.log10(ref + 1.0), np.log10(mic + 1.0)
        best, best_lag = -np.inf, 0
        for lag in range(MAX_LAG_BLOCKS + 1):
            a = lr[: len(lr) - lag]
            b = lm[lag:]
            if len(a) < 50:
                break
            c = np.corrcoef(a, b)[0, 1] if a.std() > 0 and b.std() > 0 else 0.0
            if c > best:
                best, best_lag = c, lag
        self.lag = best_lag
        shifted = speaking[: len(speaking) - best_lag]
        ratios = mic[best_lag:][shifted] / ref[: len(ref) - best_lag][shifted]
        # With no echo (headphones) the correlation is weak and the ratios tiny: gain near zero.
        self.gain = float(np.median(ratios)) if best > 0.3 and len(ratios) else 0.0

    # -- the double-talk test -------------------------------------------------------------------
    def near_end(self, start_s: float, end_s: float) -> bool:
        """Whether speech in [start_s, end_s) is the person's rather than the echo: most voiced
        blocks there are louder than the echo the reference predicts, by the margin."""
        if self._player is None or not len(self._mic):
            return True
        a = int(start_s * self._rate) // BLOCK - self._first
        b = int(end_s * self._rate) // BLOCK - self._first + 1
        a, b = max(a, 0), min(b, len(self._mic))
        if b <= a:
            return True
        voiced = self._settings.voiced_rms**2
        near = total = 0
        for i in range(a, b):
            if self._mic[i] < voiced:
                continue
            total += 1
            lo, hi = max(i - self.lag - 5, 0), max(i - self.lag + 2, 0)
            echo = self.gain * (self._ref[lo:hi].max() if hi > lo else 0.0)
            near += self._mic[i] > self._margin * echo
        return total == 0 or near / total >= self._settings.near_end_share

    def voiced_recently(self, now: int, quiet_s: float) -> bool:
        """Whether near-end speech was heard in the last `quiet_s` before clock sample `now`."""
        if not len(self._mic):
            return False
        b = now // BLOCK - self._first
        a = max(b - int(quiet_s * self._rate) // BLOCK, 0)
        voiced = self._settings.voiced_rms**2
        for i in range(a, min(b, len(self._mic))):
            lo, hi = max(i - self.lag - 5, 0), max(i - self.lag + 2, 0)
            echo = self.gain * (self._ref[lo:hi].max() if hi > lo else 0.0)
            if self._mic[i] >= voiced and self._mic[i] > self._margin * echo:
                return True
        return False
