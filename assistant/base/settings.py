"""Settings as frozen dataclasses; every number names its unit."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from assistant.base.errors import BadScriptError

MODEL_NAME = "vosk-model-small-en-us-0.15"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / MODEL_NAME
#: The scripts; REFLECT_DIALOGS_DIR points at a folder of your own (with its commands.yaml).
DIALOGS_DIR = Path(os.environ.get("REFLECT_DIALOGS_DIR") or PROJECT_ROOT / "dialogs")


#: ListenSettings keys that are true or false, not seconds.
BOOLEAN_KEYS = frozenset({"long_answer", "early_end"})


@dataclass(frozen=True)
class ListenSettings:
    """How the listener decides that an answer has ended, in audio time."""

    sample_rate_hz: int = 16_000
    chunk_frames: int = 4_000  #: samples per chunk from a file of the person's side only
    #: samples per frame on the shared clock (microphone, --duplex): 40 ms, for a quick barge-in
    frame_samples: int = 640
    #: Silence after the last word that ends an answer (s). Must exceed a thinking pause (~2.5 s):
    #: 2.7 cut into none of the set's pauses of 1.5-2.5 s (scripts/eval_turn_taking.py), and the
    #: join stays the safety net for longer ones.
    end_silence_s: float = 2.7
    #: Silence with no word at all before the assistant asks once more, gently (s).
    no_answer_s: float = 20.0
    #: Longest single answer; a memo longer than this is saved and the script moves on (s).
    max_answer_s: float = 900.0
    #: Typed answers may run over several lines (until an empty line, a closing phrase or the
    #: end of input), for scripts whose answers are long, such as the journal entry.
    long_answer: bool = False
    #: After this much quiet the answer may end early: when the turn model judges the turn
    #: complete and the words do not stop mid-clause (s). Else end_silence_s decides.
    early_end_after_s: float = 0.7
    #: How sure the turn model must be that the turn is complete to end it early (0 to 1).
    early_end_probability: float = 0.8
    #: False: only end_silence_s ends an answer. Off by default: on the natural-speech set (human
    #: recordings, espeak-ng at two rates) Smart Turn said "complete" at as many thinking pauses
    #: as true ends (median 0.43 at pauses, 0.25 at ends), so an early end mostly cut into pauses.
    #: A script (or a voice it judges better) turns it on with `early_end: true`.
    early_end: bool = False
    #: "Give me a minute", "let me think": the question stays open this long without a
    #: reprompt (s).
    hold_floor_s: float = 30.0
    #: An answer ended early that goes on while the next question starts: the question stops
    #: and what follows is joined to the answer, if it starts within this long of the
    #: question's start (s).
    join_window_s: float = 3.0

    def merged(self, overrides: dict[str, Any] | None, where: str) -> ListenSettings:
        """Apply per-script or per-state overrides, rejecting unknown keys and bad values."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)} - {"sample_rate_hz", "chunk_frames", "frame_samples"}
        for key, value in overrides.items():
            if key not in known:
                raise BadScriptError(
                    f"{where}: unknown listen setting {key!r}; expected one of {sorted(known)}"
                )
            if key in BOOLEAN_KEYS:
                if not isinstance(value, bool):
                    raise BadScriptError(f"{where}.{key}: expected true or false")
                continue
            if key == "early_end_probability":
                if (
                    isinstance(value, bool)
                    or not isinstance(value, (int, float))
                    or not (0 < value <= 1)
                ):
                    raise BadScriptError(f"{where}.{key}: expected a probability above 0, up to 1")
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or value <= 0
            ):
                raise BadScriptError(f"{where}.{key}: expected a positive number of seconds")
        merged = replace(
            self,
            **{k: v if isinstance(v, bool) else float(v) for k, v in overrides.items()},
        )
        if merged.end_silence_s <= 2.5:
            raise BadScriptError(
                f"{where}.end_silence_s: {merged.end_silence_s} s would cut people off during a "
                "thinking pause; use more than 2.5"
            )
        return merged


@dataclass(frozen=True)
class VoiceSettings:
    """How prompts are spoken."""

    rate_wpm: int = 150  #: speaking rate (words per minute); calm conversation is 120-150
    #: rate for what must be taken in, such as where help is (words per minute); never faster
    #: than rate_wpm
    slow_rate_wpm: int = 115
    volume: float = 1.0  #: 0.0 to 1.0
    synth_timeout_s: float = 10.0  #: longest wait for one prompt to be synthesised (s)
    gap_s: float = 0.4  #: silence written between prompts in --audio-out (s)
    #: espeak-ng voice (and variant) for the espeak-ng program; "" is its default. A rehearsal's
    #: partner speaks with another one, clearly different from the guide's.
    voice: str = ""
    #: which voice speaks: a name in the table of speech/voices.py (`reflect voices`)
    voice_name: str = "joe"

    def rate(self, slow: bool = False) -> int:
        """The speaking rate to use (words per minute)."""
        return min(self.slow_rate_wpm, self.rate_wpm) if slow else self.rate_wpm


#: The partner's voice in a rehearsal: another espeak-ng variant, a higher voice than the guide's.
PARTNER_VOICE = "en-us+f3"


def default_data_dir() -> Path:
    """REFLECT_DATA_DIR, else the platform's per-user data folder."""
    env = os.environ.get("REFLECT_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir("reflect", appauthor=False))
