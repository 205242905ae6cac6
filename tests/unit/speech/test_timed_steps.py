"""Timed steps: cues placed at planned times on the audio clock, never pushed later by synthesis
or by the cue before them; typed, they wait on the (injected) real clock."""

from __future__ import annotations

import numpy as np

from assistant.audio.player import Player
from assistant.audio.sinks import NullSink
from assistant.audio.wav import Audio
from assistant.events import TimedStep
from assistant.speech.voice import Voice

RATE = 16_000


class ToneSynth:
    """Renders each cue as a tone whose length is set by the test (a stand-in for a voice, so the
    onsets can be found exactly)."""

    name = "tone"

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    def render(self, text: str, slow: bool = False) -> Audio:
        n = int(self.seconds[text] * RATE)
        return Audio((np.sin(np.arange(n) / 5) * 8000).astype(np.int16), RATE)


class Ears:
    """Pulls the player frame by frame like a transport, as fast as a file (no listening)."""

    interrupted = False

    def __init__(self, player: Player) -> None:
        self.player = player
        self.out: list[np.ndarray] = []

    def hear_out(self, pump) -> bool:
        while pump(not self.player.busy) or self.player.busy:
            self.out.append(self.player.pull(640))
        return False


def onsets(samples: np.ndarray, block: int = 16) -> list[float]:
    """Where sound starts after quiet, to 1 ms (16-sample blocks)."""
    blocks = samples[: len(samples) // block * block].reshape(-1, block)
    loud = np.abs(blocks).max(axis=1) > 100
    starts = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    found = [s * block / RATE for s in starts]
    return [0.0, *found] if loud[0] else found


def test_cues_start_on_their_planned_times_even_when_a_cue_is_too_long():
    player = Player(RATE)
    ears = Ears(player)
    # The second cue (3 s) is longer than the 2 s until the third: it is cut, the third on time.
    synth = ToneSynth({"in": 1.0, "hold": 3.0, "out": 1.5})
    voice = Voice([synth], NullSink(), show=lambda text: None, player=player, gap_s=0)
    voice.attach(ears)
    plan = [TimedStep(0.0, "in"), TimedStep(4.0, "hold"), TimedStep(6.0, "out"),
            TimedStep(30.0, "in")]  # fmt: skip
    voice.steps(plan)
    starts = [p.start / RATE for p in player.log]
    assert starts == [step.at_s for step in plan]
    assert player.log[1].end / RATE == 6.0  # the long cue was cut where the next one begins
    # In the audio itself: the cues after quiet start on time, to the millisecond.
    assert onsets(np.concatenate(ears.out)) == [0.0, 4.0, 30.0]


def test_typed_steps_wait_on_the_real_clock_against_absolute_times():
    waits: list[float] = []
    shown: list[str] = []
    voice = Voice([], NullSink(), show=shown.append, wait=waits.append)
    voice.steps([TimedStep(0.0, "in"), TimedStep(4.0, "hold"), TimedStep(11.0, "out")])
    assert shown == ["in", "hold", "out"]
    # The injected wait does not pass time, so each wait is the whole planned offset: absolute.
    assert [round(w, 2) for w in waits] == [0.0, 4.0, 11.0]


def test_a_plan_is_made_from_the_rendered_lengths_once():
    voice = Voice([ToneSynth({"a": 1.5, "b": 0.5})], NullSink(), show=lambda text: None)
    steps = voice.plan([("a", 2.0), ("b", 3.0), ("a", 1.0)])
    assert [s.at_s for s in steps] == [0.0, 3.5, 7.0]
