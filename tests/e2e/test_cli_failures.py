"""Every user-facing failure: one line on stderr, a distinct exit code, nothing written or lost."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.base.settings import DIALOGS_DIR

from audio_helpers import conversation, write
from child import reflect, typed_session_until_saved
from paths import ROOT


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_a_file_that_is_not_a_wav(tmp_path):
    bad = tmp_path / "answers.wav"
    bad.write_bytes(b"ID3\x04 an mp3 renamed to .wav")
    data, out = tmp_path / "data", tmp_path / "out.wav"
    result = reflect(
        "evening", "--audio-in", str(bad), "--audio-out", str(out), "--data-dir", str(data)
    )
    assert result.returncode == 2
    assert one_line(result) == f"reflect: {bad} is not a readable WAV file: no RIFF/WAVE header"
    assert not data.exists() and not out.exists()  # nothing written


def test_a_bad_file_ends_with_its_line_every_time_never_a_crash(tmp_path):
    """Exiting at once while the models still load on their threads crashed the process about
    one run in two (OpenBLAS: "Bad memory unallocation", a segfault, exit 139); loads under way
    are now waited for at exit."""
    program = Path(sys.executable).with_name("reflect")  # as installed: `-m assistant` is luckier
    assert program.exists(), "the venv has no reflect program (pip install -e .)"
    bad = tmp_path / "answers.wav"
    bad.write_bytes(b"not a wav at all")
    args = [str(program), "evening", "--audio-in", str(bad), "--silent"]
    args += ["--data-dir", str(tmp_path)]
    for _ in range(4):
        result = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert result.returncode == 2, (result.returncode, result.stderr)
        assert one_line(result).endswith("is not a readable WAV file: no RIFF/WAVE header")


def test_a_truncated_wav_is_read_as_far_as_it_goes(tmp_path):
    wav = write(tmp_path / "a.wav", conversation([0.3, "I felt alone tonight.", 4.0]))
    cut = tmp_path / "cut.wav"
    cut.write_bytes(wav.read_bytes()[: 44 + 16000 * 2 * 2])  # header + 2 s
    result = reflect(
        "journal", "--audio-in", str(cut), "--silent", "--data-dir", str(tmp_path / "d")
    )
    assert result.returncode == 0, result.stderr


def test_a_missing_model_names_the_paths_and_the_fix(tmp_path):
    missing = tmp_path / "no-model"
    result = reflect(
        "evening",
        "--audio-in",
        str(tmp_path / "x.wav"),
        "--model",
        str(missing),
        "--data-dir",
        str(tmp_path / "d"),
    )
    # The WAV is checked first (exit 2); with a readable one the model is next.
    assert result.returncode == 2
    wav = write(tmp_path / "x.wav", conversation([1.0]))
    result = reflect(
        "evening",
        "--audio-in",
        str(wav),
        "--model",
        str(missing),
        "--data-dir",
        str(tmp_path / "d"),
    )
    assert result.returncode == 3
    line = one_line(result)
    assert str(missing) in line and "(missing)" in line and "./scripts/run" in line
    assert not (tmp_path / "d").exists()


def test_an_incomplete_model_from_the_environment(tmp_path):
    partial = tmp_path / "model"
    (partial / "conf").mkdir(parents=True)
    (partial / "conf" / "model.conf").write_text("--min-active=200\n")
    wav = write(tmp_path / "x.wav", conversation([1.0]))
    env = {**os.environ, "VOSK_MODEL_PATH": str(partial)}
    result = reflect("evening", "--audio-in", str(wav), "--data-dir", str(tmp_path / "d"), env=env)
    assert result.returncode == 3
    assert f"{partial} (incomplete: no am/final.mdl)" in one_line(result)


def test_an_unknown_script_lists_the_known_ones(tmp_path):
    result = reflect("evenin", "--typed", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert (
        one_line(result) == "reflect: unknown script or command 'evenin'; scripts: evening, journal"
    )


def test_a_script_with_a_typo_names_file_line_and_fix(tmp_path):
    dialogs = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    text = (dialogs / "evening.yaml").read_text().replace("dest: roots,", "dest: rots,")
    (dialogs / "evening.yaml").write_text(text)
    env = {**os.environ, "REFLECT_DIALOGS_DIR": str(dialogs)}
    result = reflect("evening", "--typed", "--data-dir", str(tmp_path / "d"), env=env)
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(f"reflect: {dialogs / 'evening.yaml'}:")
    assert "no state 'rots'; did you mean 'roots'?" in line
    assert not (tmp_path / "d").exists()


def test_no_microphone_suggests_typed_or_a_file(tmp_path):
    if reflect("devices", "--check-input").returncode == 0:
        pytest.skip("this machine has a microphone")
    result = reflect("evening", "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 3
    assert one_line(result) == "reflect: no microphone found; use --typed, or --audio-in FILE.wav"
    assert not (tmp_path / "d").exists()


def test_unknown_session_id(tmp_path):
    reflect("journal", "--typed", "--data-dir", str(tmp_path), stdin="hello\n")
    result = reflect("show", "zzzz", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert one_line(result) == "reflect: no session 'zzzz'; `reflect history` lists them"


def test_a_damaged_journal_is_reported_and_left_untouched(tmp_path):
    tmp_path.chmod(0o700)
    journal = tmp_path / "index.json"
    journal.write_text('{"sessions": {"1": {"id": "ab')
    before = journal.read_bytes()
    result = reflect("evening", "--typed", "--data-dir", str(tmp_path), stdin="hello\n")
    assert result.returncode == 4
    assert "is damaged (not JSON, perhaps cut short)" in one_line(result)
    assert journal.read_bytes() == before


def test_ctrl_c_keeps_every_saved_answer(tmp_path):
    child = typed_session_until_saved(tmp_path, ["a late reply", "that he would leave"])
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=20)
    assert child.returncode == 130
    assert err.strip().splitlines()[-1] == "reflect: interrupted; everything said so far is saved."
    session = json.loads(reflect("export", "--data-dir", str(tmp_path)).stdout)["sessions"][0]
    assert session["status"] == "interrupted"
    assert [t["answer"] for t in session["turns"]] == ["a late reply", "that he would leave"]


def test_audio_out_that_cannot_be_written(tmp_path):
    result = reflect(
        "evening",
        "--typed",
        "--audio-out",
        str(tmp_path),
        "--data-dir",
        str(tmp_path / "d"),
        stdin="hello\n",
    )
    assert result.returncode == 2
    assert one_line(result) == f"reflect: cannot write {tmp_path}: Is a directory"
    assert not (tmp_path / "d").exists()


def test_a_full_disk_under_audio_out_keeps_the_session_going(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    result = reflect(
        "evening",
        "--typed",
        "--audio-out",
        "/dev/full",
        "--data-dir",
        str(tmp_path),
        stdin="a late reply\nstop\n",
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert (
        "cannot write /dev/full: No space left on device; prompts are printed only" in result.stderr
    )
    session = json.loads(reflect("export", "--data-dir", str(tmp_path)).stdout)["sessions"][0]
    assert session["status"] == "stopped" and session["turns"][0]["answer"] == "a late reply"


def test_bytes_that_are_not_utf8_in_typed_answers(tmp_path):
    child = reflect(
        "evening",
        "--typed",
        "--silent",
        "--data-dir",
        str(tmp_path),
        stdin=b"hello\n\xff\xfe bad\nstop\n",
    )
    assert child.returncode == 0, child.stderr
    session = json.loads(reflect("export", "--data-dir", str(tmp_path)).stdout)["sessions"][0]
    assert [t["answer"] for t in session["turns"]] == ["hello", "\ufffd\ufffd bad"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "reflect: say what to run, e.g. `reflect evening` (`reflect --help` lists all)"),
        (
            ("evening", "--bogus"),
            "reflect evening: unrecognized arguments: --bogus (see reflect evening --help)",
        ),
        (
            ("evening", "--typed", "--rate", "20"),
            "reflect: --rate 20: use 80 to 300 words per minute",
        ),
        (("export", "--format", "pdf"), "reflect export: argument --format: invalid choice: 'pdf'"),
    ],
)
def test_usage_mistakes_are_one_line(args, expected):
    result = reflect(*args)
    assert result.returncode == 2
    assert one_line(result).startswith(expected)


def test_a_closed_pipe_is_not_an_error(tmp_path):
    reflect("journal", "--typed", "--silent", "--data-dir", str(tmp_path), stdin="hello\n")
    shell = f"{sys.executable} -m assistant history --data-dir {tmp_path} | head -c 0"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
