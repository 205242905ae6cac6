"""--duplex from files: the WAV is what the microphone heard from the start of the session, the
assistant's speech takes time on the same clock, and --audio-out lines up with the input sample for
sample. So barge-in can be tested from files in audio time: exact and fast, the same on a loaded
machine (through the sound card, in real time: scripts/bench_duplex.py --barge-in)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from assistant.base.settings import DIALOGS_DIR
from assistant.dialog.script import find_script
from assistant.speech.commands import load_commands

from audio_helpers import RATE, silence, speak
from audio_helpers import sound_spans as spans
from flows import run_wav

EVENING = find_script("evening", DIALOGS_DIR)
REPLIES = load_commands(DIALOGS_DIR / "commands.yaml").replies
FIRST = "Yesterday my partner did not reply to my messages."


def run(tmp: Path, data: Path, name: str, samples: np.ndarray, model) -> tuple[np.ndarray, object]:
    """A duplex session of the evening from `samples`; what the assistant played (aligned with
    the input), and the result."""
    done = run_wav(
        "evening", samples, data_dir=data, model=model, duplex=True,
        audio_out=tmp / f"{name}-out.wav",
    )  # fmt: skip
    assert done.audio_out is not None and done.audio_out.rate_hz == RATE
    return done.audio_out.samples, done


def cut_after(out: np.ndarray, question: tuple[float, float], said: tuple[int, int]) -> float:
    """Seconds from the end of a command (`said`: its first and last sample) to the last sound
    of the question it was said over. The question's words and its comma pauses are joined (gaps
    under 0.3 s); the reply after the cut follows a longer quiet (the voice's gap between
    prompts, 0.4 s)."""
    cut = next(s for s in spans(out, gap_s=0.3) if s[0] >= question[0] - 0.01)
    assert cut[1] > said[0] / RATE, "the question had ended before the command began"
    assert question[1] - cut[1] > 1.0  # it really was cut short
    return cut[1] - said[1] / RATE


@dataclass(frozen=True)
class Timeline:
    """Two runs the tests here build on: nobody speaking (where the first question is), and the
    first answer after it (where the second question is)."""

    quiet: np.ndarray
    quiet_out: np.ndarray
    first_q: tuple[float, float]
    answered: np.ndarray
    answer_end: float
    answered_done: object
    second_q: tuple[float, float]


@pytest.fixture(scope="module")
def timeline(tmp_path_factory, model) -> Timeline:
    tmp = tmp_path_factory.mktemp("timeline")
    quiet = silence(22)  # the intro and the first question take 19 s
    out, _ = run(tmp, tmp / "quiet", "quiet", quiet, model)
    first_q = spans(out)[1]
    before = silence(first_q[1] + 0.6)
    answered = np.concatenate([before, speak(FIRST), silence(9)])  # the second question too
    out2, done = run(tmp, tmp / "answered", "answered", answered, model)
    answer_end = (len(before) + len(speak(FIRST))) / RATE
    second_q = next(s for s in spans(out2, gap_s=0.3) if s[0] > answer_end)
    return Timeline(quiet, out, first_q, answered, answer_end, done, second_q)


def test_skip_and_stop_said_over_a_question_cut_it_within_300_ms(tmp_path, model, timeline):
    data = tmp_path / "journal"

    # 1. Nobody speaks: where does the first question end on the clock?
    quiet, out = timeline.quiet, timeline.quiet_out
    assert len(out) == len(quiet)  # --audio-out lines up with the input, sample for sample
    intro, first_q = spans(out)[:2]
    assert intro[0] < 0.2  # the intro starts at once

    # 2. "skip" said 1 s into the first question: cut there, and the next question follows.
    at = int((first_q[0] + 1.0) * RATE)
    skip = speak("skip")
    heard = np.concatenate([quiet[:at], skip, silence(3)])
    out, done = run(tmp_path, data, "skipped", heard, model)
    skip_cut = cut_after(out, first_q, (at, at + len(skip)))
    assert skip_cut <= 0.3, f"the question went on {skip_cut:.2f} s after skip"
    assert EVENING.states["fear"].prompt in done.said

    # 3. The first answer after the first question: where does the second one start?
    answered, answer_end, done = timeline.answered, timeline.answer_end, timeline.answered_done
    second_q = timeline.second_q
    assert EVENING.states["fear"].prompt in done.said
    # The answer ends after the script's end silence (the turn model's early end is off by
    # default: settings.py says why); the question follows at once, and --show-turns says so.
    gap = second_q[0] - answer_end
    notes = "\n".join(done.notes)
    end_silence_s = EVENING.states["today"].listen.end_silence_s
    assert f"turn: silence after {end_silence_s:.1f}" in notes, notes
    assert end_silence_s <= gap <= end_silence_s + 0.4, (second_q, answer_end)

    # 4. The same, with "stop" said 1 s into the second question.
    at = int((second_q[0] + 1.0) * RATE)
    stop = speak("stop")
    heard = answered[: at + len(stop) + 4 * RATE].copy()
    heard[at : at + len(stop)] = stop
    out, done = run(tmp_path, data, "stopped", heard, model)
    stop_cut = cut_after(out, second_q, (at, at + len(stop)))
    print(f"barge-in from a file: the question stopped {skip_cut:.3f} s after skip ended, "
          f"{stop_cut:.3f} s after stop")  # fmt: skip
    assert stop_cut <= 0.3, f"the question went on {stop_cut:.2f} s after stop"
    assert REPLIES["stopped"] in done.said
    assert EVENING.states["roots"].prompt not in done.said

    last = done.stored[-1]
    assert last["status"] == "stopped"
    assert [t["state"] for t in last["turns"]] == ["today"]
    assert "stop" not in last["turns"][0]["answer"].split()


SECOND = "I was afraid that she had stopped caring about me."


def test_an_answer_begun_as_the_question_ends_is_stored_under_that_question(
    tmp_path, model, timeline
):
    """People start answering about 0.2 s before a question ends. Speech that begins in a
    question's last second belongs to that question, even when the answer before it ended on a
    pause (where speech over the question's start goes on with that answer): the question plays
    out, and the answer is heard from its first word."""
    answer_end, second_q = timeline.answer_end, timeline.second_q
    at = int((second_q[1] - 0.2) * RATE)  # 0.2 s before the question's last sound
    heard = np.concatenate([timeline.answered[:at], speak(SECOND), silence(8)])
    out, done = run(tmp_path, tmp_path / "journal", "early", heard, model)
    assert not done.listener.continuations, "the question was cut as if the answer went on"
    turns = done.session["turns"]
    assert [t["state"] for t in turns[:2]] == ["today", "fear"]
    assert "afraid" not in turns[0]["answer"] and "partner" in turns[0]["answer"]
    assert "afraid" in turns[1]["answer"] and "caring" in turns[1]["answer"]
    # The question was heard to its end (not cut), and what was shown is what was stored.
    assert next(s for s in spans(out, gap_s=0.3) if s[0] > answer_end)[1] >= second_q[1] - 0.02
    assert done.printed[:2] == [turns[0]["answer"], turns[1]["answer"]]


def test_skip_said_after_a_question_skips_it(tmp_path, model, timeline):
    """Full duplex, "skip" said as the reply to a question (not over it) is the command, as half
    duplex: the free text's "cape" is never stored as an answer."""
    at = int((timeline.first_q[1] + 0.6) * RATE)
    heard = np.concatenate([timeline.quiet[:at], speak("skip"), silence(7)])
    _, done = run(tmp_path, tmp_path / "journal", "skip", heard, model)
    assert EVENING.states["fear"].prompt in done.said
    assert done.session.get("turns", []) == [], done.session
    assert done.said.texts().count(EVENING.states["today"].prompt) == 1  # not asked again
