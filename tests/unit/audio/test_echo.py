"""The echo gate: the free-text recogniser is deaf where the assistant's voice (or its echo) may
be, the echo path is learnt from the input against the player's reference, and a command over a
prompt counts only where the input is louder than the echo it predicts."""

from __future__ import annotations

import numpy as np

from assistant.audio.duplex import Frame
from assistant.audio.echo import BLOCK, EchoGate, EchoSettings
from assistant.audio.player import Player
from assistant.audio.wav import Audio

RATE = 16_000
FRAME = 640  # 40 ms, as the listener reads


def voice(seconds: float, seed: int = 1) -> np.ndarray:
    """Speech-like noise whose loudness changes every 100 ms (so the echo path can be found)."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    envelope = np.repeat(rng.uniform(0.05, 0.5, n // 1600 + 1), 1600)[:n]
    return (rng.standard_normal(n) * envelope * 8000).clip(-32000, 32000).astype(np.int16)


def run(
    gate: EchoGate, player: Player, seconds: float, mic=lambda ref, start: np.zeros_like(ref)
) -> list[bool]:
    """Feed `seconds` of frames; the input is `mic(reference, clock sample)`. Whether each was
    gated."""
    gated = []
    for _ in range(int(seconds * RATE) // FRAME):
        start = player.now
        ref = player.pull(FRAME)
        gated.append(gate.observe(Frame(start, mic(ref, start), ref)))
    return gated


def echo_of(delay_blocks: int, gain: float, history: list[np.ndarray]):
    """An input that is the reference, `delay_blocks` of 20 ms later and scaled by `gain`."""

    def mic(ref: np.ndarray, start: int) -> np.ndarray:
        history.append(ref)
        played = np.concatenate(history)
        delay = delay_blocks * BLOCK
        heard = played[-FRAME - delay : len(played) - delay] if len(played) > delay else []
        out = np.zeros(FRAME)
        out[FRAME - len(heard) :] = heard
        return (out * gain).astype(np.int16)

    return mic


def test_without_a_player_nothing_is_gated_and_every_command_is_the_persons():
    gate = EchoGate(None, RATE, 0.0, EchoSettings())
    frame = Frame(0, voice(0.04), None)
    assert gate.observe(frame) is False and gate.gated(0, FRAME) is False
    assert gate.near_end(0.0, 1.0) is True


def test_a_prompt_and_a_short_guard_after_it_are_gated_where_no_echo_is_heard():
    player = Player(RATE)
    gate = EchoGate(player, RATE, 0.0, EchoSettings(no_echo_guard_s=0.1))
    run(gate, player, 0.4)
    start = player.play(Audio(voice(1.0), RATE))
    end = start + RATE
    assert not gate.gated(start - FRAME, start)  # before the prompt
    assert gate.gated(start, start + FRAME) and gate.gated(end - FRAME, end)
    assert gate.gated(end + int(0.05 * RATE), end + int(0.09 * RATE))  # inside the guard
    assert not gate.gated(end + int(0.1 * RATE), end + int(0.2 * RATE))  # after it
    assert gate.gain == 0.0  # headphones: nothing of the prompt came back


def test_the_echo_path_is_learnt_and_the_guard_covers_the_device_latency():
    player = Player(RATE)
    gate = EchoGate(player, RATE, 0.2, EchoSettings(guard_s=0.3))
    player.play(Audio(voice(3.0), RATE))
    run(gate, player, 3.0, echo_of(delay_blocks=5, gain=0.5, history=[]))
    assert gate.lag == 5  # 100 ms, found by correlating the energies
    assert 0.2 < gate.gain < 0.3  # energy: the amplitude's 0.5 squared
    end = player.log[-1].end
    assert gate.gated(end + int(0.45 * RATE), end + int(0.49 * RATE))  # latency + guard: 0.5 s
    assert not gate.gated(end + int(0.5 * RATE), end + int(0.6 * RATE))


def test_over_the_echo_only_speech_louder_than_it_predicts_is_the_persons():
    player = Player(RATE)
    gate = EchoGate(player, RATE, 0.0, EchoSettings())
    player.play(Audio(voice(4.0), RATE))
    history: list[np.ndarray] = []
    echo = echo_of(delay_blocks=3, gain=0.3, history=history)
    person = voice(1.0, seed=7) * 3  # said over the prompt, near the microphone
    said_at = 2 * RATE

    def mic(ref: np.ndarray, start: int) -> np.ndarray:
        heard = echo(ref, start).astype(np.int32)
        if said_at <= start < said_at + RATE:
            heard += person[start - said_at : start - said_at + FRAME]
        return heard.clip(-32768, 32767).astype(np.int16)

    run(gate, player, 4.0, mic)
    assert gate.gain > 0.05
    assert gate.near_end(2.0, 3.0)  # the person over the prompt
    assert not gate.near_end(0.5, 1.5)  # the prompt's own echo
    assert gate.voiced_recently(int(3.2 * RATE), quiet_s=0.5)
    assert not gate.voiced_recently(int(1.5 * RATE), quiet_s=0.5)


def test_a_stretch_with_no_voiced_block_is_no_proof_against_the_person():
    player = Player(RATE)
    gate = EchoGate(player, RATE, 0.0, EchoSettings())
    run(gate, player, 1.0)  # quiet in, nothing played
    assert gate.near_end(0.2, 0.8) is True
    assert gate.voiced_recently(RATE, quiet_s=1.0) is False
