"""Full duplex through a virtual sound card (tests/support/pulse.py): the program listens while it
speaks.

* Barge-in: "skip" and "stop" said over a question cut it (measured from the recorded speaker and
  microphone: the question's last sound against the end of the command); "mm-hmm" over a question
  does not.
* An echo room: the speaker's sound is looped into the microphone (a laptop without headphones).
  Three sessions in a row must store every answer, with none of the assistant's words in them.

A short script of our own keeps these few and sharp; the journal has had its first-run notice.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from assistant.base.settings import DIALOGS_DIR

from audio_helpers import conversation, write
from conftest import reflect
from pulse import MIC, Child, PulseServer, require

pytestmark = pytest.mark.e2e

SCRIPT = """\
description: A short script for the duplex tests.
intro: Hello. We will try three short questions today, one at a time.
outro: Thank you, that was all for today.
listen: {end_silence_s: 3.0, no_answer_s: 20}
machine:
  initial: first
  states:
    - name: first
      prompt: Think of a moment today when you felt unsure of yourself, and tell me about it.
    - name: second
      prompt: When that happened, what were you most afraid would happen next, between you?
    - name: third
      prompt: And what would have helped you feel a little safer in that moment, do you think?
    - {name: end, final: true}
  transitions:
    - {trigger: next, source: first, dest: second}
    - {trigger: next, source: second, dest: third}
    - {trigger: next, source: third, dest: end}
