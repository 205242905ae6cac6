"""Breathing exercises as they run: cues in the --audio-out file at their planned offsets, "stop"
heard on the one clock (duplex sessions through the flows harness), a break inside a session,
and the pause rule on an injected clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.sinks import WavSink
from assistant.audio.wav import read_wav
from assistant.base.settings import DIALOGS_DIR, ListenSettings, VoiceSettings
from assistant.breathe.exercise import Exercise
from assistant.breathe.patterns import DEFAULT_PATTERN, load_patterns
from assistant.breathe.pause_rule import load_pause_texts
from assistant.breathe.texts import load_breathe_texts
from assistant.conversation.activities import Pause, activity_script
from assistant.conversation.session import Session
from assistant.events import Answer
from assistant.journal.records import Status
from assistant.journal.store import Journal
from assistant.speech.commands import load_commands
from assistant.speech.timeline import TypedStage
from assistant.speech.voice import EspeakCliSynth, Voice

from audio_helpers import RATE, silence, speak
from flows import cli, run_wav
from onsets import energy_onsets, match_onsets

TEXTS = load_breathe_texts()
PATTERNS = load_patterns()
TOLERANCE_S = 0.05


def voice_to(path: Path, shown: list[str], voice: str = "espeak") -> Voice:
    """espeak-ng, or with `voice` "joe" the neural voice (its model, no fall back)."""
    if voice == "joe":
        from assistant.speech.voices import guide_synths

        return Voice(guide_synths(VoiceSettings())[:1], WavSink(path), shown.append)
    return Voice([EspeakCliSynth(VoiceSettings())], WavSink(path), shown.append)


def planned_s(exercise: Exercise) -> list[float]:
    return [s.start_sample / RATE for s in exercise.schedule.steps]


def found_s(path: Path) -> list[float]:
    samples = read_wav(path, RATE).samples
    return [i / RATE for i in energy_onsets(samples, RATE)]


@pytest.mark.parametrize(
    ("name", "speaker"),
    [(name, "espeak") for name in sorted(PATTERNS)] + [(DEFAULT_PATTERN, "joe")],
)
def test_cues_in_the_audio_out_file_start_within_50_ms_of_plan(tmp_path, name, speaker):
    out = tmp_path / f"{name}.wav"
    shown: list[str] = []
    voice = voice_to(out, shown, speaker)
    exercise = Exercise(PATTERNS[name], TEXTS, voice, minutes=5, intro=False)
    record = exercise.run()
    voice.close()
    assert record.ended is Status.COMPLETED and record.rounds_done == record.rounds
    plan = planned_s(exercise)
    assert plan[-1] > 280  # five minutes of cues
    found = found_s(out)
    errors, missed, extra = match_onsets(
        [round(p * 1000) for p in plan], [round(f * 1000) for f in found], int(TOLERANCE_S * 1000)
    )
    assert not missed, f"cues not found at their planned times (ms): {missed[:5]}"
    assert max(abs(e) for e in errors) <= TOLERANCE_S * 1000
    end_ms = exercise.schedule.end_sample * 1000 // RATE
    assert all(e >= end_ms for e in extra)  # only the closing "well done", after the last breath
    assert shown[0] == PATTERNS[name].phases[0].say  # the words shown as they are spoken


def test_a_slower_request_replans_from_the_next_round_without_drift(tmp_path):
    """Typed on an injected clock: "slower" said in round one stretches the rounds after it, and
    every cue still comes on its (new) planned time."""
    clock = FakeClock()
    ears = Script([(5.0, "slower")], clock)
    shown: list[str] = []
    voice = Voice([], _NullSink(), shown.append, wait=clock.sleep)
    voice.stage = lambda: TypedStage(ears, clock=clock.now, sleep=clock.sleep)  # type: ignore
    exercise = Exercise(PATTERNS["box"], TEXTS, voice, rounds=3, intro=False)
    record = exercise.run()
    assert TEXTS.slower in shown
    steps = exercise.schedule.steps
    assert steps[4].start_sample == 16 * RATE  # round two starts as first planned
    assert steps[5].start_sample - steps[4].start_sample == round(4 * 1.1 * RATE)  # slower
    assert record.actual_s == pytest.approx(16 + 2 * 16 * 1.1)
    assert record.ended is Status.COMPLETED


# -- an injected clock ----------------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)


class Script:
    """Typed lines that arrive at given times on a fake clock (the stage's ears)."""

    def __init__(self, lines: list[tuple[float, str]], clock: FakeClock) -> None:
        self.lines, self.clock = list(lines), clock

    def poll(self, timeout_s: float):
        if self.lines and self.lines[0][0] <= self.clock.t + timeout_s:
            at, text = self.lines.pop(0)
            self.clock.t = max(self.clock.t, at)
            return Answer(text)
        self.clock.sleep(timeout_s)
        return None

    # the session's listener side
    def after_speaking(self) -> None:
        pass


class _NullSink:
    def play(self, audio, gap_after=True) -> None:
        pass

    def close(self) -> None:
        pass


def test_the_pause_rule_on_an_injected_clock(tmp_path):
    from assistant.audio.sinks import NullSink

    clock = FakeClock()
    start = datetime(2026, 12, 1, 21, 30).astimezone()
    ears = Script([(300.0, "he always does this and what he said was so unfair")], clock)
    shown: list[str] = []
    voice = Voice([], NullSink(), shown.append, wait=clock.sleep)
    journal = Journal(tmp_path / "journal")
    commands = load_commands(DIALOGS_DIR / "commands.yaml")
    texts = load_pause_texts()
    pause = Pause(
        texts, 20, ("I'd like to start again, calmly.",), start=lambda: start,
        stage=lambda: TypedStage(ears, clock=clock.now, sleep=clock.sleep),
    )  # fmt: skip
    script = activity_script("pause", "A break", ListenSettings())
    session = Session(script, ears, voice, journal, commands, activity=pause)
    outcome = session.run()
    assert clock.t == pytest.approx(20 * 60, abs=1)  # the whole break, in no real time
    said = "\n".join(shown)
    assert "until 21:50" in said
    assert texts.soothe in said and texts.offer_breathing in said
    assert texts.grievance in said  # going over the argument is put off, kindly
    assert "halfway" in said and "about 10 minutes" in said
    assert "It's 21:50" in said and "I'd like to start again, calmly." in said
    assert said.index(texts.grievance) < said.index("halfway") < said.index("It's 21:50")
    turns = journal.find(outcome.session_id).to_dict()["turns"]
    pause = next(t["pause"] for t in turns if "pause" in t)
    assert pause["checked_in"] and pause["ended"] == "completed"
    assert pause["opener"] == "I'd like to start again, calmly."
    assert any("unfair" in t["answer"] for t in turns)  # what was said is kept
    assert session.summary == "20 minutes, back at 21:50, completed"
    journal.close()


@pytest.mark.parametrize("minutes", ["0", "1441", "twenty", "2.5"])
def test_pause_minutes_outside_a_day_are_a_one_line_error(tmp_path, minutes):
    done = cli("pause", "--minutes", minutes, "--typed", "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "1 to 1440" in done.stderr


# -- on the one clock, from WAV files ---------------------------------------------------------
def spans_s(path: Path) -> list[tuple[float, float]]:
    samples = read_wav(path, RATE).samples
    block = RATE // 100
    loud = np.abs(samples[: len(samples) // block * block].reshape(-1, block)).max(axis=1) > 300
    out: list[list[float]] = []
    for i in np.flatnonzero(loud):
        t = i / 100
        if out and t - out[-1][1] <= 0.15:
            out[-1][1] = t + 0.01
        else:
            out.append([t, t + 0.01])
    return [(a, b) for a, b in out]


def breathe_from(tmp: Path, data: Path, name: str, samples: np.ndarray, model) -> tuple[Path, dict]:
    """`reflect breathe box --duplex`, from `samples`: what the assistant played and the
    exercise's record."""
    out = tmp / f"{name}-out.wav"
    done = run_wav(
        "breathe", samples, data_dir=data, model=model, duplex=True, audio_out=out, pattern="box"
    )
    return out, next(t["breathing"] for t in done.stored[-1]["turns"] if "breathing" in t)


def test_stop_said_20_s_into_an_exercise_ends_it_within_300_ms(tmp_path, model):
    data = tmp_path / "journal"
    # 1. Nobody speaks: where does the exercise's first cue start on the clock?
    out, record = breathe_from(tmp_path, data, "quiet", silence(34), model)
    assert record["ended"] == "interrupted"  # the input ran out
    exercise_s = 34 - record["actual_s"]  # the clock at the first cue
    first_cue = min(spans_s(out), key=lambda span: abs(span[0] - exercise_s))
    assert abs(first_cue[0] - exercise_s) < 0.05
    # 2. "stop" ending 20.5 s in (after the second round's first cue).
    word = speak("stop")
    stop_end = exercise_s + 20.5
    samples = np.concatenate([silence(stop_end - len(word) / RATE), word, silence(6)])
    out, record = breathe_from(tmp_path, data, "stop", samples, model)
    assert record["ended"] == "stopped" and record["rounds_done"] == 1
    # Where this run's exercise began: the onset followed by cues 4, 8 and 12 s later (a
    # fallback voice may have said the introduction in a different time).
    starts = [a for a, _ in spans_s(out)]
    began = next(
        t for t in starts
        if all(any(abs(u - t - k) < 0.05 for u in starts) for k in (4, 8, 12))
    )  # fmt: skip
    cut_s = began + record["actual_s"]
    assert 0 <= cut_s - stop_end <= 0.3, f"ended {cut_s - stop_end:.3f} s after the word"
    # The acknowledgement ("All right, we'll stop here.") follows at once, not after the cues
    # that were placed ahead and cut (it came 30.7 s late while they still counted as played).
    reply = next((a for a in starts if a > cut_s), None)
    assert reply is not None, "no acknowledgement within the 6 s after the word"
    assert reply - stop_end <= 1.0, f"acknowledged {reply - stop_end:.2f} s after the word"
    assert len(read_wav(out, RATE).samples) >= (reply + 1.0) * RATE  # it was heard, not cut


def test_pause_in_an_evening_leads_to_breathing_then_the_same_question(tmp_path, model):
    """Said over the prompts (barge-in), so the times need not be exact: "pause" during the first
    question, "breathe" over the reply, "continue" after the round, then the answer."""
    parts: list[str | float] = [
        14.0, "pause", 2.0, "breathe", 75.0, "continue", 12.0,
        "yesterday my partner did not reply to my messages", 8.0, "stop", 4.0,
    ]  # fmt: skip
    samples = np.concatenate([silence(p) if isinstance(p, float) else speak(p) for p in parts])
    done = run_wav("evening", samples, data_dir=tmp_path / "journal", model=model, duplex=True)
    turns = done.session["turns"]
    states = [t["state"] for t in turns]
    assert states[0] == "breathing" and turns[0]["breathing"]["ended"] == "completed"
    evening = load_evening()
    first = evening.states[evening.initial]
    answer = turns[1]
    assert answer["prompt"] == first.prompt  # the same question, asked again after the break
    assert "partner" in answer["answer"]
    assert len(turns) == 2


def load_evening():
    from assistant.dialog.script import find_script

    return find_script("evening", DIALOGS_DIR)


def test_a_disclosure_during_breathing_is_saved_checked_and_answered(tmp_path):
    from assistant.audio.sinks import NullSink
    from assistant.conversation.activities import Breathe
    from assistant.events import EndOfInput
    from assistant.safety.respond import load_safeguards

    clock = FakeClock()
    ears = Script([(12.0, "honestly i have been thinking everyone would be better off without me")],
                  clock)  # fmt: skip
    ears.listen = lambda settings: EndOfInput()  # the safety flow's question: nobody answers
    ears.interrupted = False
    shown: list[str] = []
    voice = Voice([], NullSink(), shown.append, wait=clock.sleep)
    voice.stage = lambda: TypedStage(ears, clock=clock.now, sleep=clock.sleep)  # type: ignore
    journal = Journal(tmp_path / "journal")
    commands = load_commands(DIALOGS_DIR / "commands.yaml")
    session = Session(
        activity_script("breathe", "box", ListenSettings()), ears, voice, journal, commands,
        safeguards=load_safeguards(DIALOGS_DIR), activity=Breathe(PATTERNS["box"], None),
    )  # fmt: skip
    outcome = session.run()
    assert clock.t < 20  # the exercise gave way at once
    saved = journal.find(outcome.session_id).to_dict()
    assert saved["safety"] == ["self-harm"]
    said = [t for t in saved["turns"] if t["state"] == "breathing" and t["answer"]]
    assert "better off without me" in said[0]["answer"]
    record = next(t["breathing"] for t in saved["turns"] if "breathing" in t)
    assert record["ended"] == "stopped" and record["said"] == [said[0]["answer"]]
    journal.close()
