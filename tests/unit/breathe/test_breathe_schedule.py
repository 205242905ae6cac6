"""Breathing plans: exact absolute onsets for every built-in pattern, tempo changes from the next
round, tones and words back, and cues found in a rendered WAV within 50 ms of plan."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import cache
from itertools import pairwise

import numpy as np
import pytest

from assistant.audio.wav import read_wav
from assistant.breathe.patterns import Breath, find_pattern, load_patterns
from assistant.breathe.schedule import (
    CUE_GAP_S,
    RATE_HZ,
    Adjusted,
    Schedule,
    phase_tones,
    place_cues,
    soft_tone,
)

from audio_helpers import speak, write
from onsets import energy_onsets, match_onsets

PATTERNS = load_patterns()
TOLERANCE = round(0.050 * RATE_HZ)


def ideal_onsets(pattern, rounds: int, first_round: int = 0, anchor: int = 0, tempo: float = 1.0):
    """Independently of the planner: plain float sums of the YAML numbers, rounded once each."""
    lengths = [float(p.duration_s) for p in pattern.phases]
    out = []
    for k in range(first_round, rounds):
        for j in range(len(lengths)):
            seconds = (k - first_round) * sum(lengths) + sum(lengths[:j])
            out.append(anchor + round(seconds * tempo * RATE_HZ))
    return out


def test_built_in_patterns_are_the_four_asked_for():
    assert set(PATTERNS) >= {"cyclic-sighing", "box", "4-7-8", "resonance"}
    assert find_pattern().name == "cyclic-sighing"
    assert [p.breath for p in PATTERNS["cyclic-sighing"].phases] == [
        Breath.IN,
        Breath.IN,
        Breath.OUT,
    ]
    assert [float(p.duration_s) for p in PATTERNS["box"].phases] == [4, 4, 4, 4]
    assert [float(p.duration_s) for p in PATTERNS["4-7-8"].phases] == [4, 7, 8]
    assert PATTERNS["resonance"].breaths_per_minute == pytest.approx(5.5, abs=0.05)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_onset_over_five_minutes_is_its_ideal_absolute_time(name):
    pattern = PATTERNS[name]
    schedule = Schedule(pattern, minutes=5)
    assert abs(schedule.end_sample - 300 * RATE_HZ) <= pattern.round_s * RATE_HZ / 2
    starts = [s.start_sample for s in schedule.steps]
    assert starts == ideal_onsets(pattern, schedule.rounds)
    # Contiguous: each phase ends where the next begins, so no gap or overlap can build up.
    steps = schedule.steps
    assert all(a.end_sample == b.start_sample for a, b in pairwise(steps))


def test_slower_applies_from_the_next_round_against_absolute_times():
    pattern = PATTERNS["box"]  # 16 s rounds
    schedule = Schedule(pattern, minutes=5)
    before = schedule.steps
    assert schedule.slower(now_sample=70 * RATE_HZ) is Adjusted.CHANGED  # inside round 4 (64-80 s)
    anchor = 80 * RATE_HZ
    assert schedule.steps[:20] == before[:20]  # rounds 0-4 as planned, the one under way too
    assert schedule.steps[20].start_sample == anchor
    rest = [s.start_sample for s in schedule.steps[20:]]
    assert rest == ideal_onsets(pattern, schedule.rounds, first_round=5, anchor=anchor, tempo=1.1)
    assert all(s.tempo == Fraction(11, 10) for s in schedule.steps[20:])
    # Minutes fix the end: slower breaths mean fewer rounds, still ending near five minutes.
    assert schedule.rounds < 19
    assert abs(schedule.end_sample - 300 * RATE_HZ) <= 16 * 1.1 * RATE_HZ / 2


def test_tempo_stays_within_its_limits():
    schedule = Schedule(PATTERNS["resonance"], rounds=30)
    results = [schedule.slower(0) for _ in range(5)]
    assert results == [Adjusted.CHANGED] * 4 + [Adjusted.AT_LIMIT]
    assert schedule.tempo == Fraction(7, 5)
    results = [schedule.faster(0) for _ in range(7)]
    assert results == [Adjusted.CHANGED] * 6 + [Adjusted.AT_LIMIT]
    assert schedule.tempo == Fraction(4, 5)
    assert schedule.rounds == 30  # a number of rounds stays that number
    # Several changes before the next round: only the last one counts, from round 1.
    assert schedule.steps[0].tempo == 1 and schedule.steps[2].tempo == Fraction(4, 5)
    assert schedule.slower(schedule.end_sample) is Adjusted.TOO_LATE


def test_words_give_way_to_tones_and_come_back_on_request():
    pattern = PATTERNS["cyclic-sighing"]
    schedule = Schedule(pattern, minutes=5)
    after = pattern.tone_after_rounds
    assert all(s.spoken == (s.round_index < after) for s in schedule.steps)
    planned = [s.start_sample for s in schedule.steps]
    now = schedule.onset(6, 1) + 10  # just after the second in-breath of round 6 began
    assert schedule.words_back(now) is Adjusted.CHANGED
    spoken = [s.spoken for s in schedule.steps]
    index = next(
        i for i, s in enumerate(schedule.steps) if s.round_index == 6 and s.phase_index == 2
    )
    assert not any(spoken[after * 3 : index]) and all(spoken[index:])
    assert [s.start_sample for s in schedule.steps] == planned  # timing untouched
    assert schedule.words_back(now) is Adjusted.UNCHANGED


def test_a_cue_longer_than_its_phase_is_cut_and_the_next_onset_stays():
    pattern = PATTERNS["cyclic-sighing"]
    schedule = Schedule(pattern, rounds=2)
    long_cue = np.full(3 * RATE_HZ, 8000, dtype=np.int16)  # 3 s for the 1.5 s top-up breath
    rendered = {text: np.full(RATE_HZ // 2, 8000, dtype=np.int16) for text in pattern.cue_texts()}
    rendered["A little more"] = long_cue
    timeline = place_cues(schedule.steps, rendered)
    assert [start for start, _ in timeline.cues] == [s.start_sample for s in schedule.steps]
    top_up = timeline.cues[1][1]
    assert len(top_up) == round((1.5 - CUE_GAP_S) * RATE_HZ)
    assert abs(int(top_up[-1])) < 200  # faded, no click
    assert len(timeline.notes) == 1 and "'A little more' lasts 3.00 s" in timeline.notes[0]
    mixed = timeline.mix()
    assert len(mixed) == schedule.end_sample
    next_onset = schedule.steps[2].start_sample
    assert not mixed[next_onset - round(CUE_GAP_S * RATE_HZ) : next_onset].any()
    with pytest.raises(ValueError, match="no audio rendered"):
        place_cues(schedule.steps, {})


def test_soft_tone_fades_in_and_out():
    tone = soft_tone(440.0, duration_s=0.5)
    assert len(tone) == RATE_HZ // 2
    assert abs(int(tone[0])) < 50 and abs(int(tone[-1])) < 50
    assert 3000 < np.abs(tone).max() < 6000  # soft: well below full scale


@cache
def rendered_cue(text: str) -> np.ndarray:
    return speak(text)


def test_the_onset_detector_can_tell_a_late_cue():
    beep = soft_tone(440.0, duration_s=0.3)
    signal = np.zeros(10 * RATE_HZ, dtype=np.int16)
    planned = [RATE_HZ, 4 * RATE_HZ, 7 * RATE_HZ]
    late = [RATE_HZ, 4 * RATE_HZ + round(0.08 * RATE_HZ), 7 * RATE_HZ]
    for start in late:
        signal[start : start + len(beep)] = beep
    errors, missed, extra = match_onsets(planned, energy_onsets(signal), TOLERANCE)
    assert missed == [4 * RATE_HZ] and len(extra) == 1 and len(errors) == 2


def _adjusted(schedule: Schedule) -> Schedule:
    schedule.slower(60 * RATE_HZ)
    schedule.slower(62 * RATE_HZ)
    schedule.faster(150 * RATE_HZ)
    schedule.words_back(200 * RATE_HZ)
    return schedule


@pytest.mark.parametrize("adjust", [False, True], ids=["as-planned", "slower-faster-words"])
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_cues_in_a_five_minute_wav_start_within_50_ms_of_plan(tmp_path, name, adjust):
    pattern = PATTERNS[name]
    schedule = Schedule(pattern, minutes=5)
    if adjust:
        _adjusted(schedule)
    rendered = {text: rendered_cue(text) for text in pattern.cue_texts()}
    timeline = place_cues(schedule.steps, rendered, phase_tones())
    wav = write(tmp_path / "breathe.wav", timeline.mix())
    samples = read_wav(wav).samples
    half_round = pattern.round_s * schedule.tempo * RATE_HZ / 2
    assert abs(len(samples) - 300 * RATE_HZ) <= half_round  # five minutes of audio

    planned = [s.start_sample for s in schedule.steps]
    errors, missed, extra = match_onsets(planned, energy_onsets(samples), TOLERANCE)
    worst_ms = max(abs(e) for e in errors) * 1000 / RATE_HZ
    print(f"{name} adjust={adjust}: {len(planned)} onsets, worst {worst_ms:.1f} ms")
    assert missed == [] and extra == []
    assert worst_ms <= 50  # how long the planning takes: scripts/bench_breathe.py


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_spoken_cues_fit_their_phases_even_at_the_fastest_tempo(name):
    pattern = PATTERNS[name]
    schedule = Schedule(pattern, rounds=3)
    while schedule.faster(0) is Adjusted.CHANGED:
        pass
    steps = [replace(s, spoken=True) for s in schedule.steps if s.round_index == 1]
    assert steps and all(s.tempo == schedule.limits.fastest for s in steps)
    rendered = {text: rendered_cue(text) for text in pattern.cue_texts()}
    assert place_cues(steps, rendered).notes == ()
