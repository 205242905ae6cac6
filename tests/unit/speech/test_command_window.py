"""speech/command_window.py: which stretches of real (espeak-ng) speech the command recogniser is
fed, and word times moved back onto the listener's clock.

The recogniser here is a recording stand-in: Vosk cannot say which samples it was fed, and that
is what this module decides. It reports one "word" at the first loud sample of each utterance it
was fed, in its own count of fed samples, as Vosk does."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.speech.command_window import MAX_COMMAND_S, PREROLL_S, TAIL_S, CommandWindow

from audio_helpers import RATE, silence, speak

FRAME = 1600  # 0.1 s


class Recording:
    def __init__(self) -> None:
        self.fed: list[np.ndarray] = []
        self.closed_at: list[int] = []  # fed-sample counts at each FinalResult

    @property
    def total(self) -> int:
        return sum(len(x) for x in self.fed)

    def AcceptWaveform(self, data: bytes) -> bool:
        self.fed.append(np.frombuffer(data, dtype=np.int16))
        return False

    def PartialResult(self) -> str:
        return json.dumps({"partial": "sk"})

    def FinalResult(self) -> str:
        begin = self.closed_at[-1] if self.closed_at else 0
        self.closed_at.append(self.total)
        audio = np.concatenate(self.fed)[begin:] if self.fed else np.zeros(0, np.int16)
        loud = np.flatnonzero(np.abs(audio.astype(np.int32)) > 1000)
        if not len(loud):
            return json.dumps({"text": ""})
        start, end = (begin + loud[0]) / RATE, (begin + loud[-1]) / RATE
        return json.dumps(
            {"text": "skip", "result": [{"word": "skip", "start": start, "end": end}]}
        )


@pytest.fixture(scope="module")
def skip():
    return speak("skip")


@pytest.fixture(scope="module")
def long_speech():
    return speak("I have been thinking about what happened at work today and why it upset me")


def run(window: CommandWindow, audio: np.ndarray) -> list[dict]:
    results = []
    for start in range(0, len(audio) - len(audio) % FRAME, FRAME):
        result = window.hear(start, audio[start : start + FRAME])
        if result is not None:
            results.append(result)
    return results


def test_quiet_is_not_fed():
    rec = Recording()
    window = CommandWindow(rec, RATE)
    assert run(window, silence(3.0)) == []
    assert rec.total == 0 == window.fed_samples


def test_a_command_after_a_pause_is_fed_with_its_preroll_then_closed(skip):
    rec = Recording()
    window = CommandWindow(rec, RATE)
    onset = 20 * FRAME  # 2 s of quiet first
    audio = np.concatenate([silence(2.0), skip, silence(3.0)])
    results = run(window, audio)
    # fed: the pre-roll (at most PREROLL_S and one frame), the word, then the tail until closed
    assert PREROLL_S * RATE <= rec.total - len(skip) <= (PREROLL_S + TAIL_S) * RATE + 3 * FRAME
    assert rec.total < len(audio) / 2
    assert rec.closed_at == [rec.total]  # closed once, by the window, after the tail
    [result] = results
    [word] = result["result"]
    # the word's time is on the listener's clock, not the recogniser's count of fed samples
    assert word["start"] == pytest.approx(onset / RATE, abs=0.03)
    assert word["start"] < word["end"] <= (onset + len(skip)) / RATE


def test_two_commands_each_mapped_to_their_own_time(skip):
    rec = Recording()
    window = CommandWindow(rec, RATE)
    audio = np.concatenate([silence(1.0), skip, silence(3.0), skip, silence(3.0)])
    results = run(window, audio)
    starts = [r["result"][0]["start"] for r in results]
    second = (1.0 + 3.0) + len(skip) / RATE
    assert starts == pytest.approx([1.0, second], abs=0.03)


def test_a_long_utterance_stops_being_fed(long_speech):
    assert len(long_speech) / RATE > 2 * MAX_COMMAND_S
    rec = Recording()
    window = CommandWindow(rec, RATE)
    run(window, np.concatenate([silence(1.0), long_speech, silence(1.0)]))
    # no more than the pre-roll and the longest command (and a frame) before giving up
    assert rec.total <= (PREROLL_S + MAX_COMMAND_S) * RATE + 2 * FRAME
    assert rec.total < len(long_speech)
    assert len(rec.closed_at) == 1  # what it held was dropped


def test_a_command_after_a_long_utterance_and_a_pause_is_heard(skip, long_speech):
    rec = Recording()
    window = CommandWindow(rec, RATE)
    onset = 1.0 + len(long_speech) / RATE + 1.0
    results = run(
        window, np.concatenate([silence(1.0), long_speech, silence(1.0), skip, silence(3.0)])
    )
    assert [r["result"][0]["start"] for r in results] == pytest.approx([onset], abs=0.03)


def test_always_feeds_everything(long_speech):
    rec = Recording()
    window = CommandWindow(rec, RATE)
    window.always = True
    audio = np.concatenate([silence(1.0), long_speech, silence(1.0)])
    assert run(window, audio) == []  # nothing closed by the window itself
    assert rec.total == len(audio) - len(audio) % FRAME
    assert rec.closed_at == []  # not dropped while always


def test_partial_and_attach():
    window = CommandWindow(None, RATE)
    assert window.partial() == ""  # no recogniser yet: nothing in progress
    window.attach(Recording())
    assert window.partial() == "sk"
