"""Breathing patterns: one YAML file each in dialogs/breathing/, validated on load so that a
user can add one (the file name is the pattern's name: `reflect breathe box`).

    description: In for four, hold for four, out for four, hold for four.
    phases:
      - {breath: in, seconds: 4, say: Breathe in}
      - {breath: hold, seconds: 4, say: Hold}
      - ...
    minutes: 4             # or rounds: 6
    tone_after_rounds: 2   # optional: after two rounds a soft tone takes the words' place
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from pathlib import Path

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.errors import BadInputError
from assistant.base.settings import DIALOGS_DIR

PATTERNS_DIR = DIALOGS_DIR / "breathing"
DEFAULT_PATTERN = "cyclic-sighing"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TOP_KEYS = {"description", "phases", "rounds", "minutes", "tone_after_rounds"}
PHASE_KEYS = {"breath", "seconds", "say"}
#: A phase shorter than this leaves no room for a cue; longer than this, people lose the thread.
MIN_PHASE_S, MAX_PHASE_S = 0.5, 30.0
MAX_ROUNDS = 500
MIN_MINUTES, MAX_MINUTES = 0.5, 60.0


class Breath(Enum):
    IN = "in"
    HOLD = "hold"
    OUT = "out"


@dataclass(frozen=True)
class Phase:
    breath: Breath
    duration_s: Fraction  # exact, so planned onsets are exact sums of phase lengths
    say: str


@dataclass(frozen=True)
class Pattern:
    name: str
    path: Path
    description: str
    phases: tuple[Phase, ...]
    rounds: int | None  # exactly one of rounds and minutes is set
    minutes: Fraction | None
    tone_after_rounds: int | None  # None: the words are spoken throughout

    @property
    def round_s(self) -> Fraction:
        return sum((p.duration_s for p in self.phases), Fraction(0))

    @property
    def breaths_per_minute(self) -> float:
        return float(60 / self.round_s)

    def fill_levels(self) -> tuple[tuple[float, float], ...]:
        """(level at the start, level at the end) of each phase, 0 empty to 1 full: the in-breaths
        fill the bar in proportion to their length, the out-breaths empty it, holds keep it."""
        total = {
            b: sum((p.duration_s for p in self.phases if p.breath is b), Fraction(0))
            for b in Breath
        }
        level = Fraction(0)
        out: list[tuple[float, float]] = []
        for phase in self.phases:
            start = level
            if phase.breath is Breath.IN:
                level = min(Fraction(1), level + phase.duration_s / total[Breath.IN])
            elif phase.breath is Breath.OUT:
                level = max(Fraction(0), level - phase.duration_s / total[Breath.OUT])
            out.append((float(start), float(level)))
        return tuple(out)

    def cue_texts(self) -> tuple[str, ...]:
        """Every text to render before the exercise starts, once each."""
        return tuple(dict.fromkeys(p.say for p in self.phases))


def _phases(r: Reader, top: dict) -> tuple[Phase, ...]:
    raw = top.get("phases")
    if not isinstance(raw, list) or not raw:
        raise r.error(top, "phases", "phases", "expected a list of phases")
    phases = []
    for i, item in enumerate(raw):
        keypath = f"phases[{i}]"
        if not isinstance(item, dict):
            raise r.error(raw, i, keypath, "expected {breath: in, seconds: 4, say: Breathe in}")
        unknown_keys(r, item, PHASE_KEYS, keypath)
        breath = r.choice(item, "breath", f"{keypath}.breath", [b.value for b in Breath])
        phases.append(
            Phase(
                breath=Breath(breath),
                duration_s=r.number(
                    item, "seconds", f"{keypath}.seconds", MIN_PHASE_S, MAX_PHASE_S, exact=True
                ),
                say=r.text(item, "say", f"{keypath}.say"),
            )
        )
    for needed in (Breath.IN, Breath.OUT):
        if not any(p.breath is needed for p in phases):
            raise r.error(top, "phases", "phases", f"add a phase with breath: {needed.value}")
    return tuple(phases)


def load_pattern(path: Path) -> Pattern:
    r = Reader(path)
    top = load_yaml(path)
    unknown_keys(r, top, TOP_KEYS, "")
    if not NAME.match(path.stem):
        raise r.error(
            top, None, "file name",
            f"{path.name!r}: rename it to lower-case letters, digits and dashes, e.g. box.yaml",
        )  # fmt: skip
    if ("rounds" in top) == ("minutes" in top):
        raise r.error(top, None, "rounds", "give either rounds: N or minutes: N (one of them)")
    rounds = minutes = tone_after = None
    if "rounds" in top:
        rounds = r.number(top, "rounds", "rounds", 1, MAX_ROUNDS, whole=True)
    else:
        minutes = r.number(top, "minutes", "minutes", MIN_MINUTES, MAX_MINUTES, exact=True)
    if "tone_after_rounds" in top:
        tone_after = r.number(
            top, "tone_after_rounds", "tone_after_rounds", 1, MAX_ROUNDS, whole=True
        )
    return Pattern(
        name=path.stem,
        path=path,
        description=r.text(top, "description", "description"),
        phases=_phases(r, top),
        rounds=rounds,
        minutes=minutes,
        tone_after_rounds=tone_after,
    )


def pattern_paths(folder: Path = PATTERNS_DIR) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def load_patterns(folder: Path = PATTERNS_DIR) -> dict[str, Pattern]:
    """Every pattern in the folder; one broken file stops the load with its one-line error."""
    return {name: load_pattern(path) for name, path in pattern_paths(folder).items()}


def find_pattern(name: str = DEFAULT_PATTERN, folder: Path = PATTERNS_DIR) -> Pattern:
    paths = pattern_paths(folder)
    if name not in paths:
        known = ", ".join(paths) or "none"
        raise BadInputError(f"unknown breathing pattern {name!r}; patterns: {known}")
    return load_pattern(paths[name])
