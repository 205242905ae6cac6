"""What happens when the safety check fires in a session: the real check, the real state machine,
real journal files in temporary folders, typed answers (in this process and through the CLI)."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.sinks import NullSink, WavSink
from assistant.dialog.script import find_script
from assistant.dialog.session import SAFETY_STATE, Session
from assistant.errors import BadScriptError
from assistant.journal.store import Journal
from assistant.safety.check import CATEGORIES
from assistant.safety.respond import COUNSELLOR_FLAG, NOTICE_FLAG, load_safeguards
from assistant.safety.support import Resources, load_support
from assistant.settings import DIALOGS_DIR, VoiceSettings
from assistant.speech.typed import TypedListener
from assistant.speech.voice import EspeakCliSynth, Voice, spoken

from conftest import ROOT, reflect, typed_session_until_saved

SAFEGUARDS = load_safeguards(DIALOGS_DIR)
SUPPORT = SAFEGUARDS.support
EVENING = find_script("evening", DIALOGS_DIR)
PROMPT = {name: state.prompt for name, state in EVENING.states.items()}
DEFAULT_HELP = SUPPORT.what_to_do(Resources(), reported=False)
DISCLOSURE = {
    "self-harm": "I want to die.",
    "abuse": "He hit me last night.",
    "eating": "I make myself sick after meals.",
}
STRONG = "I was terrified he will leave me and I can't sleep."  # three signals
CALM = "a late reply, but we talked it through"


class Said(list):
    """What the voice said, in order; slow (clearly printed) texts are marked."""

    def plain(self, text: str) -> None:
        self.append(text)

    def slow(self, text: str) -> None:
        self.append(("slow", text))

    def texts(self) -> list[str]:
        return [t[1] if isinstance(t, tuple) else t for t in self]


def run(
    lines: list[str],
    data_dir: Path,
    commands,
    *,
    script=EVENING,
    notice_shown: bool = True,
    resources: Resources | None = None,
):
    said = Said()
    voice = Voice([], NullSink(), show=said.plain, show_clearly=said.slow)
    listener = TypedListener(io.StringIO("".join(line + "\n" for line in lines)), commands)
    journal = Journal(data_dir)
    if notice_shown:
        journal.set_flag(NOTICE_FLAG, True)
    if resources:
        journal.set_config(resources.to_config())
    outcome = Session(script, listener, voice, journal, commands, safeguards=SAFEGUARDS).run()
    sessions = journal.sessions()
    journal.close()
    return outcome, said, sessions[-1]


def after(said: Said, text: str) -> list[str]:
    """Everything said after the first time `text` was said."""
    texts = said.texts()
    return texts[texts.index(text) + 1 :]


def turns(session: dict) -> list[tuple[str, str]]:
    return [(t["state"], t["answer"]) for t in session["turns"]]


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_disclosure_stops_the_script_and_says_slowly_where_help_is(category, data_dir, commands):
    disclosure = DISCLOSURE[category]
    outcome, said, session = run(["a late reply", disclosure, "stop"], data_dir, commands)
    opener = SUPPORT.openers[category]["self"]
    expected = [opener, DEFAULT_HELP]
    if category == "abuse":
        expected.append(SUPPORT.abuse_note["self"])
    expected += [SUPPORT.offer, SUPPORT.choice, SUPPORT.fill(SUPPORT.stopped, Resources())]
    # Right after the answer to the fear question: no further question, all of it said slowly.
    assert said.texts()[said.texts().index(PROMPT["fear"]) + 1 :] == expected
    assert said[-len(expected) :] == [("slow", text) for text in expected]
    assert "988" in DEFAULT_HELP and "local emergency number" in DEFAULT_HELP
    assert PROMPT["roots"] not in said.texts() and PROMPT["need"] not in said.texts()
    assert outcome.status == session["status"] == "safety"
    assert session["safety"] == [category]
    assert turns(session) == [("today", "a late reply"), ("fear", disclosure)]


def test_an_ordinary_evening_is_not_interrupted(data_dir, commands):
    answers = [
        "He didn't text back for hours.",
        "That he is losing interest in me.",
        "My dad was often away when I was small.",
        "To hear that he still cares.",
        "I will call my sister tomorrow.",
    ]
    outcome, said, session = run(answers, data_dir, commands)
    assert outcome.status == session["status"] == "completed"
    assert said.texts()[-1] == EVENING.outro and not any(isinstance(t, tuple) for t in said)
    assert session["safety"] == []


def test_a_concern_about_someone_else_uses_the_reported_variant(data_dir, commands):
    _, said, session = run(
        ["My friend said she wanted to kill herself.", "stop"], data_dir, commands
    )
    texts = said.texts()
    assert SUPPORT.openers["self-harm"]["reported"] in texts
    assert SUPPORT.openers["self-harm"]["self"] not in texts
    assert SUPPORT.what_to_do(Resources(), reported=True) in texts
    assert session["status"] == "safety" and session["safety"] == ["self-harm"]


def test_after_abuse_relationship_tips_are_left_out(tmp_path, commands):
    """A script with a boundaries tip: asked in an ordinary session, left out after abuse."""
    dialogs = tmp_path / "dialogs"
    dialogs.mkdir()
    (dialogs / "tips.yaml").write_text(
        """description: A question, then a tip about boundaries.
