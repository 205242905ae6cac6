"""The breathing bar follows the plan (fills in, holds, empties out) and renders without a
terminal; the texts around the exercise load and name their mistakes."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from assistant.base.errors import BadScriptError
from assistant.breathe.bar import LiveBar, bar_state, bar_text, render
from assistant.breathe.patterns import Breath, find_pattern
from assistant.breathe.schedule import RATE_HZ, Schedule
from assistant.breathe.texts import BREATHE_FILE, Request, load_breathe_texts

TEXTS = load_breathe_texts()


def at(seconds: float) -> int:
    return round(seconds * RATE_HZ)


def test_the_bar_fills_on_the_in_breaths_and_empties_on_the_out_breath():
    schedule = Schedule(find_pattern("cyclic-sighing"), rounds=2)  # in 3 s, in 1.5 s, out 6.5 s
    levels = [bar_state(schedule, at(t / 10)).level for t in range(0, 220)]
    assert levels[0] == 0.0
    assert bar_state(schedule, at(1.5)).level == pytest.approx(1 / 3)
    assert bar_state(schedule, at(3.0)).level == pytest.approx(2 / 3)  # the first in-breath
    assert bar_state(schedule, at(4.5)).level == pytest.approx(1.0)  # the top-up
    assert bar_state(schedule, at(7.75)).level == pytest.approx(0.5)
    rising, falling = levels[:45], levels[45:110]
    assert rising == sorted(rising) and falling == sorted(falling, reverse=True)
    state = bar_state(schedule, at(12.0))
    assert (state.round_number, state.rounds, state.breath) == (2, 2, Breath.IN)
    assert state.seconds_left == pytest.approx(2.0)
    assert bar_state(schedule, schedule.end_sample) is None


def test_a_hold_keeps_the_bar_where_it_is():
    schedule = Schedule(find_pattern("box"), rounds=1)
    assert bar_state(schedule, at(4.1)).level == bar_state(schedule, at(7.9)).level == 1.0
    assert bar_state(schedule, at(12.1)).level == bar_state(schedule, at(15.9)).level == 0.0
    assert bar_state(schedule, at(5)).breath is Breath.HOLD


def test_the_bar_renders_the_phase_the_fill_and_the_round():
    schedule = Schedule(find_pattern("cyclic-sighing"), rounds=27)
    half = bar_text(bar_state(schedule, at(11 * 2 + 7.75)), TEXTS.labels, TEXTS.round, width=20)
    line = render(half)
    assert line.startswith("breathe out ")
    assert line.count("█") == 10 and "round 3 of 27" in line
    full = render(bar_text(bar_state(schedule, at(4.2)), TEXTS.labels, TEXTS.round, width=20))
    assert full.count("█") == 18 and "▋" in full  # 0.933 of 20 cells: 18 and five eighths
    empty = render(bar_text(bar_state(schedule, 0), TEXTS.labels, TEXTS.round, width=20))
    assert "█" not in empty and empty.startswith("breathe in ")


def test_the_live_bar_draws_on_a_console():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=60, color_system=None)
    schedule = Schedule(find_pattern("box"), rounds=2)
    with LiveBar(TEXTS.labels, TEXTS.round, console) as bar:
        bar.show(bar_state(schedule, at(5)))
    assert "hold" in out.getvalue() and "round 1 of 2" in out.getvalue()


def test_the_texts_say_to_breathe_normally_if_dizzy_and_know_the_requests():
    assert "dizzy" in TEXTS.note and "breathe normally" in TEXTS.note
    assert TEXTS.request("Slower.") is Request.SLOWER
    assert TEXTS.request("a bit faster") is Request.FASTER
    assert TEXTS.request("Words, please") is Request.WORDS
    assert TEXTS.request("slower breathing would be nice") is None  # only said on its own


def test_a_phrase_asking_for_two_things_is_refused(tmp_path):
    path = tmp_path / "breathe.yaml"
    text = BREATHE_FILE.read_text().replace("faster: [faster,", "faster: [slower,")
    path.write_text(text)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("  faster:"))
    with pytest.raises(BadScriptError, match=rf":{line}: requests.faster: 'slower' already asks"):
        load_breathe_texts(path)
