"""What a newcomer tripped over (issue 25), each through the CLI as they met it: typed sessions, a
breathing exercise into a WAV on the audio clock, the reading commands. Each test is named after
what the person would notice."""

from __future__ import annotations

import os
import re
import stat
import threading
from datetime import date

import numpy as np
import pytest

from assistant.audio.sinks import WavSink
from assistant.audio.wav import Audio, read_wav, write_wav
from assistant.base.settings import DIALOGS_DIR, VoiceSettings
from assistant.insights.phrases import day_text
from assistant.journal.store import Journal
from assistant.speech.voice import EspeakCliSynth, Pyttsx3Synth, Voice

from flows import cli, exported, journal_with, run_wav
from insights_journal import planted_sessions, session
from no_microphone import breathe_without_microphone

RATE = 16_000
ABUSE = "He hit me last night and I am scared of him"


def typed(*args: str, stdin: str, data) -> tuple[str, str]:
    done = cli(*args, "--typed", "--silent", "--data-dir", str(data), stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


# -- 1. every rehearsal that insights point to exists ------------------------------------------


def test_a_rehearsal_the_insights_recommend_can_be_started(tmp_path):
    Journal(tmp_path).import_sessions(planted_sessions(date.today()))
    said = cli("insights", "--data-dir", str(tmp_path)).stdout
    named = set(re.findall(r"reflect\s+rehearse\s+([a-z-]+)", said))  # perhaps wrapped
    assert named  # the planted fear of being left points to one
    listed = cli("rehearse").stdout
    for name in named:
        assert re.search(rf"^{name}\s", listed, re.M), f"{name} is not a rehearsal"
        done = cli("rehearse", name, "--typed", "--silent", "--data-dir", str(tmp_path / "r"))
        assert done.returncode == 0 and "unknown rehearsal" not in done.stderr, done.stderr


# -- 2. a corrected rating is the rating -------------------------------------------------------


def test_a_rating_corrected_with_edit_is_the_rating_the_export_and_insights_use(tmp_path):
    typed("evening", stdin="a late reply\nskip\nskip\nskip\nfive\n", data=tmp_path)
    [session] = exported(tmp_path)
    number = next(i for i, t in enumerate(session["turns"], 1) if "rating" in t)
    assert session["turns"][number - 1]["rating"] == 5
    done = cli("edit", session["id"], "--turn", str(number), "--text", "nine",
               "--data-dir", str(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    turn = exported(tmp_path)[0]["turns"][number - 1]
    assert (turn["answer"], turn["rating"], turn["heard"]) == ("nine", 9, "five")
    explained = cli("insights", "--explain", "--data-dir", str(tmp_path)).stdout
    assert "how: 1 rated sessions" in explained  # still counted, as 9


# -- 3. rewordings a person could say ----------------------------------------------------------


@pytest.mark.parametrize("attempt", [
    "You never care about how I feel and you make me feel like nothing",
    "You don't care about how I feel, you always ignore me, it's your fault",
])  # fmt: skip
def test_a_rewording_is_a_sentence_to_say_and_there_are_one_or_two_things_to_try(tmp_path, attempt):
    out, _ = typed("rehearse", "worry", stdin=f"{attempt}\nno\n", data=tmp_path)
    tries = out.split("To try:\n")[1].split("\n»")[0].splitlines()
    assert 1 <= len(tries) <= 2, tries
    rewordings = re.findall(r'Try[^"]*: "([^"]+)"', out)
    assert rewordings, out
    for sentence in rewordings:
        assert "..." not in sentence and sentence[-1] in ".?!", sentence
        assert not re.search(r"\b(how|like|about|to)[,.]", sentence), sentence


# -- 4 and 6. breathing with no microphone, every word spoken ----------------------------------


def test_breathing_with_no_microphone_plays_the_cues_and_says_so_in_one_line(
    tmp_path, monkeypatch
):
    """No microphone: faked (this machine may have one), by the device query saying none. That
    the tones notice is spoken, not only shown: tests/e2e/test_breathing_spoken.py (it decodes
    the WAV)."""
    done, out = breathe_without_microphone(tmp_path, monkeypatch)
    notes = [line for line in done.stderr.splitlines() if "microphone" in line]
    assert notes == ["reflect: no microphone found, so nothing said is heard; the cues are "
                     "played (Ctrl-C ends it)"]  # fmt: skip
    assert "soft tone" in done.stdout
    assert read_wav(out, RATE).duration_s > 55  # a minute of cues on the audio clock
    history = cli("history", "--data-dir", str(tmp_path / "d")).stdout
    assert history.count("completed") == 1, history  # the status once, in its column
    diary = cli("export", "--format", "markdown", "--data-dir", str(tmp_path / "d")).stdout
    assert re.search(r"\d+:\d\d of \d+:\d\d, completed", diary) and "minutes" not in diary


# -- 5. one minute, not "1 minutes" ------------------------------------------------------------


def test_a_one_minute_break_says_one_minute(tmp_path, model):
    """On the audio clock of a WAV of 70 s of quiet (typed, the break would take a real minute)."""
    done = run_wav("pause", np.zeros(70 * RATE, np.int16), data_dir=tmp_path, model=model,
                   minutes="1")  # fmt: skip
    said = "\n".join(done.said.texts())
    assert "1 minutes" not in said
    assert "We'll take 1 minute," in said and "about 1 minute to go" in said
    history = cli("history", "--data-dir", str(tmp_path)).stdout
    assert "1 minute, back at" in history and "1 minutes" not in history


# -- 7. insights in plain words ----------------------------------------------------------------


def test_insights_on_an_empty_journal_are_plain_words_not_method(tmp_path):
    said = cli("insights", "--data-dir", str(tmp_path)).stdout
    assert "Nothing to look back on in these weeks yet." in said
    for method in ("least-squares", "lemma", "simplemma", "themes.yaml", "how:", "not yet counts"):
        assert method not in said
    explained = cli("insights", "--explain", "--data-dir", str(tmp_path)).stdout
    assert "how:" in explained and "not yet counts" not in explained


def test_a_worry_of_one_day_reads_on_that_day_not_between_it_and_itself(tmp_path, monkeypatch):
    today = date.today()
    Journal(tmp_path).import_sessions([
        session(f"0000000{i}", today, "a quiet day", "that he would leave me", None)
        for i in range(4)
    ])  # fmt: skip
    monkeypatch.setenv("COLUMNS", "200")  # one line per sentence
    said = cli("insights", "--data-dir", str(tmp_path)).stdout
    assert f"came back on 4 evenings, on {day_text(today)}." in said
    assert "between" not in said


# -- 8. typing --------------------------------------------------------------------------------


def test_typing_at_a_terminal_shows_each_answer_once(tmp_path):
    """A real pseudo-terminal as stdin (the echo of what is typed is the terminal's own)."""
    main_fd, terminal = os.openpty()
    os.write(main_fd, b"He ignored my message\n\x04")
    with os.fdopen(terminal, "r", encoding="utf-8") as stdin:
        done = cli("evening", "--typed", "--silent", "--data-dir", str(tmp_path), stdin=stdin)
    os.close(main_fd)
    assert done.returncode == 0, done.stderr
    assert "> " in done.stdout and "you: He ignored my message" not in done.stdout
    assert exported(tmp_path)[0]["turns"][0]["answer"] == "He ignored my message"


def test_a_typed_entry_of_two_lines_is_indented_under_you_and_prompts_say_type(tmp_path):
    out, _ = typed("journal", stdin="first line\nsecond line\n\n", data=tmp_path)
    assert "  you: first line\n       second line\n" in out
    out, _ = typed("evening", stdin="stop\n", data=tmp_path / "e")
    assert "You can type repeat, skip, go back, pause or stop" in out
    assert not re.search(r"\bsay (skip|stop|repeat)\b", out, re.I)


# -- 9. the pyttsx3 race -----------------------------------------------------------------------


def test_a_prompt_is_spoken_with_no_warning_when_pyttsx3_first_writes_an_empty_file(
    tmp_path, monkeypatch
):
    """Faked: a pyttsx3 driver that writes a WAV with no samples (1 render in 20 under load,
    never on demand), then a whole one; the voice asks once more instead of warning."""
    import pyttsx3

    class EmptyFirst:
        calls = 0

        def setProperty(self, *_):
            pass

        def connect(self, _, callback):
            self.finished = callback

        def save_to_file(self, text, path):
            self.path = path

        def runAndWait(self):
            EmptyFirst.calls += 1
            seconds = 0 if EmptyFirst.calls == 1 else 1
            write_wav(self.path, Audio(np.full(22050 * seconds, 900, np.int16), 22050))
            threading.Thread(target=self.finished, kwargs={"name": None, "completed": True},
                             daemon=True).start()  # fmt: skip

    monkeypatch.setattr(pyttsx3, "init", lambda *a, **k: EmptyFirst())
    warnings: list[str] = []
    out = tmp_path / "said.wav"
    settings = VoiceSettings(synth_timeout_s=5)
    voice = Voice([Pyttsx3Synth(settings), EspeakCliSynth(settings)], WavSink(out),
                  lambda text: None, warnings.append)  # fmt: skip
    voice.say("What happened today?")
    voice.close()
    assert warnings == [] and EmptyFirst.calls == 2
    assert read_wav(out, rate_hz=None).duration_s >= 1.0


# -- 10. the smaller things --------------------------------------------------------------------


def test_each_command_help_says_what_it_is(tmp_path):
    assert "A guided breathing exercise." in cli("breathe", "--help").stdout
    rehearse = cli("rehearse", "--help").stdout
    assert rehearse.startswith("usage: reflect rehearse") and "options:" in rehearse


def test_forgetting_the_only_session_does_not_say_all_1_sessions(tmp_path):
    journal_with(tmp_path, {"state": "today", "prompt": "What happened?", "answer": "a walk"})
    done = cli("forget", "--all", "--data-dir", str(tmp_path))
    assert "all 1 sessions" not in done.stderr and "the only session" in done.stderr


def test_history_keeps_its_columns_with_a_safety_session(tmp_path):
    typed("evening", stdin="a late reply\nstop\n", data=tmp_path)
    typed("evening", stdin="I want to die.\nstop\n", data=tmp_path)
    lines = cli("history", "--data-dir", str(tmp_path)).stdout.splitlines()
    assert len(lines) == 2 and "safety (self-harm)" in lines[1]
    starts = {line.index(" answer") for line in lines}
    assert len(starts) == 1, lines  # the counts start in one column


def test_search_finds_an_emoji_and_a_word_without_its_accent(tmp_path):
    typed("journal", stdin="Él no contestó 😔 otra vez\n\n", data=tmp_path)
    for words in (["contesto"], ["😔"], ["contestó"]):
        done = cli("search", *words, "--data-dir", str(tmp_path))
        assert done.returncode == 0 and "no contestó" in done.stdout, (words, done.stderr)


def test_show_keeps_an_answer_as_it_was_said(tmp_path):
    journal_with(tmp_path, {"state": "secure", "prompt": "How secure?", "answer": "about a six",
                            "rating": 6})  # fmt: skip
    shown = cli("show", "last", "--data-dir", str(tmp_path)).stdout
    assert "\nabout a six\n" in shown and "About a six" not in shown


def test_remind_where_there_is_no_cron_does_not_send_you_to_crontab(tmp_path, monkeypatch):
    """A machine with notify-send but neither systemd's user session nor cron: PATH holds only
    a notify-send (made here)."""
    program = tmp_path / "notify-send"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))
    said = cli("remind", "--at", "21:30").stdout
    assert "crontab -e" not in said and "install cron" in said and "21:30" in said


def test_an_editor_save_missing_one_block_keeps_the_other_corrections(tmp_path, monkeypatch):
    sid = journal_with(
        tmp_path,
        {"state": "today", "prompt": "What happened?", "answer": "he was wiretapped data"},
        {"state": "fear", "prompt": "What were you afraid of?", "answer": "being left"},
    )
    # corrects answer 1 and deletes block 2 by mistake (kept outside the journal's folder)
    editor = tmp_path.parent / f"{tmp_path.name}-editor.sh"
    editor.write_text("#!/bin/sh\nsed -i -e 's/wiretapped data/quiet at dinner/' "
                      "-e '/^== answer 2 ==/,$d' \"$1\"\n")  # fmt: skip
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    done = cli("edit", sid, "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "answer 2 was missing from the edited file, so left as it was" in done.stderr
    answers = [t["answer"] for t in exported(tmp_path)[0]["turns"]]
    assert answers == ["he was quiet at dinner", "being left"]


def test_a_short_abuse_exchange_gives_the_hotline_at_most_twice(tmp_path):
    out, _ = typed("evening", stdin=f"{ABUSE}\nno\nno\nstop\n", data=tmp_path)
    assert out.count("1-800-799-7233") == 2
    assert out.count("emergency number") >= 3  # the number to call is never left out


def test_dialog_texts_say_type_or_say_through_one_rule():
    """Every command word a script offers ("say skip") reads "type skip" when typing."""
    from assistant.cli.console import typed_wording

    for path in sorted(DIALOGS_DIR.glob("*.yaml")):
        for found in re.findall(r"\b[Ss]ay (?:skip|stop|repeat|breathe|words)\b", path.read_text()):
            assert typed_wording(found).lower().startswith("type "), (path.name, found)
    assert typed_wording("Say what you need") == "Say what you need"  # not a command