intro: Hello.
outro: Goodbye, see you tomorrow.
machine:
  initial: today
  states:
    - name: today
      prompt: What happened today?
    - name: feel
      prompt: How did it feel?
    - name: tip
      prompt: Which boundary would you like to agree with your partner?
    - name: end
      final: true
  transitions:
    - {trigger: next, source: today, dest: feel}
    - {trigger: next, source: feel, dest: tip}
    - {trigger: next, source: tip, dest: end}
"""
    )
    tips = find_script("tips", dialogs)
    _, ordinary, _ = run(
        ["a late reply", "lonely", "a check-in time"], tmp_path / "a", commands, script=tips
    )
    assert tips.states["tip"].prompt in ordinary.texts()

    outcome, said, session = run(
        ["He checks my phone and won't let me see my friends.", "continue", "scared"],
        tmp_path / "b",
        commands,
        script=tips,
    )
    texts = said.texts()
    note = SUPPORT.abuse_note["self"]
    assert note in texts
    rest = after(said, note)
    assert rest[:3] == [SUPPORT.offer, SUPPORT.choice, tips.states["feel"].prompt]
    assert tips.states["tip"].prompt not in texts  # the tip is never offered
    assert not any("boundar" in text.lower() for text in rest)
    assert texts[-1] == SUPPORT.fill(SUPPORT.closing, Resources())  # not the script's outro
    assert tips.outro not in texts
    assert session["status"] == "safety" and session["safety"] == ["abuse"]
    assert turns(session)[-1] == ("feel", "scared")
    assert outcome.status == "safety"


def test_im_fine_is_met_with_one_more_gentle_check(data_dir, commands):
    _, said, session = run(
        ["I want to die.", "I'm fine, never mind.", "no really, I'm fine", "my dad", "stop"],
        data_dir,
        commands,
    )
    first = after(said, DEFAULT_HELP)
    assert first[:6] == [
        SUPPORT.offer,
        SUPPORT.choice,
        SUPPORT.fine_check,  # the first "I'm fine": asked once more, gently
        SUPPORT.choice,
        SUPPORT.fine_accepted,  # the second: on with the next question
        PROMPT["fear"],
    ]
    assert turns(session) == [
        ("today", "I want to die."),
        (SAFETY_STATE, "I'm fine, never mind."),
        (SAFETY_STATE, "no really, I'm fine"),
        ("fear", "my dad"),
    ]
    assert [t["prompt"] for t in session["turns"][1:3]] == [SUPPORT.choice, SUPPORT.choice]
    assert session["status"] == "safety"


def test_continue_goes_on_and_the_session_ends_gently(data_dir, commands):
    outcome, said, session = run(
        [
            "a late reply",
            "I haven't eaten in three days.",
            "continue",
            "I know it",
            "rest",
            "a walk",
        ],
        data_dir,
        commands,
    )
    texts = said.texts()
    assert after(said, SUPPORT.choice)[:1] == [PROMPT["roots"]]  # the fear was answered
    assert [t[0] for t in turns(session)] == ["today", "fear", "roots", "need", "kindness"]
    assert texts[-1] == SUPPORT.fill(SUPPORT.closing, Resources()) and EVENING.outro not in texts
    assert said[-1][0] == "slow"
    assert outcome.status == session["status"] == "safety"  # completed, with a concern noticed
    assert session["safety"] == ["eating"]


def test_pause_after_a_concern_waits_then_goes_on(data_dir, commands):
    _, said, session = run(
        [
            "He hits me when he's drunk.",
            "pause",
            "I'm making tea",
            "continue",
            "that he'd leave",
            "stop",
        ],
        data_dir,
        commands,
    )
    assert after(said, SUPPORT.choice)[:3] == [
        commands.replies["paused"],
        commands.replies["resumed"],
        PROMPT["fear"],
    ]
    assert turns(session) == [("today", "He hits me when he's drunk."), ("fear", "that he'd leave")]
    assert session["status"] == "safety" and session["safety"] == ["abuse"]


def test_stop_after_a_concern_ends_with_where_help_is(data_dir, commands):
    outcome, said, session = run(
        ["I want to die.", "stop"], data_dir, commands, resources=Resources("112", "")
    )
    stopped = SUPPORT.fill(SUPPORT.stopped, Resources("112", ""))
    assert said[-1] == ("slow", stopped) and "call 112" in stopped
    assert commands.replies["stopped"] not in said.texts()
    assert outcome.status == session["status"] == "safety"
    assert session["ended_at"]


def test_breathing_then_the_choice_again(data_dir, commands):
    _, said, session = run(["I want to die.", "breathe", "continue", "stop"], data_dir, commands)
    b = SUPPORT.breathing
    exercise = [b.intro, *[cue for _ in range(b.rounds) for cue, _ in b.cues], b.outro]
    assert after(said, SUPPORT.offer)[: len(exercise) + 3] == [
        SUPPORT.choice,
        *exercise,
        SUPPORT.choice,
        PROMPT["fear"],
    ]
    assert turns(session) == [("today", "I want to die.")]  # choices are not answers


def test_a_new_disclosure_in_the_safety_flow_is_answered_again(data_dir, commands):
    _, said, session = run(
        ["I'm scared of him.", "and sometimes I want to die", "stop"], data_dir, commands
    )
    texts = said.texts()
    assert texts.index(SUPPORT.openers["abuse"]["self"]) < texts.index(
        SUPPORT.openers["self-harm"]["self"]
    )
    assert texts.count(DEFAULT_HELP) == 2
    assert turns(session) == [
        ("today", "I'm scared of him."),
        (SAFETY_STATE, "and sometimes I want to die"),
    ]
    assert session["safety"] == ["abuse", "self-harm"]


def test_silence_twice_in_the_safety_flow_waits_instead_of_asking_on(data_dir, commands):
    _, said, session = run(["I want to die.", "", "", "continue", "stop"], data_dir, commands)
    assert after(said, SUPPORT.offer)[:6] == [
        SUPPORT.choice,
        SUPPORT.quiet,
        SUPPORT.choice,
        commands.replies["paused"],
        commands.replies["resumed"],
        PROMPT["fear"],
    ]
    assert session["status"] == "safety"


def test_the_end_of_input_after_a_concern_is_still_stored_as_safety(data_dir, commands):
    outcome, _, session = run(
        ["a late reply", "He said he would kill me if I ever left."], data_dir, commands
    )
    assert outcome.status == session["status"] == "safety"
    assert session["safety"] == ["abuse"] and session["ended_at"]


def test_ctrl_c_after_a_concern_is_still_stored_as_safety(tmp_path):
    child = typed_session_until_saved(tmp_path, ["a late reply", "I want to die."])
    while SUPPORT.offer not in child.stdout.readline():  # the safety flow has begun
        assert child.poll() is None
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=20) == 130
    history = reflect("history", "--data-dir", str(tmp_path)).stdout
    assert "safety (self-harm)" in history and "2 answers" in history


def test_the_first_run_notice_is_said_once(tmp_path, commands):
    _, first, _ = run(["stop"], tmp_path, commands, notice_shown=False)
    notice = SUPPORT.fill(SUPPORT.notice, Resources())
    assert first.texts()[:2] == [notice, EVENING.intro]
    assert "not therapy" in notice and "988" in notice
    _, second, _ = run(["stop"], tmp_path, commands, notice_shown=False)
    assert notice not in second.texts() and second.texts()[0] == EVENING.intro


def test_the_counsellor_is_suggested_once_after_three_strong_sessions(tmp_path, commands):
    def evening(first_answer: str) -> list[str]:
        return run([first_answer, "stop"], tmp_path, commands)[1].texts()

    assert SUPPORT.signals(STRONG) == {"terrified", "will leave me", "can't sleep"}
    assert SUPPORT.counsellor_after == 3
    said = [evening(STRONG), evening(STRONG), evening(CALM), evening(STRONG), evening(STRONG)]
    assert not any(SUPPORT.counsellor in texts for texts in said)  # the calm one broke the row
    third = evening(STRONG)
    assert third[-1] == SUPPORT.counsellor  # after it, once
    assert SUPPORT.counsellor not in evening(STRONG)
    journal = Journal(tmp_path)
    strong = [s["strong"] for s in journal.summaries()]
    assert journal.flag(COUNSELLOR_FLAG) is True
    journal.close()
    assert strong == [True, True, False, True, True, True, True]


def test_one_signal_is_not_a_strong_session(data_dir, commands):
    _, _, session = run(["I can't sleep", "stop"], data_dir, commands)
    assert session["strong"] is False


# -- through the command line ------------------------------------------------------------------
def test_setup_sets_shows_and_resets_where_help_is(tmp_path):
    data = tmp_path / "d"
    shown = reflect("setup", "--data-dir", str(data))  # nothing set: the default text
    assert shown.returncode == 0, shown.stderr
    assert DEFAULT_HELP in shown.stdout

    result = reflect(
        "setup",
        "--emergency-number",
        "112",
        "--crisis-line",
        "Samaritans, call 116 123",
        "--data-dir",
        str(data),
    )
    assert result.returncode == 0, result.stderr
    assert "emergency number: 112" in result.stdout

    session = reflect(
        "evening", "--typed", "--silent", "--data-dir", str(data), stdin="I want to die.\nstop\n"
    )
    assert session.returncode == 0, session.stderr
    lines = session.stdout.splitlines()
    assert "» If you are in danger or feel unsafe right now, please call 112." in lines
    assert "» To talk with someone now: Samaritans, call 116 123." in lines
    assert "988" not in session.stdout.split("you: I want to die.")[1]
    assert "saved: safety" in session.stderr

    assert "Samaritans" in reflect("setup", "--data-dir", str(data)).stdout  # kept
    reset = reflect("setup", "--reset", "--data-dir", str(data))
    assert reset.returncode == 0 and DEFAULT_HELP in reset.stdout
    assert "Samaritans" not in reflect("setup", "--data-dir", str(data)).stdout


def test_setup_asks_on_a_terminal(tmp_path):
    """On a terminal with no flags, setup asks; Enter keeps a value, "-" means the default."""
    data = tmp_path / "d"

    def ask(answers: str) -> str:
        main, terminal = os.openpty()
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "assistant", "setup", "--data-dir", str(data)],
                stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True,
            )  # fmt: skip
            os.write(main, answers.encode())
            out, err = child.communicate(timeout=30)
        finally:
            os.close(main)
            os.close(terminal)
        assert child.returncode == 0, err
        return out

    first = ask("911\nLifeline, call or text 988\n")
    assert "emergency number: 911" in first and "crisis line:      Lifeline" in first
    kept = ask("\n-\n")  # keep the number, default crisis text
    assert "emergency number: 911" in kept
    assert "please call 911. In the US, you can also call or text 988" in kept


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--emergency-number", "call the police"], "emergency number 'call the police'"),
        (["--crisis-line", "  "], "crisis line: give a name and how to reach it"),
        (["--reset", "--emergency-number", "112"], "use it on its own"),
    ],
)
def test_setup_refuses_bad_input_in_one_line(tmp_path, args, message):
    result = reflect("setup", *args, "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("reflect: ") and message in line


def test_history_shows_the_category_never_the_words(tmp_path):
    data = tmp_path / "d"
    stdin = "a late reply\nI make myself sick after meals.\nstop\n"
    result = reflect("evening", "--typed", "--silent", "--data-dir", str(data), stdin=stdin)
    assert result.returncode == 0, result.stderr
    history = reflect("history", "--data-dir", str(data))
    assert history.returncode == 0, history.stderr
    [line] = history.stdout.splitlines()
    assert "safety (eating)" in line and "2 answers" in line
    assert "sick" not in history.stdout and "meals" not in history.stdout
    [session] = json.loads(reflect("export", "--data-dir", str(data)).stdout)["sessions"]
    assert session["status"] == "safety"
    assert session["turns"][1]["answer"] == "I make myself sick after meals."  # kept for the user


def test_the_cli_shows_the_notice_on_the_first_run_only(tmp_path):
    data = tmp_path / "d"
    first = reflect("evening", "--typed", "--silent", "--data-dir", str(data), stdin="stop\n")
    second = reflect("evening", "--typed", "--silent", "--data-dir", str(data), stdin="stop\n")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    notice = f"» {SUPPORT.fill(SUPPORT.notice, Resources())}"
    assert first.stdout.splitlines()[0] == notice
    assert notice not in second.stdout and second.stdout.startswith(f"» {EVENING.intro}")


def test_a_broken_support_file_stops_before_the_journal_is_touched(tmp_path):
    dialogs = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    text = (dialogs / "support.yaml").read_text()
    (dialogs / "support.yaml").write_text(text.replace("{emergency}.", "{emergancy}.", 1))
    env = {**os.environ, "REFLECT_DIALOGS_DIR": str(dialogs)}
    data = tmp_path / "d"
    result = reflect("evening", "--typed", "--data-dir", str(data), stdin="hi\n", env=env)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"reflect: {dialogs / 'support.yaml'}:")
    assert "help.self: unknown placeholder {emergancy}; use {emergency}" in line
    assert not data.exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  eating:\n    self:", "  eating:\n    me:", "openers.eating.self: expected a line"),
        ("  rounds: 3", "  rounds: three", "breathing.rounds: expected a whole number"),
        ("  stop: [stop,", "  stop: [breathe, stop,", "'breathe' already chooses 'breathe'"),
        ("unclear:", "unclaer:", "unclaer: unknown key"),
    ],
)
def test_support_file_mistakes_name_line_key_and_fix(tmp_path, old, new, message):
    text = (DIALOGS_DIR / "support.yaml").read_text()
    assert old in text
    path = tmp_path / "support.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(BadScriptError) as caught:
        load_support(path, CATEGORIES)
    where, _, rest = str(caught.value).partition(": ")
    assert where.startswith(f"{path}:") and where.rsplit(":", 1)[1].isdigit()
    assert message in rest and "\n" not in str(caught.value)


def test_where_help_is_is_spoken_slower_and_numbers_digit_by_digit(tmp_path):
    """Real espeak-ng into a WAV: the slow rate, phone numbers, and breathing quiet in audio."""
    settings = VoiceSettings()
    assert settings.rate(slow=True) < settings.rate()
    assert VoiceSettings(rate_wpm=100).rate(slow=True) == 100  # never faster than asked for
    text = "If you are in danger right now, please call your local emergency number."
    normal = EspeakCliSynth(settings).render(text)
    slow = EspeakCliSynth(settings).render(text, slow=True)
    assert 1.15 < slow.duration_s / normal.duration_s < 1.5
    assert spoken("call or text 988, or 116 123, at 10 pm") == (
        "call or text 9 8 8, or 1 1 6 1 2 3, at 10 pm"
    )
    sink = WavSink(tmp_path / "out.wav", gap_s=0)
    voice = Voice([EspeakCliSynth(settings)], sink, show=lambda text: None)
    voice.say("Breathe in.", slow=True)
    voice.pause(3.0)
    voice.say("Breathe out.", slow=True)
    voice.close()
    with wave.open(str(tmp_path / "out.wav")) as out:
        rate = out.getframerate()
        samples = np.frombuffer(out.readframes(out.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 300)
    longest_quiet_s = np.diff(loud).max() / rate
    assert 3.0 <= longest_quiet_s < 3.8  # the pause, plus espeak's own trailing quiet
