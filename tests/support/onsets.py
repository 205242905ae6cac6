"""An energy-onset detector for checking when cues start in a rendered WAV.

The signal is cut into 5 ms frames; a frame is loud when its RMS is above a threshold, and an
onset is the first loud frame after at least `min_quiet_s` of quiet frames (so the short gaps
between words inside one cue do not count as new onsets). Precision is one frame.
"""

from __future__ import annotations

import numpy as np

FRAME_S = 0.005


def energy_onsets(
    samples: np.ndarray,
    rate_hz: int = 16_000,
    threshold_rms: float = 200.0,
    min_quiet_s: float = 0.2,
) -> list[int]:
    """Sample indices where sound starts after a quiet stretch."""
    frame = round(FRAME_S * rate_hz)
    n = len(samples) // frame
    frames = samples[: n * frame].astype(np.float64).reshape(n, frame)
    loud = np.sqrt((frames**2).mean(axis=1)) > threshold_rms
    quiet_needed = round(min_quiet_s / FRAME_S)
    # Length of the quiet run ending just before each frame: a cumulative count reset on loud.
    idx = np.arange(n)
    last_loud = np.maximum.accumulate(np.where(loud, idx, -1))
    previous_loud = np.concatenate(([-1], last_loud[:-1]))
    quiet_before = np.where(previous_loud < 0, idx + quiet_needed, idx - previous_loud - 1)
    starts = np.flatnonzero(loud & (quiet_before >= quiet_needed))
    return [int(i) * frame for i in starts]


def match_onsets(
    planned: list[int], found: list[int], tolerance: int
) -> tuple[list[int], list[int], list[int]]:
    """(errors of the planned onsets found within `tolerance`, planned ones missed, extra ones
    found), each found onset used at most once."""
    found_sorted = sorted(found)
    used: set[int] = set()
    errors, missed = [], []
    for p in planned:
        i = int(np.searchsorted(found_sorted, p - tolerance))
        if i < len(found_sorted) and abs(found_sorted[i] - p) <= tolerance and i not in used:
            used.add(i)
            errors.append(found_sorted[i] - p)
        else:
            missed.append(p)
    extra = [f for i, f in enumerate(found_sorted) if i not in used]
    return errors, missed, extra