"""
PROMPTS = {
    "first": "Think of a moment today when you felt unsure of yourself",
    "second": "When that happened, what were you most afraid",
    "third": "And what would have helped you feel a little safer",
}
ANSWERS = {
    "first": ("Yesterday my partner did not reply to my text messages.", {"reply", "messages"}),
    "second": ("I just needed some reassurance and a little patience.", {"reassurance"}),
    "third": ("A long walk with my sister would have helped me.", {"walk", "sister"}),
}


@pytest.fixture
def pulse():
    require()
    with PulseServer() as server:
        yield server


@pytest.fixture
def dialogs(tmp_path: Path) -> Path:
    folder = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, folder)
    (folder / "duplex.yaml").write_text(SCRIPT)
    return folder


def seen_journal(data: Path, env: dict) -> None:
    done = reflect("duplex", "--typed", "--silent", "--data-dir", str(data), env=env)
    assert done.returncode == 0, done.stderr


class Conversation:
    def __init__(self, pulse: PulseServer, tmp: Path, dialogs: Path, name: str) -> None:
        self.pulse = pulse
        self.tmp = tmp
        self.data = tmp / f"journal-{name}"
        env = {**pulse.env, "REFLECT_DIALOGS_DIR": str(dialogs)}
        seen_journal(self.data, env)
        self.speaker = pulse.record(tmp / f"{name}-speaker.wav")
        self.mic = pulse.record(tmp / f"{name}-mic.wav", device=f"{MIC}.monitor")
        self.child = Child(
            ["duplex", "--data-dir", str(self.data), "--rate", "200"], env, tmp / f"{name}.err"
        )

    def fail(self, message: str) -> None:
        self.child.stop()
        pytest.fail(
            f"{message}\n--- stdout ---\n" + "\n".join(self.child.transcript)
            + f"\n--- stderr ---\n{self.child.stderr()}",
            pytrace=False,
        )  # fmt: skip

    def expect(self, start: str, timeout_s: float = 30) -> float:
        """Lines until one starts with `start`; returns when it was printed."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                at, line = self.child.next_line(max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                self.fail(f"waiting for {start!r}")
            if line is None:
                self.fail(f"reflect ended while waiting for {start!r}")
            if line.startswith(start):
                return at

    def say(self, name: str, text: str) -> Path:
        return write(self.tmp / f"{name}.wav", conversation([0.2, text, 0.3]))

    def after_onset(self, printed_at: float, delay_s: float) -> float:
        """Wait until the speaker has been sounding for `delay_s` since the prompt printed at
        `printed_at` began to sound; returns its onset."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            now = time.monotonic()
            # Not the drained tail of a prompt cut just before (a run that is short and over).
            runs = [
                r for r in self.speaker.loud_runs(since=printed_at)
                if r[1] - r[0] >= 0.4 or now - r[1] < 0.25
            ]  # fmt: skip
            if runs and now - runs[0][0] >= delay_s:
                return runs[0][0]
            time.sleep(0.02)
        self.fail("the prompt never sounded")
        raise AssertionError

    def finish(self) -> dict:
        try:
            code = self.child.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.fail("reflect did not exit")
        assert code == 0, self.child.stderr()
        self.child.stop()
        self.speaker.stop()
        self.mic.stop()
        done = reflect("export", "--format", "json", "--data-dir", str(self.data))
        return json.loads(done.stdout)["sessions"][-1]


def cut_after(talk: Conversation, onset: float, command_sent: float) -> float:
    """Seconds from the end of the command (heard on the microphone) to the prompt's last sound
    before its cut."""
    said = [r for r in talk.mic.loud_runs(since=command_sent - 0.05) if r[1] - r[0] < 1.5]
    prompt = talk.speaker.loud_runs(since=onset - 0.01, gap_s=0.2)
    assert said and prompt, (said, prompt)
    return prompt[0][1] + talk.speaker.block_s - (said[0][1] + talk.mic.block_s)


def test_barge_in_skip_and_stop_cut_a_question_and_mm_hmm_does_not(pulse, tmp_path, dialogs):
    room = "clean"
    talk = Conversation(pulse, tmp_path, dialogs, f"barge-{room}")
    skip, mm, stop = talk.say("skip", "skip"), talk.say("mm", "mm hmm"), talk.say("stop", "stop")
    answer = talk.say("answer", ANSWERS["second"][0])

    at = talk.expect(f"» {PROMPTS['first']}")
    onset = talk.after_onset(at, 1.0)
    sent = time.monotonic()
    pulse.play(skip)
    at2 = talk.expect(f"» {PROMPTS['second']}", timeout_s=10)
    skip_cut = cut_after(talk, onset, sent)

    onset = talk.after_onset(at2, 1.0)
    pulse.play(mm)  # a backchannel over the question: it goes on to the end
    talk.speaker.wait_for_quiet(since=at2, quiet_s=0.8, min_loud_s=2.5, timeout_s=20)
    second_runs = talk.speaker.loud_runs(since=onset - 0.01, gap_s=0.3)
    pulse.play(answer)
    at3 = talk.expect(f"» {PROMPTS['third']}", timeout_s=15)
    onset3 = talk.after_onset(at3, 1.0)
    sent = time.monotonic()
    pulse.play(stop)
    talk.expect("» Stopping here", timeout_s=10)
    stop_cut = cut_after(talk, onset3, sent)
    session = talk.finish()

    print(f"{room} room: barge-in cut after the command ended: skip {skip_cut:.3f} s, "
          f"stop {stop_cut:.3f} s")  # fmt: skip
    assert skip_cut <= 0.3 and stop_cut <= 0.3, (skip_cut, stop_cut)
    whole = second_runs[0][1] - second_runs[0][0]
    assert whole >= 3.0, f"the question under 'mm hmm' sounded only {whole:.1f} s"
    assert session["status"] == "stopped"
    [turn] = session["turns"]
    assert turn["state"] == "second" and "reassurance" in turn["answer"].split(), turn


PROMPT_WORDS = {
    w.strip(".,?").lower()
    for text in SCRIPT.split('prompt: "')[1:]
    for w in text.split('"')[0].split()
} | {"hello", "we", "will", "try", "three", "short", "questions", "today", "one", "time"}


@pytest.mark.parametrize("run", [1, 2, 3])
def test_echo_room_stores_every_answer_and_none_of_its_own_words(pulse, tmp_path, dialogs, run):
    pulse.echo_room()
    talk = Conversation(pulse, tmp_path, dialogs, f"echo{run}")
    answered = ("first", "second") if run == 1 else ("first",)  # kept short: three in a row
    for state in answered:
        at = talk.expect(f"» {PROMPTS[state]}", timeout_s=40)
        talk.speaker.wait_for_quiet(since=at, quiet_s=0.8, min_loud_s=2.0, timeout_s=25)
        pulse.play(talk.say(state, ANSWERS[state][0]))
        talk.expect("  you: ", timeout_s=15)
    at = talk.expect(f"» {PROMPTS['third' if run == 1 else 'second']}", timeout_s=15)
    talk.speaker.wait_for_quiet(since=at, quiet_s=0.8, min_loud_s=2.0, timeout_s=25)
    pulse.play(talk.say("stop", "stop"))  # a command, after the question, in the echo room
    talk.expect("» Stopping here", timeout_s=15)
    session = talk.finish()
    assert session["status"] == "stopped"
    assert [t["state"] for t in session["turns"]] == list(answered)
    for turn in session["turns"]:
        words = set(turn["answer"].split())
        wanted = ANSWERS[turn["state"]][1]
        assert wanted <= words, turn
        own = (words & PROMPT_WORDS) - set(ANSWERS[turn["state"]][0].lower().strip(".").split())
        assert not own, f"the assistant's words {own} in {turn}"


def test_a_sound_card_that_disappears_ends_the_session_with_every_answer_kept(
    pulse, tmp_path, dialogs
):
    talk = Conversation(pulse, tmp_path, dialogs, "gone")
    at = talk.expect(f"» {PROMPTS['first']}")
    talk.speaker.wait_for_quiet(since=at, quiet_s=0.8, min_loud_s=2.0, timeout_s=25)
    pulse.play(talk.say("first", ANSWERS["first"][0]))
    talk.expect("  you: ", timeout_s=15)
    talk.speaker.close()
    talk.mic.close()
    pulse._daemon.kill()  # the sound server, and with it both devices, are gone
    try:
        code = talk.child.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        talk.fail("reflect did not end when its sound card went away")
    errors = [line for line in talk.child.stderr().splitlines() if line.startswith("reflect:")]
    assert code == 3, talk.child.stderr()
    assert any("sound device" in line for line in errors), errors
    done = reflect("export", "--format", "json", "--data-dir", str(talk.data))
    [session] = json.loads(done.stdout)["sessions"]
    assert session["status"] == "interrupted"
    assert [t["state"] for t in session["turns"]] == ["first"]
