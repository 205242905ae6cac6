"""A terminal bar that fills on the in-breath and empties on the out-breath, with the phase and
the round. `bar_state` reads the plan at a sample; `bar_text` draws it (testable without a
terminal through rich's recording Console); `LiveBar` keeps it updated in place."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from rich.console import Console
from rich.live import Live
from rich.text import Text

from assistant.breathe.patterns import Breath
from assistant.breathe.schedule import Schedule

#: Eighths of a cell, so the bar moves smoothly even when it is narrow.
_PARTS = " ▏▎▍▌▋▊▉"
_STYLE = {Breath.IN: "cyan", Breath.HOLD: "blue", Breath.OUT: "green"}


@dataclass(frozen=True)
class BarState:
    level: float  # 0 empty (lungs out) to 1 full (lungs in)
    breath: Breath
    round_number: int  # from 1
    rounds: int
    seconds_left: float  # in this phase


def bar_state(schedule: Schedule, now_sample: int) -> BarState | None:
    """Where the exercise is at `now_sample`; None before its start or after its end."""
    step = next(
        (s for s in schedule.steps if s.start_sample <= now_sample < s.end_sample),
        None,
    )
    if step is None:
        return None
    start, end = schedule.pattern.fill_levels()[step.phase_index]
    progress = (now_sample - step.start_sample) / step.duration_samples
    return BarState(
        level=start + (end - start) * progress,
        breath=step.phase.breath,
        round_number=step.round_index + 1,
        rounds=schedule.rounds,
        seconds_left=(step.end_sample - now_sample) / schedule.rate_hz,
    )


def bar_text(
    state: BarState,
    labels: Mapping[Breath, str],
    round_text: str = "round {round} of {rounds}",
    width: int = 30,
) -> Text:
    """`breathe in  ██████████▌         round 3 of 27`"""
    eighths = round(max(0.0, min(1.0, state.level)) * width * 8)
    full, part = divmod(eighths, 8)
    cells = "█" * full + (_PARTS[part] if part and full < width else "")
    text = Text()
    text.append(f"{labels[state.breath]:<12}", style="bold")
    text.append(cells.ljust(width), style=_STYLE[state.breath])
    text.append("  " + round_text.format(round=state.round_number, rounds=state.rounds), "dim")
    return text


def render(text: Text, width: int = 80) -> str:
    """The bar as plain text, the way a terminal would show it."""
    console = Console(record=True, width=width, file=io.StringIO(), color_system=None)
    console.print(text)
    return console.export_text().rstrip("\n")


class LiveBar:
    """The bar redrawn in place on a terminal (stderr, like the live transcripts)."""

    def __init__(self, labels: Mapping[Breath, str], round_text: str, console: Console) -> None:
        self._labels, self._round_text = labels, round_text
        self._live = Live(console=console, auto_refresh=False, transient=True)

    def __enter__(self) -> LiveBar:
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()

    def show(self, state: BarState | None) -> None:
        if state is not None:
            self._live.update(bar_text(state, self._labels, self._round_text), refresh=True)
